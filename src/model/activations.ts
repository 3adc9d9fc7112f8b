// The activation arena (llm.c's acts_memory): every buffer the forward pass stores for the
// backward pass, allocated once for (maxBatch, maxSeq) and reused every step. A call with B ≤
// maxBatch and T ≤ maxSeq uses the first B·T rows of each buffer, so a batch padded only to its
// own longest example costs only its own size. Shapes: BT rows of C (hidden), I (intermediate);
// attention probabilities and their dropout masks (B,NH,T,T).
import type { FloatArray, Kernels } from '../engine/kernels.js';

/** What one encoder layer keeps from forward for backward. */
export interface LayerActs<A extends FloatArray> {
  /** Query, key, value projections (BT,C). */
  readonly q: A;
  readonly k: A;
  readonly v: A;
  /** Attention probabilities before dropout and the dropout mask (B,NH,T,T). */
  readonly probs: A;
  readonly probsMask: A;
  /** Attention context, heads concatenated (BT,C). */
  readonly ctx: A;
  /** Dropout mask of the attention output dense, and x + dropout(dense) before LayerNorm (BT,C). */
  readonly attnMask: A;
  readonly attnResidual: A;
  /** attention_output = LayerNorm(attnResidual) (BT,C), with its row mean and rstd (BT). */
  readonly attnOut: A;
  readonly attnMean: A;
  readonly attnRstd: A;
  /** Intermediate dense before and after the activation (BT,I). */
  readonly inter: A;
  readonly interAct: A;
  /** Dropout mask of the output dense, and attention_output + dropout(dense) (BT,C). */
  readonly ffnMask: A;
  readonly ffnResidual: A;
  /** The layer output = LayerNorm(ffnResidual) (BT,C), with mean and rstd (BT). */
  readonly out: A;
  readonly outMean: A;
  readonly outRstd: A;
}

export interface EmbeddingActs<A extends FloatArray> {
  /** word + token type + position (BT,C). */
  readonly sum: A;
  /** LayerNorm(sum) (BT,C), mean and rstd (BT). */
  readonly norm: A;
  readonly mean: A;
  readonly rstd: A;
  /** Dropout mask and embedding_output = dropout(norm) (BT,C). */
  readonly mask: A;
  readonly out: A;
}

export interface PoolerActs<A extends FloatArray> {
  /** Token 0 of each sequence in the last layer (B,C). */
  readonly first: A;
  /** Dense before tanh (B,C) and pooled_output = tanh(pre) (B,C). */
  readonly pre: A;
  readonly pooled: A;
  /** Token 0 of the last layer's input (B,C), kept by the outputs: 'pooled' shortcut. */
  readonly lastInput: A;
}

/** Buffers used within one layer's forward or backward only, shared by all layers. */
export interface Scratch<A extends FloatArray> {
  /** Attention-output dense and FFN output dense, before dropout (BT,C). */
  readonly dense: A;
  /** Gradients flowing through a layer (BT,C unless noted). */
  readonly dResidual: A;
  readonly dAttnOut: A;
  readonly dDense: A;
  readonly dCtx: A;
  readonly dq: A;
  readonly dk: A;
  readonly dv: A;
  readonly dInter: A; // (BT,I)
  readonly dInterAct: A; // (BT,I)
  /** Gradient w.r.t. a layer's output and w.r.t. its input; swapped layer by layer (BT,C). */
  readonly dOut: A;
  readonly dIn: A;
  /** Gradient w.r.t. the pooler's first-token rows and dense (B,C). */
  readonly dFirst: A;
  readonly dPre: A;
}

export interface ArenaDims {
  /**
   * Forward only (eval, predict, extract_features): the layers share one set of buffers and keep
   * only their own outputs, and the backward scratch is not allocated — L times less memory.
   */
  readonly inference: boolean;
  readonly maxBatch: number;
  readonly maxSeq: number;
  readonly C: number;
  readonly I: number;
  readonly NH: number;
  readonly L: number;
}

function layerActs<A extends FloatArray>(k: Kernels<A>, d: ArenaDims): LayerActs<A> {
  const rows = d.maxBatch * d.maxSeq;
  const [BTC, BTI, P] = [rows * d.C, rows * d.I, d.maxBatch * d.NH * d.maxSeq * d.maxSeq];
  return {
    q: k.alloc(BTC),
    k: k.alloc(BTC),
    v: k.alloc(BTC),
    probs: k.alloc(P),
    probsMask: k.alloc(P),
    ctx: k.alloc(BTC),
    attnMask: k.alloc(BTC),
    attnResidual: k.alloc(BTC),
    attnOut: k.alloc(BTC),
    attnMean: k.alloc(rows),
    attnRstd: k.alloc(rows),
    inter: k.alloc(BTI),
    interAct: k.alloc(BTI),
    ffnMask: k.alloc(BTC),
    ffnResidual: k.alloc(BTC),
    out: k.alloc(BTC),
    outMean: k.alloc(rows),
    outRstd: k.alloc(rows),
  };
}

/** Inference: one set of layer buffers for every layer, each layer with its own output. */
function sharedLayerActs<A extends FloatArray>(k: Kernels<A>, d: ArenaDims): LayerActs<A>[] {
  const shared = layerActs(k, d);
  const BTC = d.maxBatch * d.maxSeq * d.C;
  return Array.from({ length: d.L }, () => ({ ...shared, out: k.alloc(BTC) }));
}

export interface Arena<A extends FloatArray> {
  readonly dims: ArenaDims;
  readonly maskBias: A; // (B,T): (1 − input_mask)·(−10000)
  /** The batch's input_ids and token type ids (B,T), copied into the kernel set's memory. */
  readonly ids: Int32Array;
  readonly types: Int32Array;
  readonly embeddings: EmbeddingActs<A>;
  readonly layers: readonly LayerActs<A>[];
  readonly pooler: PoolerActs<A>;
  readonly scratch: Scratch<A>;
}

/** Allocates every activation and scratch buffer for batches up to (maxBatch, maxSeq). */
export function allocateArena<A extends FloatArray>(k: Kernels<A>, d: ArenaDims): Arena<A> {
  const rows = d.maxBatch * d.maxSeq;
  const BTC = rows * d.C;
  const BC = d.maxBatch * d.C;
  const a = (n: number) => k.alloc(n);
  const grad = (n: number) => k.alloc(d.inference ? 1 : n); // backward only
  return {
    dims: d,
    maskBias: a(rows),
    ids: k.allocInt(rows),
    types: k.allocInt(rows),
    embeddings: {
      sum: a(BTC),
      norm: a(BTC),
      mean: a(rows),
      rstd: a(rows),
      mask: a(BTC),
      out: a(BTC),
    },
    layers: d.inference
      ? sharedLayerActs(k, d)
      : Array.from({ length: d.L }, () => layerActs(k, d)),
    pooler: { first: a(BC), pre: a(BC), pooled: a(BC), lastInput: a(BC) },
    scratch: {
      dense: a(BTC),
      dResidual: grad(BTC),
      dAttnOut: grad(BTC),
      dDense: grad(BTC),
      dCtx: grad(BTC),
      dq: grad(BTC),
      dk: grad(BTC),
      dv: grad(BTC),
      dInter: grad(rows * d.I),
      dInterAct: grad(rows * d.I),
      dOut: grad(BTC),
      dIn: grad(BTC),
      dFirst: grad(BC),
      dPre: grad(BC),
    },
  };
}
