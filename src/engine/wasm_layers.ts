// The wasm kernels of BERT's layers: LayerNorm, embeddings, attention, softmax cross-entropy
// (contract: kernels.ts). Each checks sizes and ids, chooses a split and makes its pool calls.
import { dropoutThreshold } from './dropout_hash.js';
import { PACK_FLOATS, type WasmContext } from './wasm_context.js';
import { ShapeError } from '../util/errors.js';
import { checkDropout, checkIds, checkLabels, sizes } from './wasm_split.js';

type F = Float32Array;

export function layernormForward(
  cx: WasmContext,
  out: F,
  mean: F,
  rstd: F,
  inp: F,
  gamma: F,
  beta: F,
  R: number,
  C: number,
): void {
  sizes('layernormForward', R * C, { out, inp });
  sizes('layernormForward', R, { mean, rstd });
  sizes('layernormForward', C, { gamma, beta });
  const args = [out, mean, rstd, inp, gamma, beta].map((x) => cx.at(x));
  cx.run('layernormForwardRange', [...args, C], cx.split(R, 1, 4 * R * C));
}

/** dInp by rows, then dGamma/dBeta by columns (column sums: no two threads write one element). */
export function layernormBackward(
  cx: WasmContext,
  dInp: F,
  dGamma: F,
  dBeta: F,
  dOut: F,
  inp: F,
  mean: F,
  rstd: F,
  gamma: F,
  R: number,
  C: number,
): void {
  sizes('layernormBackward', R * C, { dInp, dOut, inp });
  sizes('layernormBackward', R, { mean, rstd });
  sizes('layernormBackward', C, { dGamma, dBeta, gamma });
  const rows = [dInp, dOut, inp, mean, rstd, gamma].map((x) => cx.at(x));
  cx.run('layernormBackwardRows', [...rows, C], cx.split(R, 1, 6 * R * C));
  const cols = [dGamma, dBeta, dOut, inp, mean, rstd].map((x) => cx.at(x));
  cx.run('layernormBackwardCols', [...cols, R, C], cx.split(C, 16, 3 * R * C));
}

export function embeddingsForward(
  cx: WasmContext,
  out: F,
  ids: Int32Array,
  typeIds: Int32Array,
  word: F,
  tokenType: F,
  pos: F,
  B: number,
  T: number,
  C: number,
  V: number,
  typeVocab: number,
): void {
  const BT = B * T;
  sizes('embeddings', BT * C, { out });
  sizes('embeddings', BT, { input_ids: ids, token_type_ids: typeIds });
  sizes('embeddings', V * C, { word_embeddings: word });
  sizes('embeddings', typeVocab * C, { token_type_embeddings: tokenType });
  sizes('embeddings', T * C, { position_embeddings: pos });
  checkIds('embeddings', ids, BT, V, 'input_ids', T);
  checkIds('embeddings', typeIds, BT, typeVocab, 'token_type_ids', T);
  const args = [out, ids, typeIds, word, tokenType, pos].map((x) => cx.at(x));
  cx.run('embeddingsForwardRange', [...args, T, C], cx.split(BT, 1, 3 * BT * C));
}

/** A scatter-add into rows picked by the ids (columns [start, end) per call). */
export function embeddingsBackward(
  cx: WasmContext,
  dWord: F,
  dTokenType: F,
  dPos: F,
  dOut: F,
  ids: Int32Array,
  typeIds: Int32Array,
  B: number,
  T: number,
  C: number,
): void {
  const BT = B * T;
  sizes('embeddingsBackward', BT * C, { dOut });
  sizes('embeddingsBackward', T * C, { dPos });
  sizes('embeddingsBackward', BT, { input_ids: ids, token_type_ids: typeIds });
  // The tables' row counts come from the gradient buffers: every id must address a row in them.
  checkIds('embeddingsBackward', ids, BT, Math.floor(dWord.length / C), 'input_ids', T);
  const types = Math.floor(dTokenType.length / C);
  checkIds('embeddingsBackward', typeIds, BT, types, 'token_type_ids', T);
  const args = [dWord, dTokenType, dPos, dOut, ids, typeIds].map((x) => cx.at(x));
  // On the main thread alone: split by columns over 2 threads it measured slower (0.61 ms against
  // 0.28 ms at B 32 × T 128, bench/kernels.bench.ts), and 0.3 ms is noise in a step.
  cx.run('embeddingsBackwardRange', [...args, BT, T, C], { total: C, per: C });
}

/** Checks the attention buffers; returns the (batch, head) pair count. */
function attentionSizes(
  kernel: string,
  queryBufs: Record<string, F>,
  keyBufs: Record<string, F>,
  B: number,
  Tq: number,
  T: number,
  NH: number,
  HS: number,
  p: number,
  probs: F,
  dropMask: F,
): number {
  if (!(Tq >= 1 && Tq <= T))
    throw new ShapeError(`${kernel}: ${Tq} query rows per sequence, expected 1 to T = ${T}`);
  sizes(kernel, B * Tq * NH * HS, queryBufs);
  sizes(kernel, B * T * NH * HS, keyBufs);
  sizes(kernel, B * NH * Tq * T, p > 0 ? { probs, dropMask } : { probs });
  checkDropout(p);
  return B * NH;
}

export function attentionForward(
  cx: WasmContext,
  ctx: F,
  probs: F,
  dropMask: F,
  q: F,
  k: F,
  v: F,
  maskBias: F,
  B: number,
  Tq: number,
  T: number,
  NH: number,
  HS: number,
  p: number,
  seed: number,
): void {
  const kernel = 'attentionForward';
  const pairs = attentionSizes(kernel, { ctx, q }, { k, v }, B, Tq, T, NH, HS, p, probs, dropMask);
  sizes(kernel, B * T, { maskBias });
  cx.ensureScratch(4 * (PACK_FLOATS + 2 * Tq * T));
  const bufs = [ctx, probs, dropMask, q, k, v, maskBias].map((x) => cx.at(x));
  const keepScale = p > 0 ? Math.fround(1 / (1 - p)) : 1;
  const drop = [+(p > 0), p > 0 ? dropoutThreshold(p) : 0, keepScale, seed >>> 0];
  const ranges = cx.split(pairs, 1, 4 * pairs * Tq * T * HS);
  cx.run('attentionForwardRange', [...bufs, Tq, T, NH, HS, ...drop], ranges);
}

export function attentionBackward(
  cx: WasmContext,
  dq: F,
  dk: F,
  dv: F,
  dCtx: F,
  probs: F,
  dropMask: F,
  q: F,
  k: F,
  v: F,
  B: number,
  Tq: number,
  T: number,
  NH: number,
  HS: number,
  p: number,
): void {
  const [queryBufs, keyBufs] = [
    { dq, dCtx, q },
    { dk, dv, k, v },
  ];
  const pairs = attentionSizes(
    'attentionBackward',
    queryBufs,
    keyBufs,
    B,
    Tq,
    T,
    NH,
    HS,
    p,
    probs,
    dropMask,
  );
  cx.ensureScratch(4 * (PACK_FLOATS + 2 * Tq * T));
  const ptrs = [dq, dk, dv, dCtx, probs, dropMask, q, k, v].map((x) => cx.at(x));
  const ranges = cx.split(pairs, 1, 8 * pairs * Tq * T * HS);
  cx.run('attentionBackwardRange', [...ptrs, Tq, T, NH, HS, +(p > 0)], ranges);
}

export function crossEntropyForward(
  cx: WasmContext,
  losses: F,
  probs: F,
  logits: F,
  labels: Int32Array,
  R: number,
  N: number,
): void {
  sizes('crossEntropyForward', R, { losses, labels });
  sizes('crossEntropyForward', R * N, { probs, logits });
  checkLabels(labels, R, N);
  const args = [losses, probs, logits, labels].map((x) => cx.at(x));
  cx.run('crossEntropyForwardRange', [...args, N], cx.split(R, 1, 8 * R * N));
}

export function crossEntropyBackward(
  cx: WasmContext,
  dLogits: F,
  dLoss: F,
  probs: F,
  labels: Int32Array,
  R: number,
  N: number,
): void {
  sizes('crossEntropyBackward', R, { dLoss, labels });
  sizes('crossEntropyBackward', R * N, { probs, dLogits });
  checkLabels(labels, R, N);
  const args = [dLogits, dLoss, probs, labels].map((x) => cx.at(x));
  cx.run('crossEntropyBackwardRange', [...args, N], cx.split(R, 1, 2 * R * N));
}
