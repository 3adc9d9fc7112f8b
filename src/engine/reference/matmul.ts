// Reference dense-layer kernels (modeling.py's tf.layers.dense and the tf.matmul calls of
// attention_layer and the heads): one loop per formula, no tiling — the specification the fast
// kernels are tested against. Shapes: out (M,N), op(a) (M,K), op(b) (K,N).
import type { FloatArray } from '../kernels.js';

/**
 * out(M,N) = op(a)·op(b) (+ bias(N)) (+ out when accumulate). op(a) = a(M,K) or, when transA,
 * aᵀ with a stored (K,M); op(b) = b(K,N) or, when transB, bᵀ with b stored (N,K).
 * Reads a, b, bias; writes (or accumulates into) out.
 */
export function matmul(
  out: FloatArray,
  a: FloatArray,
  b: FloatArray,
  bias: FloatArray | null,
  M: number,
  K: number,
  N: number,
  transA: boolean,
  transB: boolean,
  accumulate: boolean,
): void {
  // Element strides of op(a)(i,k) and op(b)(k,j) in their storage order.
  const [aI, aK] = transA ? [1, M] : [K, 1];
  const [bK, bJ] = transB ? [1, K] : [N, 1];
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let sum = bias === null ? 0 : bias[j]!;
      for (let k = 0; k < K; k++) sum += a[i * aI + k * aK]! * b[k * bK + j * bJ]!;
      out[i * N + j] = accumulate ? out[i * N + j]! + sum : sum;
    }
  }
}

/** dBias(N) += Σ over the M rows of dOut(M,N). */
export function biasBackward(dBias: FloatArray, dOut: FloatArray, M: number, N: number): void {
  for (let j = 0; j < N; j++) {
    let sum = 0;
    for (let i = 0; i < M; i++) sum += dOut[i * N + j]!;
    dBias[j] = dBias[j]! + sum;
  }
}
