// The last encoder layer when only token 0 of its output is read (run_classifier: the pooler takes
// sequence_output[:, 0]). Keys and values still need every row, but the query, the attention
// context, the attention output block and the feed-forward block are only needed for the B rows of
// token 0. Exact, not an approximation: the rows left out carry no gradient in the full backward.
// Compact buffers hold those B rows (B,C) in the first B·C elements of the layer's own (BT,C)
// buffers; probs and its mask are (B,NH,T). Dropout masks are drawn at the indices the full
// layout uses (engine/dropout_hash.ts), so they are the bits the full layer would draw.
import type { FloatArray, Kernels } from '../engine/kernels.js';
import { dropoutHash, dropoutThreshold } from '../engine/dropout_hash.js';
import type { LayerActs, Scratch } from './activations.js';
import {
  attentionBlockBackward,
  feedForwardBackward,
  type LayerDims,
  type LayerParams,
  type LayerSeeds,
} from './encoder_layer.js';

/** mask(B,n) of the rows at element offsets b·stride, as the full mask would hold them there. */
function stridedMask(
  mask: FloatArray,
  p: number,
  seed: number,
  B: number,
  n: number,
  stride: number,
): void {
  if (p === 0) {
    mask.fill(1, 0, B * n);
    return;
  }
  const threshold = dropoutThreshold(p);
  const keep = 1 / (1 - p);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < n; i++)
      mask[b * n + i] = dropoutHash(seed, b * stride + i) >= threshold ? keep : 0;
  }
}

/** out = inp·mask over n elements (dropoutBackward accumulates, so zero out first). */
function applyMask<A extends FloatArray>(k: Kernels<A>, out: A, inp: A, mask: A, n: number): void {
  k.zero(out, n);
  k.dropoutBackward(out, inp, mask, n);
}

/** first(B,C) = x rows b·T (token 0 of each sequence). */
export function gatherFirst<A extends FloatArray>(
  first: A,
  x: A,
  B: number,
  T: number,
  C: number,
): void {
  for (let b = 0; b < B; b++) first.set(x.subarray(b * T * C, b * T * C + C), b * C);
}

/**
 * Forward of the last layer for token 0 only: a.out's first B·C elements = layer(x)[:, 0] (B,C).
 * xFirst (B,C) receives x[:, 0] and is kept for the backward.
 */
export function firstTokenLayerForward<A extends FloatArray>(
  k: Kernels<A>,
  p: LayerParams<A>,
  a: LayerActs<A>,
  s: Scratch<A>,
  x: A,
  xFirst: A,
  maskBias: A,
  d: LayerDims,
  seeds: LayerSeeds,
): void {
  const { B, T, C, I, NH, HS } = d;
  const BT = B * T;
  k.matmul(a.k, x, p.kW, p.kB, BT, C, C, false, false, false);
  k.matmul(a.v, x, p.vW, p.vB, BT, C, C, false, false, false);
  gatherFirst(xFirst, x, B, T, C);
  k.matmul(a.q, xFirst, p.qW, p.qB, B, C, C, false, false, false);
  k.attentionForward(
    a.ctx,
    a.probs,
    a.probsMask,
    a.q,
    a.k,
    a.v,
    maskBias,
    B,
    1,
    T,
    NH,
    HS,
    d.pAttn,
    seeds.attnProbs,
  );
  k.matmul(s.dense, a.ctx, p.attnW, p.attnB, B, C, C, false, false, false);
  stridedMask(a.attnMask, d.pHidden, seeds.attnOut, B, C, T * C);
  applyMask(k, a.attnResidual, s.dense, a.attnMask, B * C);
  k.accumulate(a.attnResidual, xFirst, B * C);
  k.layernormForward(
    a.attnOut,
    a.attnMean,
    a.attnRstd,
    a.attnResidual,
    p.attnGamma,
    p.attnBeta,
    B,
    C,
  );
  k.matmul(a.inter, a.attnOut, p.interW, p.interB, B, C, I, false, false, false);
  k.activationForward(d.act, a.interAct, a.inter, B * I);
  k.matmul(s.dense, a.interAct, p.outW, p.outB, B, I, C, false, false, false);
  stridedMask(a.ffnMask, d.pHidden, seeds.ffnOut, B, C, T * C);
  applyMask(k, a.ffnResidual, s.dense, a.ffnMask, B * C);
  k.accumulate(a.ffnResidual, a.attnOut, B * C);
  k.layernormForward(a.out, a.outMean, a.outRstd, a.ffnResidual, p.outGamma, p.outBeta, B, C);
}

/**
 * Backward of firstTokenLayerForward: dOut (B,C) = dLoss/d(layer output at token 0); accumulates
 * the layer's parameter gradients into g and dX (BT,C) += dLoss/dx — through keys and values for
 * every row, and through the query and the residual for token 0.
 */
export function firstTokenLayerBackward<A extends FloatArray>(
  k: Kernels<A>,
  p: LayerParams<A>,
  g: LayerParams<A>,
  a: LayerActs<A>,
  s: Scratch<A>,
  xFirst: A,
  x: A,
  dX: A,
  dOut: A,
  d: LayerDims,
): void {
  const { B, T, C } = d;
  const BC = B * C;
  k.zero(s.dAttnOut, BC);
  feedForwardBackward(k, p, g, a, s, dOut, { ...d, T: 1 }); // row-wise: the B rows of token 0
  // attnOut = LayerNorm(dropout(ctx·attnW + attnB) + xFirst); dXFirst collects in dFirst's place
  const dXFirst = s.dFirst;
  k.zero(dXFirst, BC);
  attentionBlockBackward(k, p, g, a, s, x, dX, { Tq: 1, x: xFirst, dX: dXFirst }, d);
  for (let b = 0; b < B; b++) {
    k.accumulate(
      dX.subarray(b * T * C, b * T * C + C) as A,
      dXFirst.subarray(b * C, b * C + C) as A,
      C,
    );
  }
}
