// Reference multi-head attention core (modeling.attention_layer after the Q/K/V dense layers), the
// first Tq tokens of each sequence as queries against all T as keys (Tq = T: self-attention):
// scores = q·kᵀ/√HS + maskBias[b, key] (maskBias = (1 − input_mask)·(−10000)), probs = softmax,
// attention dropout, ctx = dropped probs · v. q, ctx: (B,Tq,C); k, v: (B,T,C), with C = NH·HS and
// head h in channels [h·HS, (h+1)·HS); probs, dropMask: (B,NH,Tq,T), query rows then key columns.
import type { FloatArray } from '../kernels.js';
import { fillDropoutMask } from '../dropout_hash.js';

interface Dims {
  B: number;
  Tq: number;
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
  const { Tq, T, NH, HS } = d;
  const C = NH * HS;
  const row = ((b * NH + h) * Tq + t) * T;
  const qOff = (b * Tq + t) * C + h * HS;
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

/**
 * dropMask(B,NH,Tq,T) for dropout p: element (pair, i, j) drawn at index (pair·T + i)·T + j of the
 * full (B,NH,T,T) tensor, so the first Tq query rows get the masks self-attention would draw.
 */
function fillQueryRowsMask(
  dropMask: FloatArray,
  p: number,
  seed: number,
  pairs: number,
  Tq: number,
  T: number,
): void {
  const n = Tq * T;
  for (let pair = 0; pair < pairs; pair++)
    fillDropoutMask(dropMask.subarray(pair * n, pair * n + n), p, seed, n, pair * T * T);
}

/** Writes ctx(B,Tq,C), probs(B,NH,Tq,T) and (when p > 0) dropMask(B,NH,Tq,T). */
export function attentionForward(
  ctx: FloatArray,
  probs: FloatArray,
  dropMask: FloatArray,
  q: FloatArray,
  k: FloatArray,
  v: FloatArray,
  maskBias: FloatArray,
  B: number,
  Tq: number,
  T: number,
  NH: number,
  HS: number,
  p: number,
  seed: number,
): void {
  const d = { B, Tq, T, NH, HS };
  const C = NH * HS;
  if (p > 0) fillQueryRowsMask(dropMask, p, seed, B * NH, Tq, T);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < NH; h++) {
      for (let t = 0; t < Tq; t++) {
        scoreRow(probs, q, k, maskBias, d, b, h, t);
        const row = ((b * NH + h) * Tq + t) * T;
        const out = (b * Tq + t) * C + h * HS;
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
 * Accumulates dq (B,Tq,C), dk, dv (B,T,C) from dCtx(B,Tq,C), the saved probs (before dropout) and
 * dropMask.
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
  Tq: number,
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
      for (let t = 0; t < Tq; t++) {
        const row = ((b * NH + h) * Tq + t) * T;
        const oOff = (b * Tq + t) * C + h * HS;
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
