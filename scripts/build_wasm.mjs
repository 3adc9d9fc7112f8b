// Compiles the AssemblyScript kernels (src/engine/wasm/) to build/kernels.wasm with SIMD and
// shared-memory threads enabled. Runs as part of `npm install` / `npm run build`; the .wasm is
// never committed (STYLE.md §5). Also copies the pool's worker body (plain JavaScript, which tsc
// does not emit) beside the compiled pool in dist/.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'build', 'kernels.wasm');
mkdirSync(dirname(out), { recursive: true });

const { error, stderr } = await asc.main([
  join(root, 'src/engine/wasm/kernels.ts'),
  '--outFile',
  out,
  '--optimizeLevel',
  '3',
  '--shrinkLevel',
  '0',
  '--noAssert',
  '--runtime',
  'stub',
  '--enable',
  'simd',
  '--enable',
  'threads',
  '--importMemory',
  '--sharedMemory',
  '--initialMemory',
  '1',
  '--maximumMemory',
  '65536',
]);
if (error) {
  console.error(stderr.toString());
  console.error(`build_wasm: ${error.message}`);
  process.exit(1);
}

const worker = join(root, 'dist', 'src', 'engine', 'pool_worker.mjs');
mkdirSync(dirname(worker), { recursive: true });
copyFileSync(join(root, 'src', 'engine', 'pool_worker.mjs'), worker);
