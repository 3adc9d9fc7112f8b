// Softmax cross-entropy per row (run_classifier.create_model's log_softmax + one-hot loss, and the
// pre-training heads): logits/probs/dLogits (R,N), labels (R) int32 checked by the caller,
// losses/dLoss (R). Rows [start, end) per thread.
import { rowMax, rowExp, rowScale } from './softmax';

/** losses[r] = log Σ e^logits − logits[label]; probs = softmax(logits). */
export function crossEntropyForwardRange(
  losses: usize,
  probs: usize,
  logits: usize,
  labels: usize,
  N: i32,
  start: i32,
  end: i32,
): void {
  const e = (<usize>N) << 2;
  for (let r = start; r < end; r++) {
    const x = logits + <usize>r * e;
    const p = probs + <usize>r * e;
    const m = rowMax(x, 0, 1, N);
    const s = rowExp(p, x, 0, 1, m, N);
    rowScale(p, 1 / s, N);
    const label = load<i32>(labels + ((<usize>r) << 2));
    store<f32>(losses + ((<usize>r) << 2), m + Mathf.log(s) - load<f32>(x + ((<usize>label) << 2)));
  }
}

/** dLogits[r] += dLoss[r]·(probs[r] − onehot(labels[r])). */
export function crossEntropyBackwardRange(
  dLogits: usize,
  dLoss: usize,
  probs: usize,
  labels: usize,
  N: i32,
  start: i32,
  end: i32,
): void {
  const e = (<usize>N) << 2;
  for (let r = start; r < end; r++) {
    const d = dLogits + <usize>r * e;
    const p = probs + <usize>r * e;
    const g = load<f32>(dLoss + ((<usize>r) << 2));
    const gv = f32x4.splat(g);
    let o: usize = 0;
    for (; o + 16 <= e; o += 16)
      v128.store(d + o, f32x4.add(v128.load(d + o), f32x4.mul(gv, v128.load(p + o))));
    for (; o < e; o += 4) store<f32>(d + o, load<f32>(d + o) + g * load<f32>(p + o));
    const l = d + ((<usize>load<i32>(labels + ((<usize>r) << 2))) << 2);
    store<f32>(l, load<f32>(l) - g);
  }
}
