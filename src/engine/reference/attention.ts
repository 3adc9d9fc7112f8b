// Reference multi-head self-attention core (modeling.attention_layer after the Q/K/V dense layers):
// scores = q·kᵀ/√HS + maskBias[b, key] (maskBias = (1 − input_mask)·(−10000)), probs = softmax,
// attention dropout, ctx = dropped probs · v. q, k, v, ctx: (B,T,C) with C = NH·HS and head h in
// channels [h·HS, (h+1)·HS); probs, dropMask: (B,NH,T,T), query rows then key columns.
import type { FloatArray } from '../kernels.js';
import { fillDropoutMask } from './dropout.js';

interface Dims {
  B: number;
  T: number;
  NH: number;
  HS: number;
}

/** Softmax row (b, h, query t) of probs from q, k and the key mask bias. */
function scoreRow(
  probs: FloatArray,
  q: FloatArray,
  k: FloatArray,
  maskBias: FloatArray,
  d: Dims,
  b: number,
  h: number,
  t: number,
): void {
  const { T, NH, HS } = d;
  const C = NH * HS;
  const row = ((b * NH + h) * T + t) * T;
  const qOff = (b * T + t) * C + h * HS;
  const scale = 1 / Math.sqrt(HS);
  let max = -Infinity;
  for (let t2 = 0; t2 < T; t2++) {
    const kOff = (b * T + t2) * C + h * HS;
    let dot = 0;
    for (let i = 0; i < HS; i++) dot += q[qOff + i]! * k[kOff + i]!;
    const s = dot * scale + maskBias[b * T + t2]!;
    probs[row + t2] = s;
    if (s > max) max = s;
  }
  let sum = 0;
  for (let t2 = 0; t2 < T; t2++) {
    const e = Math.exp(probs[row + t2]! - max);
    probs[row + t2] = e;
    sum += e;
  }
  for (let t2 = 0; t2 < T; t2++) probs[row + t2] = probs[row + t2]! / sum;
}

/** Writes ctx(B,T,C), probs(B,NH,T,T) and (when p > 0) dropMask(B,NH,T,T). */
export function attentionForward(
  ctx: FloatArray,
  probs: FloatArray,
  dropMask: FloatArray,
  q: FloatArray,
  k: FloatArray,
  v: FloatArray,
  maskBias: FloatArray,
  B: number,
  T: number,
  NH: number,
  HS: number,
  p: number,
  seed: number,
): void {
  const d = { B, T, NH, HS };
  const C = NH * HS;
  if (p > 0) fillDropoutMask(dropMask, p, seed, B * NH * T * T);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < NH; h++) {
      for (let t = 0; t < T; t++) {
        scoreRow(probs, q, k, maskBias, d, b, h, t);
        const row = ((b * NH + h) * T + t) * T;
        const out = (b * T + t) * C + h * HS;
        for (let i = 0; i < HS; i++) {
          let sum = 0;
          for (let t2 = 0; t2 < T; t2++) {
            const pr = p > 0 ? probs[row + t2]! * dropMask[row + t2]! : probs[row + t2]!;
            sum += pr * v[(b * T + t2) * C + h * HS + i]!;
          }
          ctx[out + i] = sum;
        }
      }
    }
  }
}

/**
 * Accumulates dq, dk, dv (B,T,C) from dCtx(B,T,C), the saved probs (before dropout) and dropMask.
 * Per row: dProbs = (dCtx·vᵀ)∘mask, dScores = probs∘(dProbs − Σ probs∘dProbs), then
 * dq += dScores·k/√HS, dk += dScoresᵀ·q/√HS, dv += (probs∘mask)ᵀ·dCtx.
 */
export function attentionBackward(
  dq: FloatArray,
  dk: FloatArray,
  dv: FloatArray,
  dCtx: FloatArray,
  probs: FloatArray,
  dropMask: FloatArray,
  q: FloatArray,
  k: FloatArray,
  v: FloatArray,
  B: number,
  T: number,
  NH: number,
  HS: number,
  p: number,
): void {
  const C = NH * HS;
  const scale = 1 / Math.sqrt(HS);
  const dScores = new Float64Array(T); // one row of scratch: the reference may allocate
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < NH; h++) {
      for (let t = 0; t < T; t++) {
        const row = ((b * NH + h) * T + t) * T;
        const oOff = (b * T + t) * C + h * HS;
        let dot = 0;
        for (let t2 = 0; t2 < T; t2++) {
          const vOff = (b * T + t2) * C + h * HS;
          const m = p > 0 ? dropMask[row + t2]! : 1;
          let dp = 0;
          for (let i = 0; i < HS; i++) {
            dp += dCtx[oOff + i]! * v[vOff + i]!;
            dv[vOff + i] = dv[vOff + i]! + probs[row + t2]! * m * dCtx[oOff + i]!;
          }
          dScores[t2] = dp * m;
          dot += probs[row + t2]! * dScores[t2]!;
        }
        for (let t2 = 0; t2 < T; t2++) {
          const ds = probs[row + t2]! * (dScores[t2]! - dot) * scale;
          const kOff = (b * T + t2) * C + h * HS;
          for (let i = 0; i < HS; i++) {
            dq[oOff + i] = dq[oOff + i]! + ds * k[kOff + i]!;
            dk[kOff + i] = dk[kOff + i]! + ds * q[oOff + i]!;
          }
        }
      }
    }
  }
}
