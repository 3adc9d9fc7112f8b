// The body of each pool worker (src/engine/pool.ts). Plain JavaScript so that it runs unchanged from
// src/ (vitest) and from dist/ (the build copies it there). It instantiates the kernel module on the
// shared memory, then loops: wait for the generation counter to move, run its [start, end) slice of
// the posted kernel (plus its own scratch address), count itself done. Layout of the control block: see pool.ts.
import { parentPort, workerData } from 'node:worker_threads';

const GEN = 0;
const PENDING = 1;
const OP = 2;
const NARGS = 3;
const STOP = 4;
const ERROR = 5;
const RANGES = 8;

const { module, memory, control, names, index, spin } = workerData;
const instance = new WebAssembly.Instance(module, { env: { memory } });
const fns = names.map((name) => instance.exports[name]);
const ctrl = new Int32Array(control, 0, 64);
const args = new Float64Array(control, 256, 32);

/** Spins `spin` polls for a new generation (cheap when kernels come back to back), then sleeps. */
function nextGeneration(seen) {
  for (let i = 0; i < spin; i++)
    if (Atomics.load(ctrl, GEN) !== seen) return Atomics.load(ctrl, GEN);
  while (Atomics.load(ctrl, GEN) === seen) Atomics.wait(ctrl, GEN, seen);
  return Atomics.load(ctrl, GEN);
}

let seen = Atomics.load(ctrl, GEN);
parentPort.postMessage('ready');
for (;;) {
  seen = nextGeneration(seen);
  if (Atomics.load(ctrl, STOP)) break;
  const start = ctrl[RANGES + 3 * index];
  const end = ctrl[RANGES + 3 * index + 1];
  const scratch = ctrl[RANGES + 3 * index + 2] >>> 0;
  if (start < end) {
    try {
      fns[ctrl[OP]](...args.subarray(0, ctrl[NARGS]), start, end, scratch);
    } catch (e) {
      Atomics.store(ctrl, ERROR, index);
      parentPort.postMessage(`worker ${index}: ${names[ctrl[OP]]}: ${e}`);
    }
  }
  if (Atomics.sub(ctrl, PENDING, 1) === 1) Atomics.notify(ctrl, PENDING);
}
