// The Node host: node:fs, worker_threads, the package's build/ folder, the Node-API addon through
// node-gyp-build, stderr. Importing this module installs it (src/index.ts and src/cli/run.ts do,
// first thing), so `import 'bert-ts'` is all a Node application writes.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import { dirname, join } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { BertError } from '../util/errors.js';
import {
  installHost,
  type Host,
  type HostFs,
  type PoolWorker,
  type PoolWorkerInit,
} from './host.js';

/** The package root: the first directory above `from` holding package.json. */
export function packageRoot(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    if (fs.existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new BertError(`no package.json above ${fileURLToPath(from)}`);
    dir = up;
  }
}

/** Entry names in the directory's own order: opendir reads it raw, readdirSync sorts. */
function readdirRawSync(path: string): string[] {
  const names: string[] = [];
  const d = fs.opendirSync(path);
  try {
    for (let e = d.readSync(); e !== null; e = d.readSync()) names.push(e.name);
  } finally {
    d.closeSync();
  }
  return names;
}

const nodeFs: HostFs = {
  existsSync: (path) => fs.existsSync(path),
  statSync: (path) => fs.statSync(path),
  fstatSync: (fd) => fs.fstatSync(fd),
  readFileSync: (path) => fs.readFileSync(path),
  writeFileSync: (path, data) => fs.writeFileSync(path, data),
  readdirSync: (path) => fs.readdirSync(path),
  readdirRawSync,
  mkdirSync: (path, options) => void fs.mkdirSync(path, options),
  mkdtempSync: (prefix) => fs.mkdtempSync(prefix),
  rmSync: (path, options) => fs.rmSync(path, options),
  renameSync: (from, to) => fs.renameSync(from, to),
  openSync: (path, flags) => fs.openSync(path, flags),
  readSync: (fd, buffer, offset, length, position) =>
    fs.readSync(fd, buffer, offset, length, position),
  writeSync: (fd, buffer, offset, length) => fs.writeSync(fd, buffer, offset, length),
  fsyncSync: (fd) => fs.fsyncSync(fd),
  closeSync: (fd) => fs.closeSync(fd),
};

/**
 * The parent's Node flags minus --input-type, which a worker started from a file refuses
 * (`node --input-type=module -e "…createKernels()…"` failed: "--input-type can only be used with
 * string input").
 */
function workerExecArgv(): string[] {
  return process.execArgv.filter((a) => !a.startsWith('--input-type'));
}

/** A worker_threads worker running src/engine/pool_worker.mjs with `init` as its workerData. */
function spawnPoolWorker(init: PoolWorkerInit): PoolWorker {
  const url = new URL('../engine/pool_worker.mjs', import.meta.url);
  const w = new Worker(url, { workerData: init, execArgv: workerExecArgv() });
  const ready = new Promise<void>((resolve, reject) => {
    w.once('message', () => resolve());
    w.once('error', reject);
  });
  return { ready, terminate: async () => void (await w.terminate()), unref: () => w.unref() };
}

async function kernelWasm(fileName: string): Promise<Uint8Array> {
  const path = join(packageRoot(), 'build', fileName);
  if (!fs.existsSync(path)) {
    throw new BertError(
      `${path}: not found`,
      'the package ships both .wasm files; in a clone of the repository, run `npm run build`',
    );
  }
  return fs.readFileSync(path);
}

/**
 * Node 20's V8 (11.3) has relaxed SIMD behind a flag. V8's flags are process-wide and wasm
 * features are read when a module is compiled, so turning it on here also covers the workers,
 * which receive the compiled module.
 */
function enableRelaxedSimd(): void {
  setFlagsFromString('--experimental-wasm-relaxed-simd');
}

/**
 * The binary built at npm install (build/Release/bert_native.node) or the one shipped in the
 * package (prebuilds/…); node-gyp-build looks in both places, in that order.
 */
function loadNativeAddon(): unknown {
  try {
    const require = createRequire(import.meta.url);
    const build = require('node-gyp-build') as (dir: string) => unknown;
    return build(packageRoot());
  } catch (e) {
    const first = String(e instanceof Error ? e.message : e).split('\n')[0];
    return `no native kernels for ${process.platform}-${process.arch}: ${first}`;
  }
}

export const nodeHost: Host = {
  name: 'node',
  fs: nodeFs,
  packageDir: () => packageRoot(),
  cpuCount: () => os.availableParallelism(),
  spawnPoolWorker,
  kernelWasm,
  enableRelaxedSimd,
  loadNativeAddon,
  writeLog: (line) => void process.stderr.write(`${line}\n`),
  yieldToEventLoop: () => setImmediate(),
  tmpdir: () => os.tmpdir(),
  hostname: () => os.hostname(),
  pid: () => process.pid,
};

installHost(nodeHost);
