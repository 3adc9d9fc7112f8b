// The thread pool of the wasm kernels: the main thread plus threads − 1 workers, started by the
// host (host/host.ts: worker_threads in Node, module Web Workers in a browser), each with its own
// instance of the kernel module over the one shared WebAssembly.Memory. The API is synchronous,
// as the model calls kernels one after another. run(op, args, chunks):
//   the main thread writes the kernel's index, its arguments and the chunking of its work (items
//   [0, total) in chunks of `per`) into a small SharedArrayBuffer (the control block), opens the
//   chunks for claiming, bumps the generation counter and Atomics.notify-s; then every thread,
//   main included, claims chunks one at a time (a compare-and-swap on one word) until none is
//   left; the main thread waits (a short spin, then Atomics.wait) until every chunk is done.
// Chunks are claimed, not assigned: on a machine shared with other processes a worker may not be
// scheduled for milliseconds, and with fixed slices the main thread would wait for it; here the
// main thread takes the late worker's chunks itself, so two threads are never much slower than one.
// The claim word holds the generation (20 bits) beside the number of chunks not yet claimed (12
// bits): a chunk is claimed by one compare-and-swap counting it down, and only then are the job's
// slots read — while a claimed chunk is unfinished its job cannot end, so they are its own. (Reading
// the chunk count before the claim, as this pool and the native one once did, let a thread read
// the NEXT job's larger count and run a chunk of it twice.) Results do not depend on who runs a chunk.
// Workers spin briefly after each job (kernels come in bursts) and then sleep in Atomics.wait, so
// an idle pool costs no CPU; they are unref()-ed, so a pool never keeps the process alive, and
// dispose() stops and terminates them.
// A kernel is called as fn(...args, start, end, scratch): `scratch` is the byte address of the
// calling thread's own scratch memory (setScratch), which kernels that need none ignore.
// Control block (Int32 slots): 0 generation, 1 chunks done, 2 kernel index, 3 argument count,
// 4 stop flag, 5 failed worker index (0 = none), 6 claim word, 7 chunk count, 8 total, 9 chunk
// size, 16.. scratch address per thread; float64 arguments from byte 256.
import { host, type PoolWorker } from '../host/host.js';
import { BertError, ConfigError, check } from '../util/errors.js';
import { claimChunk } from './pool_worker_loop.mjs';

/** The control block's layout; the workers get it in their init (one source for both). */
const LAYOUT = {
  GEN: 0,
  DONE: 1,
  OP: 2,
  NARGS: 3,
  STOP: 4,
  ERROR: 5,
  CLAIM: 6,
  NCHUNKS: 7,
  TOTAL: 8,
  PER: 9,
  SCRATCH: 16,
  /** Int32 slots, then the float64 arguments from byte ARGS_BYTE. */
  INTS: 64,
  ARGS_BYTE: 256,
  MAX_ARGS: 32,
} as const;
const { GEN, DONE, OP, NARGS, STOP, ERROR, CLAIM, NCHUNKS, TOTAL, PER, SCRATCH } = LAYOUT;
const { INTS, ARGS_BYTE, MAX_ARGS } = LAYOUT;
/** Threads the control block has room for (scratch slots 16..63). */
export const MAX_THREADS = 48;
/** Chunks per job: the claim word keeps 12 bits for the chunks left to claim. */
export const MAX_CHUNKS = 2048;
/** Polls before sleeping: tens of µs, longer than the gap between two kernels of a step. */
const SPIN = 20000;

/** A wasm kernel export: numbers in (the last three: the chunk's start, end, thread scratch). */
export type WasmFn = (...args: number[]) => unknown;

/** Items [0, total) in chunks of `per` (the last one shorter). */
export interface Chunks {
  readonly total: number;
  readonly per: number;
}

/** The next chunk of generation `gen`, or −1 (the workers' claim, pool_worker_loop.mjs). */
const claim = (ctrl: Int32Array, gen: number): number => claimChunk(ctrl, gen, LAYOUT);

export class Pool {
  private readonly ctrl: Int32Array;
  private readonly args: Float64Array;
  private disposed = false;
  private mainScratch = 0;

  private constructor(
    readonly threads: number,
    private readonly names: readonly string[],
    private readonly fns: readonly WasmFn[],
    private readonly workers: PoolWorker[],
    control: ArrayBufferLike,
  ) {
    this.ctrl = new Int32Array(control, 0, INTS);
    this.args = new Float64Array(control, ARGS_BYTE, MAX_ARGS);
  }

  /**
   * Starts threads − 1 workers, each instantiating `module` on `memory`; `fns` are the main
   * thread's instance's exports named `names` (the workers bind the same names).
   */
  static async create(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    names: readonly string[],
    fns: readonly WasmFn[],
    threads: number,
  ): Promise<Pool> {
    check(threads >= 1 && threads <= MAX_THREADS, () => `internal: ${threads} threads`);
    // One thread shares nothing: a plain buffer, so that a browser page that is not cross-origin
    // isolated (no SharedArrayBuffer global) still runs the kernels on its one thread.
    const bytes = ARGS_BYTE + 8 * MAX_ARGS;
    if (threads > 1 && typeof SharedArrayBuffer === 'undefined') {
      throw new ConfigError(
        `${threads} kernel threads need SharedArrayBuffer, which this page does not have`,
        'serve it cross-origin isolated (COOP same-origin + COEP require-corp), or use 1 thread',
      );
    }
    const shared = threads > 1 ? new SharedArrayBuffer(bytes) : null;
    const control = shared ?? new ArrayBuffer(bytes);
    const workers: PoolWorker[] = [];
    for (let index = 1; shared !== null && index < threads; index++) {
      const init = { module, memory, control: shared, names, index, spin: SPIN, layout: LAYOUT };
      workers.push(host().spawnPoolWorker(init));
    }
    try {
      await Promise.all(workers.map((w) => w.ready));
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw new BertError(`wasm kernel pool: a worker failed to start: ${String(e)}`);
    }
    for (const w of workers) w.unref();
    return new Pool(threads, names, fns, workers, control);
  }

  /** Runs kernel `op` with `args` + (start, end, scratch) over every chunk; returns when done. */
  run(op: number, args: readonly number[], chunks: Chunks): void {
    check(!this.disposed, () => 'internal: kernel call after dispose()');
    check(args.length <= MAX_ARGS, () => `internal: ${args.length} kernel arguments`);
    const fn = this.fns[op];
    check(fn !== undefined, () => `internal: kernel ${op}`);
    const { total, per } = chunks;
    const n = Math.ceil(total / per);
    check(n <= MAX_CHUNKS, () => `internal: ${n} chunks`);
    if (n <= 1 || this.threads === 1) {
      if (total > 0) fn(...args, 0, total, this.mainScratch);
      return;
    }
    const gen = this.post(op, args, chunks, n);
    // A chunk that throws still counts as done (the job must close before the next one is
    // posted); the first error is rethrown after the join.
    let failure: unknown = null;
    for (let c = claim(this.ctrl, gen); c >= 0; c = claim(this.ctrl, gen)) {
      try {
        fn(...args, c * per, Math.min(total, (c + 1) * per), this.mainScratch);
      } catch (e) {
        failure ??= e;
      }
      Atomics.add(this.ctrl, DONE, 1);
    }
    this.join(op, n);
    if (failure !== null) throw failure;
  }

  private post(op: number, args: readonly number[], chunks: Chunks, n: number): number {
    const c = this.ctrl;
    c[OP] = op;
    c[NARGS] = args.length;
    this.args.set(args);
    c[TOTAL] = chunks.total;
    c[PER] = chunks.per;
    c[NCHUNKS] = n;
    Atomics.store(c, DONE, 0);
    const gen = (c[GEN]! + 1) | 0;
    Atomics.store(c, CLAIM, ((gen & 0xfffff) << 12) | n);
    Atomics.store(c, GEN, gen);
    Atomics.notify(c, GEN);
    return gen;
  }

  private join(op: number, n: number): void {
    const c = this.ctrl;
    for (let i = 0; ; i++) {
      const done = Atomics.load(c, DONE);
      if (done >= n) break;
      if (i >= SPIN) Atomics.wait(c, DONE, done);
    }
    const failed = Atomics.exchange(c, ERROR, 0);
    if (failed !== 0) {
      throw new BertError(`internal: wasm kernel ${this.names[op]} failed on worker ${failed}`);
    }
  }

  /** Gives thread t the scratch memory at byte address ptrs[t] (passed to every kernel call). */
  setScratch(ptrs: readonly number[]): void {
    check(ptrs.length === this.threads, () => `internal: ${ptrs.length} scratch pointers`);
    this.mainScratch = ptrs[0]!;
    for (let t = 1; t < this.threads; t++) this.ctrl[SCRATCH + t] = ptrs[t]!;
  }

  /** Stops and terminates the workers; the pool is unusable afterwards. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    Atomics.store(this.ctrl, STOP, 1);
    Atomics.add(this.ctrl, GEN, 1);
    Atomics.notify(this.ctrl, GEN);
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
