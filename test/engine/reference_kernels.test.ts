// Forward values of the reference kernels against closed forms and hand-computed numbers, the
// dropout mask generator, the bad-input errors, and optimization_test.py's Adam case.
import { describe, expect, it } from 'vitest';
import { createReferenceKernels } from '../../src/engine/reference/index.js';
import { dropoutHash, dropoutThreshold } from '../../src/engine/dropout_hash.js';
import { ShapeError } from '../../src/util/errors.js';
import { randomArray, relativeError } from './reference_fd.js';

const k = createReferenceKernels('f64');
const k32 = createReferenceKernels('f32');

describe('reference kernel sets', () => {
  it('alloc gives zeroed buffers of the set precision', () => {
    expect(k.alloc(3)).toEqual(new Float64Array(3));
    expect(k32.alloc(3)).toEqual(new Float32Array(3));
    expect(k32.allocInt(2)).toEqual(new Int32Array(2));
    expect([k.name, k32.name, k.threads]).toEqual(['reference-f64', 'reference-f32', 1]);
  });
});

describe('reference forward values (exact to 1e-15 unless stated)', () => {
  it('matmul [[1,2],[3,4]]·[[5,6],[7,8]] + [1,−1], and accumulate adds', () => {
    const out = new Float64Array(4);
    const a = Float64Array.from([1, 2, 3, 4]);
    const b = Float64Array.from([5, 6, 7, 8]);
    k.matmul(out, a, b, Float64Array.from([1, -1]), 2, 2, 2, false, false, false);
    expect(Array.from(out)).toEqual([20, 21, 44, 49]);
    k.matmul(out, a, b, null, 2, 2, 2, true, true, true); // + aᵀ·bᵀ = [[23,31],[34,46]]
    expect(Array.from(out)).toEqual([43, 52, 78, 95]);
  });

  it('gelu is the tanh form: gelu(1) = 0.8411919906082768, gelu(−1) = −0.15880800939172324', () => {
    const out = new Float64Array(3);
    k.activationForward('gelu', out, Float64Array.from([1, -1, 0]), 3);
    expect(out[0]).toBeCloseTo(0.8411919906082768, 15);
    expect(out[1]).toBeCloseTo(-0.15880800939172324, 15);
    expect(out[2]).toBe(0);
  });

  it('layernorm rows have mean 0 and variance 1 (eps 1e-12), then gamma/beta apply', () => {
    const [R, C] = [4, 9];
    const x = randomArray(R * C, 3, -5, 5);
    const [out, mean, rstd] = [new Float64Array(R * C), new Float64Array(R), new Float64Array(R)];
    k.layernormForward(out, mean, rstd, x, new Float64Array(C).fill(1), new Float64Array(C), R, C);
    for (let r = 0; r < R; r++) {
      const row = out.subarray(r * C, (r + 1) * C);
      const m = row.reduce((s, v) => s + v, 0) / C;
      const v = row.reduce((s, y) => s + (y - m) ** 2, 0) / C;
      expect(Math.abs(m)).toBeLessThan(1e-15);
      expect(Math.abs(v - 1)).toBeLessThan(1e-11);
    }
    const constant = new Float64Array(C).fill(2.5); // variance 0: eps keeps it finite
    const o2 = new Float64Array(C);
    k.layernormForward(
      o2,
      mean,
      rstd,
      constant,
      new Float64Array(C).fill(3),
      new Float64Array(C).fill(0.5),
      1,
      C,
    );
    expect(Array.from(o2)).toEqual(new Array<number>(C).fill(0.5));
    expect(rstd[0]).toBeCloseTo(1e6, 6);
  });

  it('attention: masked keys get probability < 1e-4000 ≈ 0, rows sum to 1, q = 0 is uniform', () => {
    const [B, T, NH, HS] = [1, 4, 2, 2];
    const q = new Float64Array(B * T * NH * HS);
    const kk = randomArray(q.length, 5);
    const v = randomArray(q.length, 6);
    const maskBias = Float64Array.from([0, 0, -10000, 0]);
    const [ctx, probs, drop] = [
      new Float64Array(q.length),
      new Float64Array(32),
      new Float64Array(32),
    ];
    k.attentionForward(ctx, probs, drop, q, kk, v, maskBias, B, T, T, NH, HS, 0, 0);
    for (let row = 0; row < 8; row++) {
      expect(Array.from(probs.subarray(row * 4, row * 4 + 4))).toEqual([1 / 3, 1 / 3, 0, 1 / 3]);
    }
    // ctx(t, head 0, channel 0) = mean of v over the unmasked keys 0, 1, 3.
    expect(ctx[0]).toBeCloseTo((v[0]! + v[4]! + v[12]!) / 3, 15);
  });

  it('cross entropy of zero logits is log N; probs are softmax', () => {
    const [losses, probs] = [new Float64Array(2), new Float64Array(6)];
    const logits = Float64Array.from([0, 0, 0, 1, 2, 3]);
    k.crossEntropyForward(losses, probs, logits, Int32Array.from([1, 2]), 2, 3);
    expect(losses[0]).toBeCloseTo(Math.log(3), 15);
    const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    expect(losses[1]).toBeCloseTo(Math.log(z) - 3, 14);
    expect(probs[3]).toBeCloseTo(Math.exp(1) / z, 15);
  });

  it('f32 and f64 sets agree on a 5×7·7×6 matmul to 1e-6 relative', () => {
    const a = randomArray(35, 1);
    const b = randomArray(42, 2);
    const [o64, o32] = [new Float64Array(30), new Float32Array(30)];
    k.matmul(o64, a, b, null, 5, 7, 6, false, false, false);
    k32.matmul(o32, Float32Array.from(a), Float32Array.from(b), null, 5, 7, 6, false, false, false);
    expect(relativeError(o32, o64)).toBeLessThan(1e-6);
  });
});

describe('dropout masks from the counter-based hash', () => {
  it('dropoutHash is lowbias32(seed ^ i·0x9e3779b9), checked against a BigInt re-implementation', () => {
    const M = 0xffffffffn;
    const lowbias32 = (x: bigint): bigint => {
      x ^= x >> 16n;
      x = (x * 0x7feb352dn) & M;
      x ^= x >> 15n;
      x = (x * 0x846ca68bn) & M;
      return x ^ (x >> 16n);
    };
    for (const [seed, i] of [
      [0, 0],
      [1, 0],
      [0, 1],
      [12345, 678],
      [0xffffffff, 0x7fffffff],
    ] as const) {
      const want = lowbias32((BigInt(seed) ^ ((BigInt(i) * 0x9e3779b9n) & M)) & M);
      expect(dropoutHash(seed, i)).toBe(Number(want));
    }
    expect(dropoutHash(0, 0)).toBe(0);
  });

  it('the mask is keep ⇔ hash ≥ round(p·2^32), scaled by 1/(1−p); ~1−p kept', () => {
    const n = 100_000;
    const [out, mask] = [new Float64Array(n), new Float64Array(n)];
    k.dropoutForward(out, mask, new Float64Array(n).fill(2), 0.1, 42, n);
    let kept = 0;
    let wrong = 0;
    for (let i = 0; i < n; i++) {
      const keep = dropoutHash(42, i) >= dropoutThreshold(0.1);
      if (mask[i] !== (keep ? 1 / 0.9 : 0)) wrong++;
      kept += keep ? 1 : 0;
    }
    expect(wrong).toBe(0);
    expect(Math.abs(kept / n - 0.9)).toBeLessThan(0.005); // 5 standard deviations
    expect(out[0]).toBe(2 * mask[0]!);
  });

  it('same seed gives the same mask, another seed another; p = 0 is the identity', () => {
    const draw = (seed: number) => {
      const mask = new Float32Array(64);
      k32.dropoutForward(new Float32Array(64), mask, new Float32Array(64), 0.5, seed, 64);
      return Array.from(mask);
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    expect(draw(7).every((m) => m === 0 || m === 2)).toBe(true);
    const [out, mask] = [new Float64Array(3), new Float64Array(3)];
    k.dropoutForward(out, mask, Float64Array.from([1, 2, 3]), 0, 9, 3);
    expect([Array.from(out), Array.from(mask)]).toEqual([
      [1, 2, 3],
      [1, 1, 1],
    ]);
  });
});

describe('bad input', () => {
  it('an id outside the vocabulary is a ShapeError naming the position', () => {
    const run = () =>
      k.embeddingsForward(
        new Float64Array(8),
        Int32Array.from([0, 7]),
        Int32Array.from([0, 0]),
        new Float64Array(20),
        new Float64Array(8),
        new Float64Array(8),
        1,
        2,
        4,
        5,
        2,
      );
    expect(run).toThrow(ShapeError);
    expect(run).toThrow('embeddings: input_ids[0][1] = 7 is outside the table of 5 rows');
  });

  it('a token type outside type_vocab_size is a ShapeError', () => {
    const run = () =>
      k.embeddingsForward(
        new Float64Array(8),
        Int32Array.from([0, 1]),
        Int32Array.from([0, 2]),
        new Float64Array(20),
        new Float64Array(8),
        new Float64Array(8),
        1,
        2,
        4,
        5,
        2,
      );
    expect(run).toThrow('embeddings: token_type_ids[0][1] = 2 is outside the table of 2 rows');
  });

  it('a label outside [0, N) is a ShapeError', () => {
    const run = () =>
      k.crossEntropyForward(
        new Float64Array(1),
        new Float64Array(2),
        new Float64Array(2),
        Int32Array.from([2]),
        1,
        2,
      );
    expect(run).toThrow('cross entropy: label_ids[0] = 2 is outside [0, 2)');
  });
});

describe('adamWeightDecay', () => {
  it('one step by hand: no bias correction, decay added inside its run, gradients scaled', () => {
    const [p, g2, m, v] = [
      Float64Array.from([1, -2]),
      Float64Array.from([1, 0.2]),
      new Float64Array(2),
      new Float64Array(2),
    ];
    // decay on element 0 only; the gradients come in halved (a clip factor of 0.5)
    k.adamWeightDecay(p, g2, m, v, 2, Int32Array.from([0, 1]), 0.1, 0.9, 0.999, 1e-6, 0.01, 0.5);
    const u0 = (0.1 * 0.5) / (Math.sqrt(0.001 * 0.25) + 1e-6) + 0.01 * 1;
    expect(p[0]).toBeCloseTo(1 - 0.1 * u0, 15);
    const u1 = (0.1 * 0.1) / (Math.sqrt(0.001 * 0.01) + 1e-6); // no decay term
    expect(p[1]).toBeCloseTo(-2 - 0.1 * u1, 15);
    expect(m[1]).toBeCloseTo(0.01, 15);
    expect(v[1]).toBeCloseTo(0.001 * 0.01, 15);
  });

  it('optimization_test.py: 100 steps of lr 0.2 take w to x within 1e-2', () => {
    const w = Float64Array.from([0.1, -0.2, -0.1]);
    const x = [0.4, 0.2, -0.5];
    const [g, m, v] = [new Float64Array(3), new Float64Array(3), new Float64Array(3)];
    for (let step = 0; step < 100; step++) {
      for (let i = 0; i < 3; i++) g[i] = (2 * (w[i]! - x[i]!)) / 3; // d mean((x−w)²)/dw
      k.adamWeightDecay(w, g, m, v, 3, new Int32Array(0), 0.2, 0.9, 0.999, 1e-6, 0, 1);
    }
    w.forEach((wi, i) => expect(Math.abs(wi - x[i]!)).toBeLessThan(1e-2 + 1e-2 * Math.abs(x[i]!)));
  });
});
