// The native kernel set beyond the per-kernel agreement with the reference (which the kernel
// tests check over every set): that it is built and loads here, how a backend is chosen,
// results independent of the thread count and of the instruction set, aligned buffers, dispose.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKernels, nativeAvailable } from '../../src/engine/index.js';
import type { Kernels } from '../../src/engine/kernels.js';
import { createNativeKernels, type NativeIsa } from '../../src/engine/native_kernels.js';
import { loadNativeAddon } from '../../src/engine/native_addon.js';
import { expectClose, expectSame, nativeIsas, randomF32, rng } from './wasm_helpers.js';

type K = Kernels<Float32Array>;

describe('the native addon', () => {
  it('is built and loads on linux-x64 (npm install / npm run build compile it with node-gyp)', () => {
    if (process.platform !== 'linux' || process.arch !== 'x64') return;
    const addon = loadNativeAddon();
    expect(typeof addon === 'string' ? addon : 'loaded').toBe('loaded');
    expect(nativeIsas()).toContain('avx2');
  });
});

describe.runIf(nativeAvailable())('choosing the backend', () => {
  it("'auto' takes native here, 'wasm' and 'native' take what they name", async () => {
    for (const [backend, prefix] of [
      ['auto', 'native-'],
      ['native', 'native-'],
      ['wasm', 'wasm-'],
    ] as const) {
      const k = await createKernels({ threads: 2, backend });
      expect(k.name.startsWith(prefix)).toBe(true);
      expect(k.name.endsWith(' x2')).toBe(true);
      await k.dispose();
    }
  });

  it('an unknown backend is a ConfigError naming the choices', async () => {
    // @ts-expect-error: not a Backend
    await expect(createKernels({ backend: 'gpu' })).rejects.toThrow(
      "backend 'gpu': expected one of auto, native, wasm",
    );
  });

  it('dispose() stops the threads; a kernel call afterwards is an error', async () => {
    const k = await createNativeKernels(2);
    const a = k.alloc(1 << 16).fill(2);
    k.accumulate(a, a, 1 << 16);
    expect(a[777]).toBe(4);
    await k.dispose();
    expect(() => k.accumulate(a, a, 1 << 16)).toThrow('disposed');
  });

  it('alloc hands out zeroed buffers that start on a 64-byte boundary', async () => {
    const k = await createNativeKernels(1);
    const addon = loadNativeAddon();
    if (typeof addon === 'string') throw new Error(addon);
    for (const n of [1, 3, 1000, 4097]) {
      const a = k.alloc(n);
      expect([a.length, addon.misalignment(a), a.every((x) => x === 0)]).toEqual([n, 0, true]);
    }
    await k.dispose();
  });
});

/** The outputs of a set of kernels whose work is split over threads, on fixed inputs. */
function outputs(k: K) {
  const r = rng(21);
  const [M, Kd, N] = [300, 200, 130];
  const a = randomF32(k, M * Kd, r);
  const b = randomF32(k, Kd * N, r);
  const c = k.alloc(M * N);
  k.matmul(c, a, b, randomF32(k, N, r), M, Kd, N, false, true, false);
  const narrow = k.alloc(5 * 700); // fewer rows than the threads share: split by columns
  k.matmul(narrow, a, randomF32(k, Kd * 700, r), null, 5, Kd, 700, false, false, false);
  const dW = k.alloc(Kd * N);
  k.matmul(dW, a, c, null, Kd, M, N, true, false, true);
  const [B, T, NH, HS] = [3, 40, 2, 16];
  const n = B * T * NH * HS;
  const [q, kk, v, maskBias] = [
    randomF32(k, n, r),
    randomF32(k, n, r),
    randomF32(k, n, r),
    k.alloc(B * T),
  ];
  const [ctx, probs, mask] = [k.alloc(n), k.alloc(B * NH * T * T), k.alloc(B * NH * T * T)];
  k.attentionForward(ctx, probs, mask, q, kk, v, maskBias, B, T, T, NH, HS, 0.1, 5);
  const [dq, dk, dv] = [k.alloc(n), k.alloc(n), k.alloc(n)];
  k.attentionBackward(dq, dk, dv, ctx, probs, mask, q, kk, v, B, T, T, NH, HS, 0.1);
  const [mean, rstd, gamma] = [k.alloc(M), k.alloc(M), randomF32(k, N, r)];
  const ln = k.alloc(M * N);
  k.layernormForward(ln, mean, rstd, c, gamma, gamma, M, N);
  const [dInp, dGamma, dBeta] = [k.alloc(M * N), k.alloc(N), k.alloc(N)];
  k.layernormBackward(dInp, dGamma, dBeta, ln, c, mean, rstd, gamma, M, N);
  const dBias = k.alloc(N);
  k.biasBackward(dBias, c, M, N);
  return {
    c,
    narrow,
    dW,
    ctx,
    probs,
    dq,
    dk,
    dv,
    ln,
    dInp,
    dGamma,
    dBeta,
    dBias,
    sum: k.sumSquares(c, M * N),
  };
}

describe.runIf(nativeAvailable())('native results', () => {
  const sets = new Map<string, K>();
  const isas = nativeIsas();
  beforeAll(async () => {
    for (const t of [1, 2, 3]) sets.set(`x${t}`, await createNativeKernels(t));
    for (const isa of isas) sets.set(isa, await createNativeKernels(2, isa as NativeIsa));
  });
  afterAll(async () => {
    for (const k of sets.values()) await k.dispose();
  });

  it('do not depend on the thread count (1, 2, 3 threads): bit for bit', () => {
    const [one, two, three] = ['x1', 'x2', 'x3'].map((t) => outputs(sets.get(t)!));
    for (const other of [two!, three!]) {
      for (const key of Object.keys(one!) as (keyof typeof other)[]) {
        if (key === 'sum') expect(other.sum).toBe(one!.sum);
        else expectSame(other[key], one![key]);
      }
    }
  });

  it('the AVX-512 and AVX2 matrix products are bit for bit the same; plain C within rounding', () => {
    const got = new Map(
      isas.filter((isa) => isa !== 'openblas').map((isa) => [isa, outputs(sets.get(isa)!)]),
    );
    const avx2 = got.get('avx2')!;
    if (got.has('avx512')) {
      for (const key of ['c', 'narrow', 'dW'] as const)
        expectSame(got.get('avx512')![key], avx2[key]);
    }
    const plain = got.get('generic')!;
    expectClose(plain.c, avx2.c, 1e-5 * Math.sqrt(200), 1e-5);
    expectClose(plain.dW, avx2.dW, 1e-5 * Math.sqrt(300), 1e-5);
    expectClose(plain.ctx, avx2.ctx, 1e-5, 1e-4);
    expectClose(plain.dq, avx2.dq, 1e-5, 1e-4);
  });

  it.runIf(isas.includes('openblas'))('the system OpenBLAS products agree within rounding', () => {
    const blas = outputs(sets.get('openblas')!);
    const avx2 = outputs(sets.get('avx2')!);
    for (const key of ['c', 'narrow'] as const)
      expectClose(blas[key], avx2[key], 1e-5 * Math.sqrt(200), 1e-5);
    expectClose(blas.dW, avx2.dW, 1e-5 * Math.sqrt(300), 1e-5);
    expectClose(blas.ctx, avx2.ctx, 1e-5, 1e-4);
  });
});
