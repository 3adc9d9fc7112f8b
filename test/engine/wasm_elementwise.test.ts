// The wasm activations, element-wise kernels, dropout and AdamW against the reference, at 1 and
// 2 threads, on sizes around the SIMD width (1, 3, 4k+1, 17, 129) and BERT-Tiny sizes.
import { describe, expect, it } from 'vitest';
import type { Activation, Kernels } from '../../src/engine/kernels.js';
import { dropoutHash, dropoutThreshold } from '../../src/engine/dropout_hash.js';
import {
  expectClose,
  expectSame,
  f64,
  randomF32,
  ref32,
  ref64,
  rng,
  kernelSets,
} from './wasm_helpers.js';

const SETS = kernelSets();
const SIZES = [1, 3, 4, 17, 129, 4 * 1000 + 1, 4096 * 128];
const ACTS: Activation[] = ['gelu', 'relu', 'tanh', 'linear'];

describe.each(SETS)('activations [%s]', (_name, kernels) => {
  for (const act of ACTS) {
    it.each(SIZES)(`${act} forward, n=%i: |got−ref| ≤ 1e-7 + 1e-6·|ref|`, (n) => {
      const k = kernels();
      const r = rng(n);
      const inp = randomF32(k, n, r, -6, 6);
      const out = k.alloc(n);
      const want = new Float64Array(n);
      k.activationForward(act, out, inp, n);
      ref64.activationForward(act, want, f64(inp), n);
      expectClose(out, want, 1e-7, 1e-6);
    });
    it.each(SIZES)(`${act} backward from nonzero dInp, n=%i: ≤ 1e-6 + 1e-6·|ref|`, (n) => {
      const k = kernels();
      const r = rng(n + 1);
      const inp = randomF32(k, n, r, -6, 6);
      const dOut = randomF32(k, n, r);
      const dInp = randomF32(k, n, r);
      const want = f64(dInp);
      k.activationBackward(act, dInp, inp, dOut, n);
      ref64.activationBackward(act, want, f64(inp), f64(dOut), n);
      expectClose(dInp, want, 1e-6, 1e-6);
    });
  }

  it('gelu saturates like the formula far out: gelu(−30) = 0, gelu(30) = 30, gelu(0) = 0', () => {
    const k = kernels();
    const inp = k.alloc(5);
    inp.set([-30, -10, 0, 10, 30]);
    const out = k.alloc(5);
    k.activationForward('gelu', out, inp, 5);
    expect(Math.abs(out[0]!)).toBeLessThan(1e-30);
    expect(out[2]).toBe(0);
    expect(out[3]).toBeCloseTo(10, 6);
    expect(out[4]).toBe(30);
  });
});

describe.each(SETS)('add, accumulate, sumSquares [%s]', (_name, kernels) => {
  it.each(SIZES)('n=%i: exact in float32, sumSquares ≤ 1e-12 relative', (n) => {
    const k = kernels();
    const r = rng(n + 2);
    const a = randomF32(k, n, r);
    const b = randomF32(k, n, r);
    const out = k.alloc(n);
    const want = new Float32Array(n);
    k.add(out, a, b, n);
    ref32.add(want, a, b, n);
    expectSame(out, want);
    k.accumulate(out, a, n);
    ref32.accumulate(want, a, n);
    expectSame(out, want);
    const s = k.sumSquares(out, n);
    expect(Math.abs(s - ref64.sumSquares(f64(out), n))).toBeLessThanOrEqual(1e-12 * s);
  });
});

describe.each(SETS)('zero [%s]', (_name, kernels) => {
  it.each(SIZES)(
    'n=%i: the first n − 3 elements become 0; the last 3 and a NaN after them stay',
    (n) => {
      const k = kernels();
      const x = randomF32(k, n + 1, rng(n + 3), 1, 2);
      x[n] = NaN;
      const m = Math.max(0, n - 3);
      const want = Float32Array.from(x);
      ref32.zero(want, m);
      k.zero(x, m);
      expectSame(x, want);
      expect(want.subarray(0, m).every((v) => v === 0)).toBe(true);
      expect(want.subarray(m, n).every((v) => v >= 1)).toBe(true);
    },
  );

  it('a buffer shorter than n is a ShapeError', () => {
    const k = kernels();
    expect(() => k.zero(k.alloc(10), 11)).toThrow('zero: x has 10 elements, the shapes need 11');
  });
});

describe.each(SETS)('adamWeightDecay [%s]', (_name, kernels) => {
  /** Decay runs that start and end off the SIMD width, with a gap, plus the no-decay case. */
  function runsFor(k: Kernels<Float32Array>, n: number, wd: number): Int32Array {
    const bounds = wd === 0 || n < 8 ? [] : [1, Math.floor(n / 3), Math.floor(n / 2) + 1, n - 2];
    const runs = k.allocInt(bounds.length);
    runs.set(bounds);
    return runs;
  }
  it.each(SIZES)(
    'n=%i, three steps, gradScale 0.7, decay runs and none: |got−ref| ≤ 1e-7 + 1e-5·|ref|',
    (n) => {
      const k = kernels();
      const r = rng(n + 3);
      // wd 0.5: a decay term misplaced across a run boundary moves param by ~5e-4, far over tolerance
      for (const wd of [0.5, 0]) {
        const param = randomF32(k, n, r);
        const [m, v] = [k.alloc(n), k.alloc(n)];
        const [p64, m64, v64] = [f64(param), new Float64Array(n), new Float64Array(n)];
        const runs = runsFor(k, n, wd);
        for (let step = 0; step < 3; step++) {
          const grad = randomF32(k, n, r, -0.01, 0.01);
          k.adamWeightDecay(param, grad, m, v, n, runs, 1e-3, 0.9, 0.999, 1e-6, wd, 0.7);
          ref64.adamWeightDecay(p64, f64(grad), m64, v64, n, runs, 1e-3, 0.9, 0.999, 1e-6, wd, 0.7);
        }
        expectClose(m, m64, 1e-9, 1e-5);
        expectClose(v, v64, 1e-12, 1e-5);
        expectClose(param, p64, 1e-7, 1e-5);
      }
    },
  );

  it('decay runs out of order are a ShapeError', () => {
    const k = kernels();
    const [p, g, m, v] = [k.alloc(8), k.alloc(8), k.alloc(8), k.alloc(8)];
    const runs = k.allocInt(4);
    runs.set([4, 6, 2, 3]);
    expect(() => k.adamWeightDecay(p, g, m, v, 8, runs, 1e-3, 0.9, 0.999, 1e-6, 0.01, 1)).toThrow(
      'adamWeightDecay: decay run [2, 3) is out of order or outside [0, 8)',
    );
  });
});

describe.each(SETS)('dropout [%s]', (_name, kernels) => {
  it.each(SIZES)(
    'p=0.1, n=%i: the reference float32 mask and output bit for bit; backward ≤ 2e-7 + 2e-7·|ref|',
    (n) => {
      const k = kernels();
      const r = rng(n + 4);
      const inp = randomF32(k, n, r);
      const [out, mask] = [k.alloc(n), k.alloc(n)];
      const [wantOut, wantMask] = [new Float32Array(n), new Float32Array(n)];
      k.dropoutForward(out, mask, inp, 0.1, 0xdeadbeef, n);
      ref32.dropoutForward(wantOut, wantMask, inp, 0.1, 0xdeadbeef, n);
      expectSame(mask, wantMask);
      expectSame(out, wantOut);
      const dInp = randomF32(k, n, r);
      const dOut = randomF32(k, n, r);
      const want = f64(dInp);
      k.dropoutBackward(dInp, dOut, mask, n);
      ref64.dropoutBackward(want, f64(dOut), f64(mask), n);
      expectClose(dInp, want, 2e-7, 2e-7); // float32 multiply then add: two roundings
    },
  );

  it('drops close to p of 2^19 elements, keeps 1/(1−p) exactly, and mask bits follow the hash', () => {
    const k = kernels();
    const n = 1 << 19;
    const inp = k.alloc(n).fill(1);
    const [out, mask] = [k.alloc(n), k.alloc(n)];
    k.dropoutForward(out, mask, inp, 0.25, 42, n);
    let dropped = 0;
    for (let i = 0; i < n; i++) if (mask[i] === 0) dropped++;
    expect(Math.abs(dropped / n - 0.25)).toBeLessThan(0.003);
    expect(mask.find((x) => x !== 0)).toBe(Math.fround(4 / 3));
    for (const i of [0, 1, 2, 3, 12345, n - 1])
      expect(mask[i] === 0).toBe(dropoutHash(42, i) < dropoutThreshold(0.25));
  });

  it('p=0 copies the input and writes a mask of ones; p outside [0, 1) is an error', () => {
    const k = kernels();
    const inp = randomF32(k, 9, rng(5));
    const [out, mask] = [k.alloc(9), k.alloc(9)];
    k.dropoutForward(out, mask, inp, 0, 1, 9);
    expectSame(out, inp);
    expect(Array.from(mask)).toEqual(new Array(9).fill(1));
    expect(() => k.dropoutForward(out, mask, inp, 1, 1, 9)).toThrow(
      'dropout probability 1 is outside [0, 1)',
    );
  });
});

describe('dropout masks do not depend on the kernel set or the thread count', () => {
  it('every set, on 1 and 2 threads, draws the same mask of 100003 elements', () => {
    const n = 100003;
    const masks = SETS.map(([, kernels]) => {
      const k = kernels();
      const inp = k.alloc(n).fill(2);
      const [out, mask] = [k.alloc(n), k.alloc(n)];
      k.dropoutForward(out, mask, inp, 0.1, 7, n);
      return mask;
    });
    for (const mask of masks.slice(1)) expectSame(mask, masks[0]!);
  });
});
