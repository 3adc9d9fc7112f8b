// The last encoder layer when only token 0 of its output is read (run_classifier: the pooler takes
// sequence_output[:, 0]). Keys and values still need every row, but the query, the attention
// context, the attention output block and the feed-forward block are only needed for the B rows of
// token 0: encoder_layer.ts run with QueryRows Tq = 1. Exact, not an approximation: the rows left
// out carry no gradient in the full backward, and the kept rows' dropout masks are drawn at the
// indices the full layout uses (engine/dropout_hash.ts), so they are the bits the full layer draws.
import type { FloatArray, Kernels } from '../engine/kernels.js';
import type { LayerActs, Scratch } from './activations.js';
import {
  encoderLayerBackward,
  encoderLayerForward,
  type LayerDims,
  type LayerParams,
  type LayerSeeds,
} from './encoder_layer.js';

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
  gatherFirst(xFirst, x, d.B, d.T, d.C);
  encoderLayerForward(k, p, a, s, x, maskBias, d, seeds, { Tq: 1, x: xFirst });
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
  const dXFirst = s.dFirst; // free again: bert_model copied the pooler's gradient into dOut
  k.zero(dXFirst, B * C);
  encoderLayerBackward(k, p, g, a, s, x, dX, dOut, d, { Tq: 1, x: xFirst }, dXFirst);
  for (let b = 0; b < B; b++) {
    k.accumulate(
      dX.subarray(b * T * C, b * T * C + C) as A,
      dXFirst.subarray(b * C, b * C + C) as A,
      C,
    );
  }
}
