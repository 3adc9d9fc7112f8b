// The wasm LayerNorm, embeddings, attention and cross-entropy kernels against the float64
// reference at 1 and 2 threads; every backward starts from nonzero gradients (they accumulate).
import { describe, expect, it } from 'vitest';
import { expectClose, f64, ints, randomF32, ref64, rng, kernelSets } from './wasm_helpers.js';

const SETS = kernelSets();

describe.each(SETS)('layernorm [%s]', (_name, kernels) => {
  it.each([
    [1, 1],
    [3, 5],
    [17, 129],
    [4096, 128],
  ])('R=%i C=%i forward ≤ 1e-5 + 1e-5·|ref|, backward ≤ 1e-4 + 1e-4·|ref|', (R, C) => {
    const k = kernels();
    const r = rng(R * C);
    const inp = randomF32(k, R * C, r, -2, 3);
    const [gamma, beta] = [randomF32(k, C, r), randomF32(k, C, r)];
    const [out, mean, rstd] = [k.alloc(R * C), k.alloc(R), k.alloc(R)];
    const [wOut, wMean, wRstd] = [
      new Float64Array(R * C),
      new Float64Array(R),
      new Float64Array(R),
    ];
    k.layernormForward(out, mean, rstd, inp, gamma, beta, R, C);
    ref64.layernormForward(wOut, wMean, wRstd, f64(inp), f64(gamma), f64(beta), R, C);
    expectClose(out, wOut, 1e-5, 1e-5);
    expectClose(mean, wMean, 1e-6, 1e-5);
    // C = 1: variance 0, rstd = 1/√1e-12 = 1e6 in both.
    expectClose(rstd, wRstd, 1e-5, 1e-5);
    const dOut = randomF32(k, R * C, r);
    const [dInp, dGamma, dBeta] = [randomF32(k, R * C, r), randomF32(k, C, r), randomF32(k, C, r)];
    const [wdInp, wdGamma, wdBeta] = [f64(dInp), f64(dGamma), f64(dBeta)];
    k.layernormBackward(dInp, dGamma, dBeta, dOut, inp, mean, rstd, gamma, R, C);
    ref64.layernormBackward(
      wdInp,
      wdGamma,
      wdBeta,
      f64(dOut),
      f64(inp),
      wMean,
      wRstd,
      f64(gamma),
      R,
      C,
    );
    if (C > 1) expectClose(dInp, wdInp, 1e-4, 1e-4);
    expectClose(dBeta, wdBeta, 1e-4 * Math.sqrt(R), 1e-5);
    expectClose(dGamma, wdGamma, 1e-4 * Math.sqrt(R), 1e-4);
  });
});

describe.each(SETS)('embeddings [%s]', (_name, kernels) => {
  it.each([
    [1, 1, 1, 3, 1],
    [2, 5, 3, 11, 2],
    [4, 33, 17, 50, 2],
    [32, 128, 128, 1000, 2],
  ])(
    'B=%i T=%i C=%i V=%i types=%i: exact forward, backward ≤ 1e-5·(1 + |ref|)',
    (B, T, C, V, types) => {
      const k = kernels();
      const r = rng(B * T * C);
      const BT = B * T;
      const ids = ints(
        k,
        Array.from({ length: BT }, () => Math.floor(r(0, V))),
      );
      ids[0] = V - 1;
      const typeIds = ints(
        k,
        Array.from({ length: BT }, () => Math.floor(r(0, types))),
      );
      const [word, tokenType, pos] = [
        randomF32(k, V * C, r),
        randomF32(k, types * C, r),
        randomF32(k, T * C, r),
      ];
      const out = k.alloc(BT * C);
      const want = new Float64Array(BT * C);
      k.embeddingsForward(out, ids, typeIds, word, tokenType, pos, B, T, C, V, types);
      ref64.embeddingsForward(
        want,
        ids,
        typeIds,
        f64(word),
        f64(tokenType),
        f64(pos),
        B,
        T,
        C,
        V,
        types,
      );
      expectClose(out, want, 2e-7, 2e-7);
      const dOut = randomF32(k, BT * C, r);
      const [dWord, dType, dPos] = [
        randomF32(k, V * C, r),
        randomF32(k, types * C, r),
        randomF32(k, T * C, r),
      ];
      const [wWord, wType, wPos] = [f64(dWord), f64(dType), f64(dPos)];
      k.embeddingsBackward(dWord, dType, dPos, dOut, ids, typeIds, B, T, C);
      ref64.embeddingsBackward(wWord, wType, wPos, f64(dOut), ids, typeIds, B, T, C);
      const tol = 1e-6 * Math.sqrt(BT);
      expectClose(dWord, wWord, tol, 1e-5);
      expectClose(dType, wType, tol, 1e-5);
      expectClose(dPos, wPos, tol, 1e-5);
    },
  );

  it('an id outside its table is a ShapeError naming [b][t], before anything is written', () => {
    const k = kernels();
    const [B, T, C, V] = [2, 3, 4, 10];
    const ids = ints(k, [1, 2, 3, 4, 10, 5]);
    const typeIds = ints(k, [0, 0, 0, 0, 0, 0]);
    const out = k.alloc(B * T * C).fill(7);
    const [word, tokenType, pos] = [k.alloc(V * C), k.alloc(2 * C), k.alloc(T * C)];
    const call = () => k.embeddingsForward(out, ids, typeIds, word, tokenType, pos, B, T, C, V, 2);
    expect(call).toThrow('embeddings: input_ids[1][1] = 10 is outside the table of 10 rows');
    expect(out.every((x) => x === 7)).toBe(true);
    ids[4] = 1;
    typeIds[2] = -1;
    expect(call).toThrow('embeddings: token_type_ids[0][2] = -1 is outside the table of 2 rows');
  });
});

describe.each(SETS)('attention [%s]', (_name, kernels) => {
  it.each([
    [1, 1, 1, 1, 1, 0],
    [2, 5, 5, 2, 3, 0],
    [2, 5, 5, 2, 3, 0.1],
    [3, 17, 17, 3, 5, 0.2],
    [2, 33, 33, 2, 64, 0.1],
    [4, 128, 128, 2, 64, 0.1], // BERT-Tiny heads, fewer sequences
    [3, 1, 17, 3, 5, 0.2], // token 0 only (first_token_layer.ts)
    [32, 1, 128, 2, 64, 0.1], // BERT-Tiny's last layer in run_classifier
    [2, 3, 33, 2, 64, 0.1],
  ])(
    'B=%i Tq=%i T=%i NH=%i HS=%i p=%s, masked keys: ≤ 1e-5 + 1e-4·|ref|',
    (B, Tq, T, NH, HS, p) => {
      const k = kernels();
      const r = rng(B * Tq * T * NH * HS + 1);
      const [nq, n] = [B * Tq * NH * HS, B * T * NH * HS];
      const [q, kk, v] = [
        randomF32(k, nq, r, -2, 2),
        randomF32(k, n, r, -2, 2),
        randomF32(k, n, r),
      ];
      const maskBias = k.alloc(B * T);
      for (let b = 0; b < B; b++)
        for (let t = 0; t < T; t++) if (t > 0 && t >= T - b) maskBias[b * T + t] = -10000;
      const PT = B * NH * Tq * T;
      const [ctx, probs, dropMask] = [k.alloc(nq), k.alloc(PT), k.alloc(PT)];
      const [wCtx, wProbs, wMask] = [
        new Float64Array(nq),
        new Float64Array(PT),
        new Float64Array(PT),
      ];
      const args = [B, Tq, T, NH, HS, p] as const;
      k.attentionForward(ctx, probs, dropMask, q, kk, v, maskBias, ...args, 99);
      ref64.attentionForward(
        wCtx,
        wProbs,
        wMask,
        f64(q),
        f64(kk),
        f64(v),
        f64(maskBias),
        ...args,
        99,
      );
      expectClose(probs, wProbs, 1e-6, 1e-4);
      if (p > 0) expectClose(dropMask, wMask, 0, 1e-7);
      expectClose(ctx, wCtx, 1e-5, 1e-4);
      const dCtx = randomF32(k, nq, r);
      const [dq, dk, dv] = [randomF32(k, nq, r), randomF32(k, n, r), randomF32(k, n, r)];
      const [wq, wk, wv] = [f64(dq), f64(dk), f64(dv)];
      k.attentionBackward(dq, dk, dv, dCtx, probs, dropMask, q, kk, v, ...args);
      ref64.attentionBackward(
        wq,
        wk,
        wv,
        f64(dCtx),
        wProbs,
        wMask,
        f64(q),
        f64(kk),
        f64(v),
        ...args,
      );
      const tol = 1e-5 * Math.sqrt(T);
      expectClose(dv, wv, tol, 1e-4);
      expectClose(dq, wq, tol, 1e-4);
      expectClose(dk, wk, tol, 1e-4);
    },
  );

  it('Tq = 1 gives token 0 of self-attention (Tq = T): probs, dropout mask and ctx bit for bit', () => {
    const k = kernels();
    const [B, T, NH, HS, p] = [3, 19, 2, 8, 0.2];
    const C = NH * HS;
    const r = rng(7);
    const [q, kk, v] = [
      randomF32(k, B * T * C, r),
      randomF32(k, B * T * C, r),
      randomF32(k, B * T * C, r),
    ];
    const maskBias = k.alloc(B * T);
    maskBias[T - 1] = -10000;
    const full = {
      ctx: k.alloc(B * T * C),
      probs: k.alloc(B * NH * T * T),
      mask: k.alloc(B * NH * T * T),
    };
    k.attentionForward(full.ctx, full.probs, full.mask, q, kk, v, maskBias, B, T, T, NH, HS, p, 3);
    const q0 = k.alloc(B * C);
    for (let b = 0; b < B; b++) q0.set(q.subarray(b * T * C, b * T * C + C), b * C);
    const one = { ctx: k.alloc(B * C), probs: k.alloc(B * NH * T), mask: k.alloc(B * NH * T) };
    k.attentionForward(one.ctx, one.probs, one.mask, q0, kk, v, maskBias, B, 1, T, NH, HS, p, 3);
    for (let pair = 0; pair < B * NH; pair++) {
      const row0 = (a: Float32Array) => Array.from(a.subarray(pair * T * T, pair * T * T + T));
      expect(Array.from(one.probs.subarray(pair * T, pair * T + T))).toEqual(row0(full.probs));
      expect(Array.from(one.mask.subarray(pair * T, pair * T + T))).toEqual(row0(full.mask));
    }
    for (let b = 0; b < B; b++)
      expect(Array.from(one.ctx.subarray(b * C, b * C + C))).toEqual(
        Array.from(full.ctx.subarray(b * T * C, b * T * C + C)),
      );
  });

  it('more query rows than keys is a ShapeError', () => {
    const k = kernels();
    const a = k.alloc(64);
    expect(() => k.attentionForward(a, a, a, a, a, a, a, 1, 3, 2, 1, 2, 0, 0)).toThrow(
      'attentionForward: 3 query rows per sequence, expected 1 to T = 2',
    );
  });
});

describe.each(SETS)('cross-entropy [%s]', (_name, kernels) => {
  it.each([
    [1, 1],
    [3, 2],
    [17, 5],
    [64, 30522],
  ])('R=%i N=%i: losses and probs ≤ 1e-6 + 1e-5·|ref|, dLogits += from nonzero', (R, N) => {
    const k = kernels();
    const r = rng(R * N + 5);
    const logits = randomF32(k, R * N, r, -8, 8);
    const labels = ints(
      k,
      Array.from({ length: R }, () => Math.floor(r(0, N))),
    );
    const [losses, probs] = [k.alloc(R), k.alloc(R * N)];
    const [wLoss, wProbs] = [new Float64Array(R), new Float64Array(R * N)];
    k.crossEntropyForward(losses, probs, logits, labels, R, N);
    ref64.crossEntropyForward(wLoss, wProbs, f64(logits), labels, R, N);
    expectClose(losses, wLoss, 1e-6, 1e-5);
    expectClose(probs, wProbs, 1e-7, 1e-5);
    const dLoss = randomF32(k, R, r);
    const dLogits = randomF32(k, R * N, r);
    const want = f64(dLogits);
    k.crossEntropyBackward(dLogits, dLoss, probs, labels, R, N);
    ref64.crossEntropyBackward(want, f64(dLoss), wProbs, labels, R, N);
    expectClose(dLogits, want, 1e-6, 1e-5);
  });

  it('a label outside [0, N) is a ShapeError naming the row, before anything is written', () => {
    const k = kernels();
    const labels = ints(k, [0, 3]);
    const [losses, probs, logits] = [k.alloc(2).fill(5), k.alloc(6), k.alloc(6)];
    expect(() => k.crossEntropyForward(losses, probs, logits, labels, 2, 3)).toThrow(
      'cross entropy: label_ids[1] = 3 is outside [0, 3)',
    );
    expect(Array.from(losses)).toEqual([5, 5]);
  });
});
