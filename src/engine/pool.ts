// The thread pool of the wasm kernels: the main thread plus threads − 1 worker_threads, each with
// its own instance of the kernel module over the one shared WebAssembly.Memory. The API is
// synchronous, as the model calls kernels one after another:
//   run(op, args, ranges): the main thread writes the kernel's index, its arguments and one
//   [start, end) range per thread into a small SharedArrayBuffer (the control block), sets the
//   count of pending workers, bumps the generation counter and Atomics.notify-s; it then computes
//   range 0 itself and waits (a short spin, then Atomics.wait) until the workers have counted down.
// Workers spin briefly after each job (kernels come in bursts) and then sleep in Atomics.wait, so
// an idle pool costs no CPU; they are unref()-ed, so a pool never keeps the process alive, and
// dispose() stops and terminates them.
// A kernel is called as fn(...args, start, end, scratch): `scratch` is the byte address of the
// calling thread's own scratch memory (setScratch), which kernels that need none ignore.
// Control block (Int32 slots): 0 generation, 1 pending workers, 2 kernel index, 3 argument count,
// 4 stop flag, 5 failed worker index (0 = none), 8.. [start, end, scratch] per thread; float64
// arguments from byte 256 (numbers: byte addresses, sizes, scalars and 0/1 for booleans).
import { Worker } from 'node:worker_threads';
import { BertError, check } from '../util/errors.js';

const GEN = 0;
const PENDING = 1;
const OP = 2;
const NARGS = 3;
const STOP = 4;
const ERROR = 5;
const RANGES = 8;
const MAX_ARGS = 32;
/** Threads the control block has room for (8 + 3·16 Int32 slots before byte 256). */
export const MAX_THREADS = 16;
/** Polls before sleeping: ≈ 50–100 µs, longer than the gap between two kernels of a step. */
const SPIN = 20000;

/** A wasm kernel export: numbers in (the last three: the thread's start, end and scratch). */
export type WasmFn = (...args: number[]) => unknown;

/** One [start, end) per thread, thread 0 being the main thread. */
export type Ranges = ReadonlyArray<readonly [number, number]>;

export class Pool {
  private readonly ctrl: Int32Array;
  private readonly args: Float64Array;
  private disposed = false;
  private mainScratch = 0;

  private constructor(
    readonly threads: number,
    private readonly names: readonly string[],
    private readonly fns: readonly WasmFn[],
    private readonly workers: Worker[],
    control: SharedArrayBuffer,
  ) {
    this.ctrl = new Int32Array(control, 0, 64);
    this.args = new Float64Array(control, 256, MAX_ARGS);
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
    const control = new SharedArrayBuffer(256 + 8 * MAX_ARGS);
    const url = new URL('./pool_worker.mjs', import.meta.url);
    const workers: Worker[] = [];
    const ready: Promise<void>[] = [];
    for (let index = 1; index < threads; index++) {
      const workerData = { module, memory, control, names, index, spin: SPIN };
      const w = new Worker(url, { workerData });
      workers.push(w);
      ready.push(
        new Promise((resolve, reject) => {
          w.once('message', () => resolve());
          w.once('error', reject);
        }),
      );
    }
    try {
      await Promise.all(ready);
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw new BertError(`wasm kernel pool: a worker failed to start: ${String(e)}`);
    }
    for (const w of workers) w.unref();
    return new Pool(threads, names, fns, workers, control);
  }

  /** Runs kernel `op` with `args` + (start, end) on every thread's range; returns when all are done. */
  run(op: number, args: readonly number[], ranges: Ranges): void {
    check(!this.disposed, () => 'internal: kernel call after dispose()');
    check(args.length <= MAX_ARGS, () => `internal: ${args.length} kernel arguments`);
    const fn = this.fns[op];
    check(fn !== undefined && ranges.length <= this.threads, () => `internal: kernel ${op}`);
    const active = ranges.length - 1;
    if (active > 0) this.post(op, args, ranges);
    const [start, end] = ranges[0] ?? [0, 0];
    try {
      if (start < end) fn(...args, start, end, this.mainScratch);
    } finally {
      // Even when the main thread's slice throws: the next call must not overwrite the control
      // block while workers still run this one.
      if (active > 0) this.join(op);
    }
  }

  private post(op: number, args: readonly number[], ranges: Ranges): void {
    const c = this.ctrl;
    c[OP] = op;
    c[NARGS] = args.length;
    this.args.set(args);
    for (let t = 1; t < this.threads; t++) {
      const r = ranges[t];
      c[RANGES + 3 * t] = r ? r[0] : 0;
      c[RANGES + 3 * t + 1] = r ? r[1] : 0;
    }
    Atomics.store(c, PENDING, this.threads - 1);
    Atomics.add(c, GEN, 1);
    Atomics.notify(c, GEN);
  }

  private join(op: number): void {
    const c = this.ctrl;
    for (let i = 0; ; i++) {
      const pending = Atomics.load(c, PENDING);
      if (pending === 0) break;
      if (i >= SPIN) Atomics.wait(c, PENDING, pending);
    }
    const failed = Atomics.exchange(c, ERROR, 0);
    if (failed !== 0)
      throw new BertError(`internal: wasm kernel ${this.names[op]} failed on worker ${failed}`);
  }

  /** Gives thread t the scratch memory at byte address ptrs[t] (passed to every kernel call). */
  setScratch(ptrs: readonly number[]): void {
    check(ptrs.length === this.threads, () => `internal: ${ptrs.length} scratch pointers`);
    this.mainScratch = ptrs[0]!;
    for (let t = 1; t < this.threads; t++) this.ctrl[RANGES + 3 * t + 2] = ptrs[t]!;
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
