// One post-LN transformer layer of modeling.transformer_model, forward and backward, llm.c style:
// the backward is the forward read bottom-up, one kernel call per forward line. Shapes: x and
// every (BT,C) buffer hold BT = B·T rows of C = NH·HS channels; the intermediate is (BT,I). The
// layer can compute its output for the first Tq tokens of each sequence only (QueryRows): then
// q, ctx and everything after the attention hold B·Tq rows, in the first elements of the buffers.
import type { Activation, FloatArray, Kernels } from '../engine/kernels.js';
import { fillDropoutMask } from '../engine/dropout_hash.js';
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

/**
 * The rows a layer computes its output for: the first Tq tokens of each sequence. Keys and values
 * always cover all T tokens. Tq = T everywhere but run_classifier's last layer, where the pooler
 * reads token 0 only (Tq = 1, docs/model.md): exact, as the rows left out carry no gradient.
 */
export interface QueryRows<A extends FloatArray> {
  readonly Tq: number;
  /** The query rows' input (B·Tq, C): the layer input itself when Tq = T. */
  readonly x: A;
}

/** The rows of every sequence: the layer's input is its own query rows. */
export function allRows<A extends FloatArray>(x: A, d: LayerDims): QueryRows<A> {
  return { Tq: d.T, x };
}

/**
 * a.out (B·Tq, C) = layer(x) at the query rows; x (BT,C) is read, every buffer of `a` written;
 * maskBias (B,T).
 */
export function encoderLayerForward<A extends FloatArray>(
  k: Kernels<A>,
  p: LayerParams<A>,
  a: LayerActs<A>,
  s: Scratch<A>,
  x: A,
  maskBias: A,
  d: LayerDims,
  seeds: LayerSeeds,
  rows: QueryRows<A> = allRows(x, d),
): void {
  const { B, T, C, NH, HS, I } = d;
  const [BQ, BT] = [B * rows.Tq, B * T];
  k.matmul(a.q, rows.x, p.qW, p.qB, BQ, C, C, false, false, false);
  k.matmul(a.k, x, p.kW, p.kB, BT, C, C, false, false, false);
  k.matmul(a.v, x, p.vW, p.vB, BT, C, C, false, false, false);
  const { ctx, probs, probsMask } = a;
  k.attentionForward(
    ctx,
    probs,
    probsMask,
    a.q,
    a.k,
    a.v,
    maskBias,
    B,
    rows.Tq,
    T,
    NH,
    HS,
    d.pAttn,
    seeds.attnProbs,
  );
  k.matmul(s.dense, a.ctx, p.attnW, p.attnB, BQ, C, C, false, false, false);
  hiddenDropout(k, a.attnResidual, a.attnMask, s.dense, seeds.attnOut, rows.Tq, d);
  k.accumulate(a.attnResidual, rows.x, BQ * C);
  k.layernormForward(
    a.attnOut,
    a.attnMean,
    a.attnRstd,
    a.attnResidual,
    p.attnGamma,
    p.attnBeta,
    BQ,
    C,
  );
  k.matmul(a.inter, a.attnOut, p.interW, p.interB, BQ, C, I, false, false, false);
  k.activationForward(d.act, a.interAct, a.inter, BQ * I);
  k.matmul(s.dense, a.interAct, p.outW, p.outB, BQ, I, C, false, false, false);
  hiddenDropout(k, a.ffnResidual, a.ffnMask, s.dense, seeds.ffnOut, rows.Tq, d);
  k.accumulate(a.ffnResidual, a.attnOut, BQ * C);
  k.layernormForward(a.out, a.outMean, a.outRstd, a.ffnResidual, p.outGamma, p.outBeta, BQ, C);
}

/**
 * out = dropout(inp) over the query rows (B·Tq, C), each mask element drawn at the index it has in
 * the full (B,T,C) layout, so Tq < T keeps the bits the full layer draws.
 */
function hiddenDropout<A extends FloatArray>(
  k: Kernels<A>,
  out: A,
  mask: A,
  inp: A,
  seed: number,
  Tq: number,
  d: LayerDims,
): void {
  const { B, T, C, pHidden: p } = d;
  if (Tq === T) {
    k.dropoutForward(out, mask, inp, p, seed, B * T * C);
    return;
  }
  const n = Tq * C; // the first Tq rows of sequence b start at b·T·C in the full layout
  for (let b = 0; b < B; b++)
    fillDropoutMask(mask.subarray(b * n, b * n + n), p, seed, n, b * T * C);
  k.zero(out, B * n); // out = inp·mask, through dropoutBackward, which accumulates
  k.dropoutBackward(out, inp, mask, B * n);
}

/**
 * Backward of encoderLayerForward: given dOut = dLoss/d(a.out) (B·Tq, C), accumulates the layer's
 * parameter gradients into g and dX += dLoss/dx (BT,C), dXq += dLoss/d(query rows' input) — dX
 * itself when Tq = T. The feed-forward block first (its output is the layer's), then attention.
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
  rows: QueryRows<A> = allRows(x, d),
  dXq: A = dX,
): void {
  const BQ = d.B * rows.Tq;
  zeroPrefix(k, BQ * d.C, s.dAttnOut);
  feedForwardBackward(k, p, g, a, s, dOut, BQ, d);
  attentionBlockBackward(k, p, g, a, s, x, dX, rows, dXq, d);
}

/** s.dAttnOut += dLoss/d(attnOut) through the feed-forward block of R rows, given dOut. */
function feedForwardBackward<A extends FloatArray>(
  k: Kernels<A>,
  p: LayerParams<A>,
  g: LayerParams<A>,
  a: LayerActs<A>,
  s: Scratch<A>,
  dOut: A,
  R: number,
  d: LayerDims,
): void {
  const { C, I } = d;
  zeroPrefix(k, R * C, s.dResidual, s.dDense);
  zeroPrefix(k, R * I, s.dInterAct, s.dInter);
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
    R,
    C,
  );
  k.accumulate(s.dAttnOut, s.dResidual, R * C);
  k.dropoutBackward(s.dDense, s.dResidual, a.ffnMask, R * C);
  // dense = interAct·outW + outB; interAct = act(inter); inter = attnOut·interW + interB
  denseBackward(k, s.dInterAct, g.outW, g.outB, s.dDense, a.interAct, p.outW, R, I, C);
  k.activationBackward(d.act, s.dInter, a.inter, s.dInterAct, R * I);
  denseBackward(k, s.dAttnOut, g.interW, g.interB, s.dInter, a.attnOut, p.interW, R, C, I);
}

/** dX, dXq += dLoss/dx through the attention block, given s.dAttnOut = dLoss/d(attnOut). */
function attentionBlockBackward<A extends FloatArray>(
  k: Kernels<A>,
  p: LayerParams<A>,
  g: LayerParams<A>,
  a: LayerActs<A>,
  s: Scratch<A>,
  x: A,
  dX: A,
  rows: QueryRows<A>,
  dXq: A,
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
  k.accumulate(dXq, s.dResidual, BQ * C);
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
  denseBackward(k, dXq, g.qW, g.qB, s.dq, rows.x, p.qW, BQ, C, C);
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
