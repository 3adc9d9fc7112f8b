// The argument checks of the fast kernel sets (wasm and native), one function per kernel. Those
// sets hand raw memory to code that does not check bounds: a wrong size there would not throw, it
// would read or overwrite a neighbouring buffer. So each kernel call first checks here that every
// buffer holds what the shapes need, and that every id, label and probability is in range — with
// the same one-line errors as the reference kernels.
import type { Activation } from './kernels.js';
import { ConfigError, ShapeError, check } from '../util/errors.js';

type F = Float32Array;

/** Throws a ShapeError unless every buffer holds at least n elements. */
export function sizes(kernel: string, n: number, bufs: Record<string, { length: number }>): void {
  for (const [name, a] of Object.entries(bufs)) {
    if (a.length < n) {
      throw new ShapeError(`${kernel}: ${name} has ${a.length} elements, the shapes need ${n}`);
    }
  }
}

/** Throws a ShapeError naming the first id outside [0, limit), as the reference does. */
export function checkIds(
  kernel: string,
  ids: Int32Array,
  n: number,
  limit: number,
  what: string,
  T: number,
): void {
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    if (id < 0 || id >= limit) {
      const where = `${what}[${Math.floor(i / T)}][${i % T}]`;
      throw new ShapeError(`${kernel}: ${where} = ${id} is outside the table of ${limit} rows`);
    }
  }
}

/** Throws a ShapeError naming the first label outside [0, N). */
export function checkLabels(labels: Int32Array, R: number, N: number): void {
  for (let r = 0; r < R; r++) {
    const label = labels[r]!;
    if (label < 0 || label >= N)
      throw new ShapeError(`cross entropy: label_ids[${r}] = ${label} is outside [0, ${N})`);
  }
}

/** Dropout probabilities run from 0 (no dropout) up to, not including, 1. */
export function checkDropout(p: number): void {
  if (!(p >= 0 && p < 1)) throw new ConfigError(`dropout probability ${p} is outside [0, 1)`);
}

/** Throws a ShapeError unless `runs` holds sorted, non-overlapping pairs [start, end) within [0, n). */
export function checkRuns(runs: Int32Array, n: number): void {
  check(runs.length % 2 === 0, () => `internal: ${runs.length} run bounds`);
  for (let i = 0, prevEnd = 0; i < runs.length; i += 2) {
    const [start, end] = [runs[i]!, runs[i + 1]!];
    if (!(prevEnd <= start && start <= end && end <= n))
      throw new ShapeError(
        `adamWeightDecay: decay run [${start}, ${end}) is out of order or outside [0, ${n})`,
      );
    prevEnd = end;
  }
}

export function checkMatmul(out: F, a: F, b: F, bias: F | null, M: number, K: number, N: number) {
  sizes('matmul', M * N, { out });
  sizes('matmul', M * K, { a });
  sizes('matmul', K * N, { b });
  if (bias) sizes('matmul', N, { bias });
}

export function checkLayernormForward(
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
}

export function checkLayernormBackward(
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
}

export function checkEmbeddingsForward(
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
}

/** The tables' row counts come from the gradient buffers: every id must address a row in them. */
export function checkEmbeddingsBackward(
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
  checkIds('embeddingsBackward', ids, BT, Math.floor(dWord.length / C), 'input_ids', T);
  const types = Math.floor(dTokenType.length / C);
  checkIds('embeddingsBackward', typeIds, BT, types, 'token_type_ids', T);
}

/** Checks the attention buffers (queries (B,Tq,C), keys (B,T,C), probs (B,NH,Tq,T)). */
export function checkAttention(
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
): void {
  if (!(Tq >= 1 && Tq <= T))
    throw new ShapeError(`${kernel}: ${Tq} query rows per sequence, expected 1 to T = ${T}`);
  sizes(kernel, B * Tq * NH * HS, queryBufs);
  sizes(kernel, B * T * NH * HS, keyBufs);
  sizes(kernel, B * NH * Tq * T, p > 0 ? { probs, dropMask } : { probs });
  checkDropout(p);
}

export function checkCrossEntropy(
  kernel: string,
  rowBufs: Record<string, { length: number }>,
  matrices: Record<string, F>,
  labels: Int32Array,
  R: number,
  N: number,
): void {
  sizes(kernel, R, { ...rowBufs, labels });
  sizes(kernel, R * N, matrices);
  checkLabels(labels, R, N);
}

/** The activation's number in the wasm and native kernels (0 gelu, 1 relu, 2 tanh, 3 linear). */
export function activationCode(act: Activation): number {
  switch (act) {
    case 'gelu':
      return 0;
    case 'relu':
      return 1;
    case 'tanh':
      return 2;
    case 'linear':
      return 3;
    default:
      return act satisfies never;
  }
}
