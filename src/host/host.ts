// The host layer (STYLE.md §12): every platform service the core needs — files, threads, the
// kernel .wasm bytes, the native addon, log output, a few os facts — behind one interface, so
// that the core (tokenization, data, formats, engine, model, train, api, export, util) runs
// unchanged in Node and in a browser's Web Worker and never imports `node:*`. The entry point
// picks the host by importing it: 'bert-ts' (src/index.ts, src/cli/run.ts) installs the Node
// host (host/node.ts), 'bert-ts/web' (src/web.ts) the browser host (host/browser.ts); the core
// asks for it with host(). As tfjs-core's Platform (platform_node.ts / platform_browser.ts).
import { BertError } from '../util/errors.js';

/** What statSync tells the core about a path. */
export interface HostStats {
  readonly size: number;
  isFile(): boolean;
  isDirectory(): boolean;
}

/**
 * The synchronous file-system calls the core makes, with node:fs's names and meaning (errors
 * are Errors whose `code` is the errno name, e.g. 'ENOENT'); bytes are Uint8Arrays.
 */
export interface HostFs {
  existsSync(path: string): boolean;
  statSync(path: string): HostStats;
  fstatSync(fd: number): HostStats;
  /** The whole file (by path or open descriptor). */
  readFileSync(path: string | number): Uint8Array;
  writeFileSync(path: string, data: string | Uint8Array): void;
  /** Entry names, sorted by code unit (as node:fs's readdirSync). */
  readdirSync(path: string): string[];
  /** Entry names in the file system's own order (opendir), which TF's glob keeps. */
  readdirRawSync(path: string): string[];
  mkdirSync(path: string, options?: { recursive?: boolean }): void;
  /** Creates a fresh directory named `prefix` + six random characters; returns its path. */
  mkdtempSync(prefix: string): string;
  rmSync(path: string, options?: { recursive?: boolean; force?: boolean }): void;
  renameSync(from: string, to: string): void;
  openSync(path: string, flags: 'r' | 'w' | 'a'): number;
  /** Reads up to `length` bytes at `position` into buffer[offset…]; returns the count read. */
  readSync(
    fd: number,
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number,
  ): number;
  /** Writes buffer[offset, offset + length) at the file's end or cursor; returns the count. */
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  fsyncSync(fd: number): void;
  closeSync(fd: number): void;
}

/** What a kernel-pool worker is started with (src/engine/pool_worker_loop.mjs reads it). */
export interface PoolWorkerInit {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly control: SharedArrayBuffer;
  readonly names: readonly string[];
  readonly index: number;
  readonly spin: number;
  readonly layout: Readonly<Record<string, number>>;
}

/** A started kernel-pool worker. */
export interface PoolWorker {
  /** Resolves at the worker's first message ('ready'); rejects if it fails to start. */
  readonly ready: Promise<void>;
  terminate(): Promise<void>;
  /** Lets the process exit while the worker lives (Node; a no-op elsewhere). */
  unref(): void;
}

export interface Host {
  /** 'node' or 'browser', for messages. */
  readonly name: string;
  readonly fs: HostFs;
  /** Where the package's models/ and data/ are (in a browser: a folder of the in-memory fs). */
  packageDir(): string;
  /** Threads the machine can run at once. */
  cpuCount(): number;
  spawnPoolWorker(init: PoolWorkerInit): PoolWorker;
  /** The bytes of build/<fileName> (the kernels' .wasm builds). */
  kernelWasm(fileName: string): Promise<Uint8Array>;
  /** Lets the runtime compile relaxed-SIMD wasm where it needs a flag for it (Node 20). */
  enableRelaxedSimd(): void;
  /** The native kernels' Node-API addon, or a one-line reason why there is none here. */
  loadNativeAddon(): unknown;
  /** Writes one line of log output (stderr in Node). */
  writeLog(line: string): void;
  /** Resolves after pending I/O and timers had their turn (a server stays responsive). */
  yieldToEventLoop(): Promise<void>;
  /** The folder for temporary files. */
  tmpdir(): string;
  /** The machine's name (TF's events file names carry it). */
  hostname(): string;
  /** The process id (temporary file names carry it). */
  pid(): number;
}

let installed: Host | undefined;

/** The host the entry point installed; a BertError when there is none. */
export function host(): Host {
  if (installed === undefined) {
    throw new BertError(
      "no host installed: import 'bert-ts' (Node) or 'bert-ts/web' (browser) first",
    );
  }
  return installed;
}

/** Makes `h` the host of every later call (the entry points do this on import). */
export function installHost(h: Host): void {
  installed = h;
}
