// Shared pieces of the fast kernel tests (wasm and native): the kernel sets under test, the
// float64 reference they are held to, seeded random inputs and a closeness check that names the
// first element out of tolerance.
import { afterAll, beforeAll, expect } from 'vitest';
import { createWasmKernels } from '../../src/engine/wasm_kernels.js';
import { createNativeKernels, type NativeIsa } from '../../src/engine/native_kernels.js';
import { nativeAvailable } from '../../src/engine/index.js';
import { loadNativeAddon } from '../../src/engine/native_addon.js';
import { createReferenceKernels } from '../../src/engine/reference/index.js';
import type { Kernels } from '../../src/engine/kernels.js';

export const ref64 = createReferenceKernels('f64');
export const ref32 = createReferenceKernels('f32');

type KernelSet = [name: string, kernels: () => Kernels<Float32Array>];

/**
 * The wasm kernel sets under test, created once per test file: the default build (relaxed SIMD,
 * fused multiply-adds, where the runtime has it) on 1 and 2 threads, and the plain SIMD build
 * (the fallback) on 2 threads.
 */
export function wasmSets(): [KernelSet, KernelSet, KernelSet] {
  const sets = new Map<string, Kernels<Float32Array>>();
  beforeAll(async () => {
    for (const t of [1, 2]) sets.set(`wasm x${t}`, await createWasmKernels(t));
    sets.set('wasm simd x2', await createWasmKernels(2, 'simd'));
  });
  afterAll(async () => {
    for (const k of sets.values()) await k.dispose();
  });
  const set = (name: string): KernelSet => [name, () => sets.get(name)!];
  return [set('wasm x1'), set('wasm x2'), set('wasm simd x2')];
}

/** The native matrix products this machine runs, best micro-kernel first, then OpenBLAS if found. */
export function nativeIsas(): Exclude<NativeIsa, 'auto'>[] {
  const addon = loadNativeAddon();
  if (typeof addon === 'string') return [];
  return (['avx512', 'avx2', 'generic', 'openblas'] as const).filter((isa) => {
    const s = addon.createSet(1, isa);
    if (typeof s === 'string') return false;
    addon.destroySet(s);
    return true;
  });
}

/**
 * Every fast kernel set, created once per test file: the wasm sets of wasmSets(), and where the
 * native addon loads the native set on 1 and 2 threads and, on an AVX-512 CPU, its AVX2 build on 2
 * threads. (The plain-C and OpenBLAS matrix products: native.test.ts, against the AVX2 one.)
 */
export function kernelSets(): KernelSet[] {
  const sets: KernelSet[] = [...wasmSets()];
  if (!nativeAvailable()) return sets;
  const made = new Map<string, Kernels<Float32Array>>();
  const want: [string, number, NativeIsa][] = [
    ['native x1', 1, 'auto'],
    ['native x2', 2, 'auto'],
    ...nativeIsas()
      .filter((isa) => isa === 'avx2' && nativeIsas()[0] !== 'avx2')
      .map((isa): [string, number, NativeIsa] => [`native ${isa} x2`, 2, isa]),
  ];
  beforeAll(async () => {
    for (const [name, threads, isa] of want)
      made.set(name, await createNativeKernels(threads, isa));
  });
  afterAll(async () => {
    for (const k of made.values()) await k.dispose();
  });
  for (const [name] of want) sets.push([name, () => made.get(name)!]);
  return sets;
}

/** Deterministic uniform numbers in [lo, hi) (a 32-bit xorshift; inputs only, not dropout). */
export function rng(seed: number): (lo?: number, hi?: number) => number {
  let s = seed >>> 0 || 1;
  return (lo = -1, hi = 1) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return lo + ((hi - lo) * s) / 4294967296;
  };
}

/** A kernel-set buffer of n random float32 values in [lo, hi). */
export function randomF32(
  k: Kernels<Float32Array>,
  n: number,
  r: ReturnType<typeof rng>,
  lo = -1,
  hi = 1,
): Float32Array {
  const a = k.alloc(n);
  for (let i = 0; i < n; i++) a[i] = r(lo, hi);
  return a;
}

/** The same values in float64, for the reference. */
export function f64(a: Float32Array): Float64Array {
  return Float64Array.from(a);
}

/** A kernel-set int32 buffer holding `values`. */
export function ints(k: Kernels<Float32Array>, values: ArrayLike<number>): Int32Array {
  const a = k.allocInt(values.length);
  a.set(Array.from(values));
  return a;
}

/** |got − want| ≤ atol + rtol·|want| everywhere; the failure names the first bad element. */
export function expectClose(
  got: ArrayLike<number>,
  want: ArrayLike<number>,
  atol: number,
  rtol: number,
): void {
  expect(got.length).toBe(want.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < want.length; i++) {
    const excess = Math.abs(got[i]! - want[i]!) - (atol + rtol * Math.abs(want[i]!));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    expect.fail(
      `element ${worst}: got ${got[worst]}, want ${want[worst]} (atol ${atol}, rtol ${rtol})`,
    );
  }
}

/** got equals want element for element (no diff of huge arrays on failure: the first mismatch). */
export function expectSame(got: ArrayLike<number>, want: ArrayLike<number>): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!Object.is(got[i], want[i])) expect.fail(`element ${i}: got ${got[i]}, want ${want[i]}`);
  }
}
