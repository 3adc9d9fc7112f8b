// Reference inverted dropout (modeling.dropout: tf.nn.dropout with keep_prob = 1 − p). The mask
// comes from the counter-based hash of engine/dropout_hash.ts, so it depends on (seed, index) only.
import type { FloatArray } from '../kernels.js';
import { dropoutHash, dropoutThreshold } from '../dropout_hash.js';

/**
 * Writes mask(n) ∈ {0, 1/(1−p)} under seed, element i drawn at index firstIndex + i; p = 0 gives
 * all ones.
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

/** out(n) = inp·mask with a fresh mask(n) drawn from (seed, p). */
export function dropoutForward(
  out: FloatArray,
  mask: FloatArray,
  inp: FloatArray,
  p: number,
  seed: number,
  n: number,
): void {
  fillDropoutMask(mask, p, seed, n);
  for (let i = 0; i < n; i++) out[i] = inp[i]! * mask[i]!;
}

/** dInp(n) += dOut·mask. */
export function dropoutBackward(
  dInp: FloatArray,
  dOut: FloatArray,
  mask: FloatArray,
  n: number,
): void {
  for (let i = 0; i < n; i++) dInp[i] = dInp[i]! + dOut[i]! * mask[i]!;
}
