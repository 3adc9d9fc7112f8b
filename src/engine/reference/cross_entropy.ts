// Reference softmax cross-entropy per row (run_classifier.create_model's log_softmax and
// one-hot loss before the mean). Shapes: logits/probs (R,N), labels/losses (R).
import type { FloatArray } from '../kernels.js';
import { ShapeError } from '../../util/errors.js';

/** losses(R) = −log softmax(logits)[label]; writes probs(R,N). Throws ShapeError on a bad label. */
export function crossEntropyForward(
  losses: FloatArray,
  probs: FloatArray,
  logits: FloatArray,
  labels: Int32Array,
  R: number,
  N: number,
): void {
  for (let r = 0; r < R; r++) {
    const label = labels[r]!;
    if (label < 0 || label >= N)
      throw new ShapeError(`cross entropy: label_ids[${r}] = ${label} is outside [0, ${N})`);
    let max = -Infinity;
    for (let j = 0; j < N; j++) max = Math.max(max, logits[r * N + j]!);
    let sum = 0;
    for (let j = 0; j < N; j++) sum += Math.exp(logits[r * N + j]! - max);
    const logSum = max + Math.log(sum);
    for (let j = 0; j < N; j++) probs[r * N + j] = Math.exp(logits[r * N + j]! - logSum);
    losses[r] = logSum - logits[r * N + label]!;
  }
}

/** dLogits(R,N) += dLoss[r]·(probs − onehot(labels[r])). */
export function crossEntropyBackward(
  dLogits: FloatArray,
  dLoss: FloatArray,
  probs: FloatArray,
  labels: Int32Array,
  R: number,
  N: number,
): void {
  for (let r = 0; r < R; r++) {
    const label = labels[r]!;
    for (let j = 0; j < N; j++) {
      const target = j === label ? 1 : 0;
      dLogits[r * N + j] = dLogits[r * N + j]! + dLoss[r]! * (probs[r * N + j]! - target);
    }
  }
}
