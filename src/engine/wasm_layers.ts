// The wasm kernels of BERT's layers: LayerNorm, embeddings, attention, softmax cross-entropy
// (contract: kernels.ts). Each checks sizes and ids, chooses a split and makes its pool calls.
import { dropoutThreshold } from './dropout_hash.js';
import { PACK_FLOATS, type WasmContext } from './wasm_context.js';
import {
  checkAttention,
  checkCrossEntropy,
  checkEmbeddingsBackward,
  checkEmbeddingsForward,
  checkLayernormBackward,
  checkLayernormForward,
  sizes,
} from './kernel_checks.js';

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
  checkLayernormForward(out, mean, rstd, inp, gamma, beta, R, C);
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
  checkLayernormBackward(dInp, dGamma, dBeta, dOut, inp, mean, rstd, gamma, R, C);
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
  checkEmbeddingsForward(out, ids, typeIds, word, tokenType, pos, B, T, C, V, typeVocab);
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
  checkEmbeddingsBackward(dWord, dTokenType, dPos, dOut, ids, typeIds, B, T, C);
  const args = [dWord, dTokenType, dPos, dOut, ids, typeIds].map((x) => cx.at(x));
  // On the main thread alone: split by columns over 2 threads it measured slower (0.61 ms against
  // 0.28 ms at B 32 × T 128, bench/kernels.bench.ts), and 0.3 ms is noise in a step.
  cx.run('embeddingsBackwardRange', [...args, BT, T, C], { total: C, per: C });
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
  checkAttention(kernel, { ctx, q }, { k, v }, B, Tq, T, NH, HS, p, probs, dropMask);
  const pairs = B * NH;
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
  checkAttention('attentionBackward', queryBufs, keyBufs, B, Tq, T, NH, HS, p, probs, dropMask);
  const pairs = B * NH;
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
  checkCrossEntropy('crossEntropyForward', { losses }, { probs, logits }, labels, R, N);
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
  checkCrossEntropy('crossEntropyBackward', { dLoss }, { probs, dLogits }, labels, R, N);
  const args = [dLogits, dLoss, probs, labels].map((x) => cx.at(x));
  cx.run('crossEntropyBackwardRange', [...args, N], cx.split(R, 1, 2 * R * N));
}
