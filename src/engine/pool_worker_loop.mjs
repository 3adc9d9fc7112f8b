// The body of each pool worker (src/engine/pool.ts), shared by the Node entry (pool_worker.mjs,
// worker_threads) and the browser entry (pool_worker_web.mjs, a Web Worker). Plain JavaScript so
// that it runs unchanged from src/ (vitest) and from dist/ (the build copies it there). It
// instantiates the kernel module on the shared memory, then loops: wait for the generation counter
// to move, claim chunks of the posted kernel until none is left, running each with its own scratch
// address, and count them done. The control block's layout comes from pool.ts (init.layout); the
// claim word: see claimChunk. It never returns: the pool stops it by setting the stop flag (then the
// loop ends) or by terminating the worker.

/**
 * Claims the next chunk of generation `gen` in control block `ctrl` (its claim word at slot
 * `layout.CLAIM`: the generation's low 20 bits beside the chunks left to claim, counted down), or
 * returns −1 when none is left or the generation is over. The job's fields are read only after a
 * won claim: a thread that read the chunk count first could take the NEXT job's count and run one
 * of its chunks twice. The pool's thread (pool.ts) and every worker claim through this one function.
 */
export function claimChunk(ctrl, gen, layout) {
  for (;;) {
    const word = Atomics.load(ctrl, layout.CLAIM);
    const left = word & 0xfff;
    if (word >>> 12 !== (gen & 0xfffff) || left === 0) return -1;
    if (Atomics.compareExchange(ctrl, layout.CLAIM, word, word - 1) === word) {
      return Atomics.load(ctrl, layout.NCHUNKS) - left;
    }
  }
}

/**
 * Runs the worker described by `init` ({ module, memory, control, names, index, spin, layout },
 * host/host.ts's PoolWorkerInit); `post(message)` sends a message to the pool's thread: 'ready'
 * once, then a line per failed kernel chunk.
 */
export function runPoolWorker(init, post) {
  const { module, memory, control, names, index, spin, layout } = init;
  const { GEN, DONE, OP, NARGS, STOP, ERROR, NCHUNKS, TOTAL, PER, SCRATCH } = layout;
  const instance = new WebAssembly.Instance(module, { env: { memory } });
  const fns = names.map((name) => instance.exports[name]);
  const ctrl = new Int32Array(control, 0, layout.INTS);
  const args = new Float64Array(control, layout.ARGS_BYTE, layout.MAX_ARGS);

  /** Spins `spin` polls for a new generation (cheap when kernels come back to back), then sleeps. */
  function nextGeneration(seen) {
    for (let i = 0; i < spin; i++)
      if (Atomics.load(ctrl, GEN) !== seen) return Atomics.load(ctrl, GEN);
    while (Atomics.load(ctrl, GEN) === seen) Atomics.wait(ctrl, GEN, seen);
    return Atomics.load(ctrl, GEN);
  }

  /** Runs chunk c of the current job (its fields are stable while a chunk of it is unfinished). */
  function runChunk(c) {
    const [n, per] = [ctrl[NCHUNKS], ctrl[PER]];
    const start = c * per;
    const end = Math.min(ctrl[TOTAL], start + per);
    try {
      fns[ctrl[OP]](...args.subarray(0, ctrl[NARGS]), start, end, ctrl[SCRATCH + index] >>> 0);
    } catch (e) {
      Atomics.store(ctrl, ERROR, index);
      post(`worker ${index}: ${names[ctrl[OP]]}: ${e}`);
    }
    if (Atomics.add(ctrl, DONE, 1) + 1 >= n) Atomics.notify(ctrl, DONE);
  }

  let seen = Atomics.load(ctrl, GEN);
  post('ready');
  for (;;) {
    seen = nextGeneration(seen);
    if (Atomics.load(ctrl, STOP)) break;
    for (let c = claimChunk(ctrl, seen, layout); c >= 0; c = claimChunk(ctrl, seen, layout))
      runChunk(c);
  }
}
