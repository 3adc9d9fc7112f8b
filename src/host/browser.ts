// The browser host: an in-memory file system (memory_fs.ts), module Web Workers for the kernel
// pool, the kernels' .wasm fetched from the asset base, log lines to the console or a sink the page
// sets. Importing this module installs it (src/web.ts does, first thing). The engine must run in a
// dedicated Web Worker, not on a page's main thread: the pool's thread waits with Atomics.wait,
// which a window's main thread may not call. Its workers need SharedArrayBuffer, i.e. a page
// served cross-origin isolated (COOP same-origin + COEP require-corp); without it the kernels run
// on one thread (the default there: cpuCount() is then 1).
//
// Assets (setAssetBase; default: the folder of this module, or of the bundle it was built into):
//   <base>/kernels.wasm, <base>/kernels-relaxed.wasm   the kernels (build/ of the package)
//   <base>/pool_worker_web.mjs                         a pool worker's entry (src/engine/), which
//                                                      imports ./pool_worker_loop.mjs beside it
import { dirname, join } from 'pathe';
import { BertError } from '../util/errors.js';
import { installHost, type Host, type PoolWorker, type PoolWorkerInit } from './host.js';
import { MemoryFs } from './memory_fs.js';

/** Where the page puts the package's models/ and data/ (pretrainedModelPath looks there). */
export const PACKAGE_DIR = '/bert-ts';
/** The file name of a pool worker's browser entry, in the asset base. */
export const POOL_WORKER_SCRIPT = 'pool_worker_web.mjs';

/** The browser globals used here (the project compiles without the DOM library). */
interface WebWorker {
  postMessage(message: unknown): void;
  addEventListener(type: 'message' | 'error', listener: (e: { message?: string }) => void): void;
  terminate(): void;
}
interface BrowserGlobals {
  Worker: new (url: URL, options: { type: 'module' }) => WebWorker;
  navigator?: { hardwareConcurrency?: number };
}
const web = globalThis as unknown as BrowserGlobals;

/** The browser host's file system: what putFile, getFile and listFiles reach. */
export const memoryFs = new MemoryFs();
let assetBase = new URL('./', import.meta.url);
let logSink: (line: string) => void = (line) => console.log(line);

/** Sets where the kernels' .wasm and the pool worker's script are fetched from. */
export function setAssetBase(url: string | URL): void {
  const u = new URL(url, assetBase);
  assetBase = u.href.endsWith('/') ? u : new URL(`${u.href}/`);
}

/** Sends the engine's log lines (`INFO:bert:…`, `WARNING:bert:…`) to `sink` instead of the console. */
export function setLogSink(sink: (line: string) => void): void {
  logSink = sink;
}

/** Writes `data` (bytes, or a string as UTF-8) to `path`, making its folders. */
export function putFile(path: string, data: Uint8Array | string): void {
  memoryFs.mkdirSync(dirname(join('/', path)), { recursive: true });
  memoryFs.writeFileSync(path, data);
}

/** The bytes of the file at `path` (an Error with code 'ENOENT' when there is none). */
export function getFile(path: string): Uint8Array {
  return memoryFs.readFileSync(path);
}

/** Every file under `dir`, recursively, as full paths in sorted order (e.g. to download a folder). */
export function listFiles(dir: string): string[] {
  return memoryFs.readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return memoryFs.statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** A module Web Worker running the pool worker loop; its init is its first message. */
function spawnPoolWorker(init: PoolWorkerInit): PoolWorker {
  const w = new web.Worker(new URL(POOL_WORKER_SCRIPT, assetBase), { type: 'module' });
  const ready = new Promise<void>((resolve, reject) => {
    w.addEventListener('message', () => resolve());
    w.addEventListener('error', (e) => reject(new Error(e.message ?? 'the worker failed to load')));
  });
  w.postMessage(init);
  return { ready, terminate: async () => w.terminate(), unref: () => {} };
}

async function kernelWasm(fileName: string): Promise<Uint8Array> {
  const url = new URL(fileName, assetBase);
  const response = await fetch(url);
  if (!response.ok) {
    throw new BertError(
      `${url.href}: HTTP ${response.status}`,
      "serve the package's build/*.wasm there, or call setAssetBase(url) with their folder",
    );
  }
  return new Uint8Array(await response.arrayBuffer());
}

export const browserHost: Host = {
  name: 'browser',
  fs: memoryFs,
  packageDir: () => PACKAGE_DIR,
  cpuCount: () =>
    typeof SharedArrayBuffer === 'undefined' ? 1 : (web.navigator?.hardwareConcurrency ?? 1),
  spawnPoolWorker,
  kernelWasm,
  enableRelaxedSimd: () => {}, // browsers ship relaxed SIMD where they have it
  loadNativeAddon: () => 'no native kernels in a browser',
  writeLog: (line) => logSink(line),
  yieldToEventLoop: () => new Promise((resolve) => setTimeout(resolve, 0)),
  tmpdir: () => '/tmp',
  hostname: () => 'browser',
  pid: () => 1,
};

memoryFs.mkdirSync(browserHost.tmpdir(), { recursive: true });
installHost(browserHost);
