// The dropout mask generator shared by every kernel set. Dropout must give the same mask bits in
// the reference kernels (engine/reference/dropout.ts) and in the WebAssembly ones
// (engine/wasm/dropout.ts mirrors these lines), for any number of threads: so the mask of element
// i is a pure function of (seed, i) — a counter-based generator — not a stream of random numbers.
//
// The hash is lowbias32 (Chris Wellons' hash-prospector: a 32-bit integer finaliser in the style
// of murmur3's fmix32, with better avalanche) applied to seed ^ i·φ, where φ = 0x9e3779b9 is the
// 32-bit golden-ratio constant that spreads consecutive indices over the whole 32-bit range.
// Element i is dropped when hash(seed, i) < dropoutThreshold(p), i.e. with probability p.

import type { FloatArray } from './kernels.js';

const GOLDEN = 0x9e3779b9;

/** lowbias32(seed ^ i·φ) as an unsigned 32-bit integer in [0, 2³²). */
export function dropoutHash(seed: number, i: number): number {
  let x = (seed ^ Math.imul(i, GOLDEN)) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * The unsigned 32-bit bound under which an element is dropped: round(p·2³²), clamped to
 * 2³² − 1. Meant for 0 < p < 1 (p = 0 keeps everything without hashing).
 */
export function dropoutThreshold(p: number): number {
  return Math.min(Math.round(p * 4294967296), 4294967295);
}

/**
 * Writes mask(n) ∈ {0, 1/(1−p)} under seed, element i drawn at index firstIndex + i; p = 0 gives
 * all ones. The reference kernels draw their masks with it, and so does a model that computes only
 * some rows of a layer (the mask bits those rows have in the full layout).
 */
export function fillDropoutMask(
  mask: FloatArray,
  p: number,
  seed: number,
  n: number,
  firstIndex = 0,
): void {
  if (p === 0) {
    mask.fill(1, 0, n);
    return;
  }
  const threshold = dropoutThreshold(p);
  const keepScale = 1 / (1 - p);
  for (let i = 0; i < n; i++)
    mask[i] = dropoutHash(seed, firstIndex + i) >= threshold ? keepScale : 0;
}
