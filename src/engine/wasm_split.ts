// How the wasm kernels cut their work into per-thread ranges (their argument checks:
// kernel_checks.ts).
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
