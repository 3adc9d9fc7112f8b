// Reference inverted dropout (modeling.dropout: tf.nn.dropout with keep_prob = 1 − p). The mask
// comes from the counter-based hash of engine/dropout_hash.ts, so it depends on (seed, index) only.
import type { FloatArray } from '../kernels.js';
import { fillDropoutMask } from '../dropout_hash.js';

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
