// How the wasm kernels cut their work into per-thread ranges, and the argument checks every kernel
// makes before handing byte addresses to WebAssembly (a wrong size there would not throw: it would
// read or overwrite a neighbouring buffer of the shared memory).
import { ConfigError, ShapeError, check } from '../util/errors.js';
import { MAX_CHUNKS, type Chunks } from './pool.js';

/**
 * Below this many multiply-adds (or element operations) a kernel runs on the main thread alone:
 * waking a sleeping worker costs tens of µs, about what 2^16 element operations take.
 */
export const MIN_PARALLEL_WORK = 1 << 16;

/** Chunks per thread: enough for the main thread to take over a late worker's share. */
const CHUNKS_PER_THREAD = 4;

/**
 * Cuts [0, total) into chunks whose starts are multiples of `grain` (a SIMD width, 4-row strips,
 * or 16 floats = one cache line, so two threads never write one cache line): one chunk when the
 * `work` (multiply-adds or element operations) is too small to share, else about
 * CHUNKS_PER_THREAD per thread.
 */
export function chunking(threads: number, total: number, grain: number, work: number): Chunks {
  if (threads === 1 || work < MIN_PARALLEL_WORK) return { total, per: Math.max(1, total) };
  const n = Math.min(threads * CHUNKS_PER_THREAD, Math.ceil(total / grain), MAX_CHUNKS);
  return { total, per: Math.max(grain, Math.ceil(total / n / grain) * grain) };
}

/** Throws a ShapeError unless every buffer holds at least n elements. */
export function sizes(kernel: string, n: number, bufs: Record<string, { length: number }>): void {
  for (const [name, a] of Object.entries(bufs)) {
    if (a.length < n) {
      throw new ShapeError(`${kernel}: ${name} has ${a.length} elements, the shapes need ${n}`);
    }
  }
}

/** Throws a ShapeError naming the first id outside [0, limit), as the reference does. */
export function checkIds(
  kernel: string,
  ids: Int32Array,
  n: number,
  limit: number,
  what: string,
  T: number,
): void {
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    if (id < 0 || id >= limit) {
      const where = `${what}[${Math.floor(i / T)}][${i % T}]`;
      throw new ShapeError(`${kernel}: ${where} = ${id} is outside the table of ${limit} rows`);
    }
  }
}

/** Throws a ShapeError naming the first label outside [0, N). */
export function checkLabels(labels: Int32Array, R: number, N: number): void {
  for (let r = 0; r < R; r++) {
    const label = labels[r]!;
    if (label < 0 || label >= N)
      throw new ShapeError(`cross entropy: label_ids[${r}] = ${label} is outside [0, ${N})`);
  }
}

/** Dropout probabilities run from 0 (no dropout) up to, not including, 1. */
export function checkDropout(p: number): void {
  if (!(p >= 0 && p < 1)) throw new ConfigError(`dropout probability ${p} is outside [0, 1)`);
}

/** Throws a ShapeError unless `runs` holds sorted, non-overlapping pairs [start, end) within [0, n). */
export function checkRuns(runs: Int32Array, n: number): void {
  check(runs.length % 2 === 0, () => `internal: ${runs.length} run bounds`);
  for (let i = 0, prevEnd = 0; i < runs.length; i += 2) {
    const [start, end] = [runs[i]!, runs[i + 1]!];
    if (!(prevEnd <= start && start <= end && end <= n))
      throw new ShapeError(
        `adamWeightDecay: decay run [${start}, ${end}) is out of order or outside [0, ${n})`,
      );
    prevEnd = end;
  }
}
