// Every reference backward kernel against central finite differences in float64. Gradient buffers
// start from random nonzero values, so the checks also prove that backward accumulates (+=).
import { describe, expect, it } from 'vitest';
import { createReferenceKernels } from '../../src/engine/reference/index.js';
import type { Activation } from '../../src/engine/kernels.js';
import { added, numericGradient, randomArray, relativeError, weightedSum } from './reference_fd.js';

const k = createReferenceKernels('f64');
const TOL = 1e-6;

/** Checks the analytic gradient `grad − before` of each input against finite differences. */
function expectGradients(
  inputs: Float64Array[],
  forward: () => Float64Array,
  backward: (grads: Float64Array[], dOut: Float64Array) => void,
  seed: number,
): void {
  const w = randomArray(forward().length, seed);
  const before = inputs.map((x, i) => randomArray(x.length, seed + 1 + i));
  const grads = before.map((g) => g.slice());
  forward();
  backward(grads, w);
  inputs.forEach((x, i) => {
    const fd = numericGradient(x, () => weightedSum(forward(), w));
    expect(relativeError(added(grads[i]!, before[i]!), fd), `input ${i}`).toBeLessThan(TOL);
  });
}

describe('reference backward vs central differences (f64, relative error < 1e-6)', () => {
  it.each([
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ])('matmul transA=%s transB=%s with bias, M=3 K=5 N=4', (transA, transB) => {
    const [M, K, N] = [3, 5, 4];
    const a = randomArray(M * K, 1);
    const b = randomArray(K * N, 2);
    const bias = randomArray(N, 3);
    const out = new Float64Array(M * N);
    const forward = () => (k.matmul(out, a, b, bias, M, K, N, transA, transB, false), out);
    expectGradients(
      [a, b, bias],
      forward,
      ([da, db, dBias], dOut) => {
        // d op(a) = dOut·op(b)ᵀ and d op(b) = op(a)ᵀ·dOut, written in each storage order.
        if (transA) k.matmul(da!, b, dOut, null, K, N, M, transB, true, true);
        else k.matmul(da!, dOut, b, null, M, N, K, false, !transB, true);
        if (transB) k.matmul(db!, dOut, a, null, N, M, K, true, transA, true);
        else k.matmul(db!, a, dOut, null, K, M, N, !transA, false, true);
        k.biasBackward(dBias!, dOut, M, N);
      },
      10,
    );
  });

  it.each<Activation>(['gelu', 'relu', 'tanh', 'linear'])('activation %s', (act) => {
    const x = randomArray(11, 4, -3, 3);
    const out = new Float64Array(11);
    expectGradients(
      [x],
      () => (k.activationForward(act, out, x, 11), out),
      ([dx], dOut) => k.activationBackward(act, dx!, x, dOut, 11),
      20,
    );
  });

  it('layernorm R=3 C=7', () => {
    const [R, C] = [3, 7];
    const x = randomArray(R * C, 5, -2, 2);
    const gamma = randomArray(C, 6);
    const beta = randomArray(C, 7);
    const [out, mean, rstd] = [new Float64Array(R * C), new Float64Array(R), new Float64Array(R)];
    expectGradients(
      [x, gamma, beta],
      () => (k.layernormForward(out, mean, rstd, x, gamma, beta, R, C), out),
      ([dx, dg, db], dOut) => k.layernormBackward(dx!, dg!, db!, dOut, x, mean, rstd, gamma, R, C),
      30,
    );
  });

  it('dropout p=0.3 (fixed seed: the mask is a function of the seed)', () => {
    const x = randomArray(50, 8);
    const [out, mask] = [new Float64Array(50), new Float64Array(50)];
    expectGradients(
      [x],
      () => (k.dropoutForward(out, mask, x, 0.3, 77, 50), out),
      ([dx], dOut) => k.dropoutBackward(dx!, dOut, mask, 50),
      40,
    );
  });

  it('embeddings B=2 T=3 C=4 V=6 typeVocab=2 (repeated ids accumulate)', () => {
    const [B, T, C, V] = [2, 3, 4, 6];
    const ids = Int32Array.from([1, 5, 1, 0, 5, 2]);
    const types = Int32Array.from([0, 0, 1, 1, 1, 0]);
    const [word, type, pos] = [
      randomArray(V * C, 9),
      randomArray(2 * C, 10),
      randomArray(5 * C, 11),
    ];
    const out = new Float64Array(B * T * C);
    expectGradients(
      [word, type, pos],
      () => (k.embeddingsForward(out, ids, types, word, type, pos, B, T, C, V, 2), out),
      ([dw, dt, dp], dOut) => k.embeddingsBackward(dw!, dt!, dp!, dOut, ids, types, B, T, C),
      50,
    );
  });

  it.each([
    [4, 0],
    [4, 0.25],
    [1, 0.25],
  ])('attention B=2 Tq=%i T=4 NH=2 HS=3, a masked key, dropout p=%s', (Tq, p) => {
    const [B, T, NH, HS] = [2, 4, 2, 3];
    const [nq, n] = [B * Tq * NH * HS, B * T * NH * HS];
    const [q, kk, v] = [randomArray(nq, 12), randomArray(n, 13), randomArray(n, 14)];
    const maskBias = Float64Array.from([0, 0, 0, -10000, 0, 0, 0, 0]);
    const ctx = new Float64Array(nq);
    const [probs, drop] = [new Float64Array(B * NH * Tq * T), new Float64Array(B * NH * Tq * T)];
    const dims = [B, Tq, T, NH, HS, p] as const;
    expectGradients(
      [q, kk, v],
      () => (k.attentionForward(ctx, probs, drop, q, kk, v, maskBias, ...dims, 5), ctx),
      ([dq, dk, dv], dCtx) =>
        k.attentionBackward(dq!, dk!, dv!, dCtx, probs, drop, q, kk, v, ...dims),
      60,
    );
  });

  it('cross entropy R=3 N=4 with per-row loss weights', () => {
    const [R, N] = [3, 4];
    const logits = randomArray(R * N, 15, -3, 3);
    const labels = Int32Array.from([2, 0, 3]);
    const [losses, probs] = [new Float64Array(R), new Float64Array(R * N)];
    expectGradients(
      [logits],
      () => (k.crossEntropyForward(losses, probs, logits, labels, R, N), losses),
      ([dl], dLoss) => k.crossEntropyBackward(dl!, dLoss, probs, labels, R, N),
      70,
    );
  });
});
