// One post-LN transformer layer of modeling.transformer_model, forward and backward, llm.c style:
// the backward is the forward read bottom-up, one kernel call per forward line. Shapes: x and
// every (BT,C) buffer hold BT = B·T rows of C = NH·HS channels; the intermediate is (BT,I).
import type { Activation, FloatArray, Kernels } from '../engine/kernels.js';
import type { LayerActs, Scratch } from './activations.js';
import { layerScope } from './layout.js';
import type { ParameterStore } from './parameters.js';

/** One layer's tensors, as views of the parameter buffer (or of the gradient buffer). */
export interface LayerParams<A extends FloatArray> {
  readonly qW: A; // (C,C) [in, out]
  readonly qB: A; // (C)
  readonly kW: A;
  readonly kB: A;
  readonly vW: A;
  readonly vB: A;
  readonly attnW: A; // attention/output/dense (C,C)
  readonly attnB: A;
  readonly attnGamma: A; // attention/output/LayerNorm
  readonly attnBeta: A;
  readonly interW: A; // intermediate/dense (C,I)
  readonly interB: A; // (I)
  readonly outW: A; // output/dense (I,C)
  readonly outB: A;
  readonly outGamma: A; // output/LayerNorm
  readonly outBeta: A;
}

/** Views of layer l's tensors in the parameter buffer (grads = false) or gradient buffer. */
export function layerParams<A extends FloatArray>(
  store: ParameterStore<A>,
  l: number,
  grads: boolean,
): LayerParams<A> {
  const s = layerScope(l);
  const v = (name: string) => (grads ? store.grad(`${s}/${name}`) : store.view(`${s}/${name}`));
  return {
    qW: v('attention/self/query/kernel'),
    qB: v('attention/self/query/bias'),
    kW: v('attention/self/key/kernel'),
    kB: v('attention/self/key/bias'),
    vW: v('attention/self/value/kernel'),
    vB: v('attention/self/value/bias'),
    attnW: v('attention/output/dense/kernel'),
    attnB: v('attention/output/dense/bias'),
    attnGamma: v('attention/output/LayerNorm/gamma'),
    attnBeta: v('attention/output/LayerNorm/beta'),
    interW: v('intermediate/dense/kernel'),
    interB: v('intermediate/dense/bias'),
    outW: v('output/dense/kernel'),
    outB: v('output/dense/bias'),
    outGamma: v('output/LayerNorm/gamma'),
    outBeta: v('output/LayerNorm/beta'),
  };
}

/** Sizes and switches of one forward/backward call. */
export interface LayerDims {
  readonly B: number;
  readonly T: number;
  readonly C: number;
  readonly NH: number;
  readonly HS: number;
  readonly I: number;
  readonly act: Activation;
  /** hidden_dropout_prob and attention_probs_dropout_prob, 0 when not training. */
  readonly pHidden: number;
  readonly pAttn: number;
}

/** Dropout seeds of one layer's three dropout sites. */
export interface LayerSeeds {
  readonly attnProbs: number;
  readonly attnOut: number;
  readonly ffnOut: number;
}

/** a.out = layer(x); x (BT,C) is read, every buffer of `a` written; maskBias (B,T). */
export function encoderLayerForward<A extends FloatArray>(
  k: Kernels<A>,
  p: LayerParams<A>,
  a: LayerActs<A>,
  s: Scratch<A>,
  x: A,
  maskBias: A,
  d: LayerDims,
  seeds: LayerSeeds,
): void {
  const { B, T, C, NH, HS, I } = d;
  const BT = B * T;
  k.matmul(a.q, x, p.qW, p.qB, BT, C, C, false, false, false);
  k.matmul(a.k, x, p.kW, p.kB, BT, C, C, false, false, false);
  k.matmul(a.v, x, p.vW, p.vB, BT, C, C, false, false, false);
  k.attentionForward(
    a.ctx,
    a.probs,
    a.probsMask,
    a.q,
    a.k,
    a.v,
    maskBias,
    B,
    T,
    T,
    NH,
    HS,
    d.pAttn,
    seeds.attnProbs,
  );
  k.matmul(s.dense, a.ctx, p.attnW, p.attnB, BT, C, C, false, false, false);
  k.dropoutForward(a.attnResidual, a.attnMask, s.dense, d.pHidden, seeds.attnOut, BT * C);
  k.accumulate(a.attnResidual, x, BT * C);
  k.layernormForward(
    a.attnOut,
    a.attnMean,
    a.attnRstd,
    a.attnResidual,
    p.attnGamma,
    p.attnBeta,
    BT,
    C,
  );
  k.matmul(a.inter, a.attnOut, p.interW, p.interB, BT, C, I, false, false, false);
  k.activationForward(d.act, a.interAct, a.inter, BT * I);
  k.matmul(s.dense, a.interAct, p.outW, p.outB, BT, I, C, false, false, false);
  k.dropoutForward(a.ffnResidual, a.ffnMask, s.dense, d.pHidden, seeds.ffnOut, BT * C);
  k.accumulate(a.ffnResidual, a.attnOut, BT * C);
  k.layernormForward(a.out, a.outMean, a.outRstd, a.ffnResidual, p.outGamma, p.outBeta, BT, C);
}

/**
 * Backward of encoderLayerForward: given dOut = dLoss/d(a.out) (BT,C), accumulates the layer's
 * parameter gradients into g and dX += dLoss/dx (BT,C). x is the layer input of the forward.
 * The feed-forward block first (its output is the layer's), then the attention block.
 */
export function encoderLayerBackward<A extends FloatArray>(
  k: Kernels<A>,
  p: LayerParams<A>,
  g: LayerParams<A>,
  a: LayerActs<A>,
  s: Scratch<A>,
  x: A,
  dX: A,
  dOut: A,
  d: LayerDims,
): void {
  const BTC = d.B * d.T * d.C;
  zeroPrefix(k, BTC, s.dAttnOut);
  feedForwardBackward(k, p, g, a, s, dOut, d);
  attentionBlockBackward(k, p, g, a, s, x, dX, { Tq: d.T, x, dX }, d);
}

/**
 * s.dAttnOut += dLoss/d(attnOut) through the feed-forward block, given dOut = dLoss/d(a.out).
 * Row-wise, so first_token_layer.ts calls it on B rows with d.T = 1.
 */
export function feedForwardBackward<A extends FloatArray>(
  k: Kernels<A>,
  p: LayerParams<A>,
  g: LayerParams<A>,
  a: LayerActs<A>,
  s: Scratch<A>,
  dOut: A,
  d: LayerDims,
): void {
  const { C, I } = d;
  const [BT, BTC, BTI] = [d.B * d.T, d.B * d.T * C, d.B * d.T * I];
  zeroPrefix(k, BTC, s.dResidual, s.dDense);
  zeroPrefix(k, BTI, s.dInterAct, s.dInter);
  // a.out = LayerNorm(ffnResidual); ffnResidual = dropout(dense) + attnOut
  const { ffnResidual, outMean, outRstd } = a;
  k.layernormBackward(
    s.dResidual,
    g.outGamma,
    g.outBeta,
    dOut,
    ffnResidual,
    outMean,
    outRstd,
    p.outGamma,
    BT,
    C,
  );
  k.accumulate(s.dAttnOut, s.dResidual, BTC);
  k.dropoutBackward(s.dDense, s.dResidual, a.ffnMask, BTC);
  // dense = interAct·outW + outB; interAct = act(inter); inter = attnOut·interW + interB
  denseBackward(k, s.dInterAct, g.outW, g.outB, s.dDense, a.interAct, p.outW, BT, I, C);
  k.activationBackward(d.act, s.dInter, a.inter, s.dInterAct, BTI);
  denseBackward(k, s.dAttnOut, g.interW, g.interB, s.dInter, a.attnOut, p.interW, BT, C, I);
}

/** The query rows of the attention block: the first Tq tokens of each sequence, their input and its gradient. */
export interface QueryRows<A extends FloatArray> {
  /** T in every layer, 1 in first_token_layer.ts (token 0 only). */
  readonly Tq: number;
  /** The query rows' input (B·Tq, C) and where their gradient collects: x and dX when Tq = T. */
  readonly x: A;
  readonly dX: A;
}

/**
 * dX += dLoss/dx through the attention block, given s.dAttnOut = dLoss/d(attnOut) for the query
 * rows: keys and values see every row of x; the query, the attention output block and the
 * residual only the query rows (all of them, or token 0's in first_token_layer.ts).
 */
export function attentionBlockBackward<A extends FloatArray>(
  k: Kernels<A>,
  p: LayerParams<A>,
  g: LayerParams<A>,
  a: LayerActs<A>,
  s: Scratch<A>,
  x: A,
  dX: A,
  rows: QueryRows<A>,
  d: LayerDims,
): void {
  const { B, T, C, NH, HS } = d;
  const [BQ, BT] = [B * rows.Tq, B * T];
  zeroPrefix(k, BQ * C, s.dResidual, s.dDense, s.dCtx, s.dq);
  zeroPrefix(k, BT * C, s.dk, s.dv);
  // attnOut = LayerNorm(attnResidual); attnResidual = dropout(dense) + x
  const { attnResidual, attnMean, attnRstd } = a;
  k.layernormBackward(
    s.dResidual,
    g.attnGamma,
    g.attnBeta,
    s.dAttnOut,
    attnResidual,
    attnMean,
    attnRstd,
    p.attnGamma,
    BQ,
    C,
  );
  k.accumulate(rows.dX, s.dResidual, BQ * C);
  k.dropoutBackward(s.dDense, s.dResidual, a.attnMask, BQ * C);
  // dense = ctx·attnW + attnB; ctx = attention(q, k, v)
  denseBackward(k, s.dCtx, g.attnW, g.attnB, s.dDense, a.ctx, p.attnW, BQ, C, C);
  const { q, probs, probsMask } = a;
  k.attentionBackward(
    s.dq,
    s.dk,
    s.dv,
    s.dCtx,
    probs,
    probsMask,
    q,
    a.k,
    a.v,
    B,
    rows.Tq,
    T,
    NH,
    HS,
    d.pAttn,
  );
  // q, k, v = x·W + b
  denseBackward(k, rows.dX, g.qW, g.qB, s.dq, rows.x, p.qW, BQ, C, C);
  denseBackward(k, dX, g.kW, g.kB, s.dk, x, p.kW, BT, C, C);
  denseBackward(k, dX, g.vW, g.vB, s.dv, x, p.vW, BT, C, C);
}

/** Backward of out(M,N) = inp(M,K)·w(K,N) + b: dInp += dOut·wᵀ, dW += inpᵀ·dOut, dB += Σ dOut. */
export function denseBackward<A extends FloatArray>(
  k: Kernels<A>,
  dInp: A,
  dW: A,
  dB: A,
  dOut: A,
  inp: A,
  w: A,
  M: number,
  K: number,
  N: number,
): void {
  k.matmul(dInp, dOut, w, null, M, N, K, false, true, true);
  k.matmul(dW, inp, dOut, null, K, M, N, true, false, true);
  k.biasBackward(dB, dOut, M, N);
}

/** Zeroes the first n elements of each buffer: backward kernels accumulate into them. */
function zeroPrefix<A extends FloatArray>(k: Kernels<A>, n: number, ...bufs: A[]): void {
  for (const b of bufs) k.zero(b, n);
}
