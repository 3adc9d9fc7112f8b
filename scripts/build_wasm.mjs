// Compiles the AssemblyScript kernels (src/engine/wasm/) to build/kernels.wasm with SIMD and
// shared-memory threads enabled, and to build/kernels-relaxed.wasm with relaxed SIMD as well.
// Runs as part of `npm install` / `npm run build`; the .wasm files are never committed (STYLE.md §5). Also copies the pool's worker body (plain JavaScript, which tsc
// does not emit) beside the compiled pool in dist/.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Compiles the kernels to build/<name> with the given extra features; exits on an error. */
async function compile(name, features) {
  const out = join(root, 'build', name);
  mkdirSync(dirname(out), { recursive: true });
  const enable = ['simd', 'threads', ...features].flatMap((f) => ['--enable', f]);
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
    ...enable,
    '--importMemory',
    '--sharedMemory',
    '--initialMemory',
    '1',
    '--maximumMemory',
    '65536',
  ]);
  if (error) {
    console.error(stderr.toString());
    console.error(`build_wasm: ${name}: ${error.message}`);
    process.exit(1);
  }
}

// The plain SIMD build runs everywhere; the relaxed-SIMD one (fused multiply-add in the matmul
// micro-kernel) is chosen at run time where WebAssembly.validate accepts it (wasm_memory.ts).
await compile('kernels.wasm', []);
await compile('kernels-relaxed.wasm', ['relaxed-simd']);

// The pool workers' plain-JavaScript files (tsc copies no .mjs): the shared loop and its Node and
// browser entries.
const engineOut = join(root, 'dist', 'src', 'engine');
mkdirSync(engineOut, { recursive: true });
for (const file of ['pool_worker_loop.mjs', 'pool_worker.mjs', 'pool_worker_web.mjs'])
  copyFileSync(join(root, 'src', 'engine', file), join(engineOut, file));
