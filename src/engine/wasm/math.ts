// SIMD exp and the logistic function for the WebAssembly kernels. WebAssembly has no exp or tanh
// instruction, and calling out to JavaScript per element costs 10–20 ns; this float32 exp costs a
// few ns per 4 elements.
//
// exp4: Cody–Waite range reduction x = n·ln2 + r, |r| ≤ ln2/2, then the degree-6 minimax
// polynomial of Cephes' expf (S. Moshier) for e^r, then scaling by 2^n built in the exponent bits.
// Maximum relative error ≈ 2 float32 ulp (≈ 2.4e-7) for x in [−87.3, 88.3] (test/engine/wasm_math
// .test.ts checks ≤ 3e-7 against Math.exp); below −87.3 the result is 0 (as float32 exp underflows to
// a denormal there), above 88.3 it saturates at e^88.3 ≈ 2.2e38.

/**
 * a·b + c per lane. With relaxed SIMD (the kernels-relaxed.wasm build) one f32x4.relaxed_madd,
 * which V8 compiles to a fused multiply-add (vfmadd) where the CPU has FMA: one instruction and
 * one rounding instead of two. Otherwise a multiply and an add. Used by the matmul micro-kernel
 * and exp4's polynomial; the range reduction keeps its separate roundings (see exp4).
 */
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

const EXP_MIN: f32 = -87.3;
const EXP_MAX: f32 = 88.3;
const LOG2E: f32 = 1.44269504;
/** 1.5·2^23 + 127: see exp4. */
const ROUNDER: f32 = 12583039.0;
/** ln 2 split in two so that n·LN2_HI is exact. */
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.1219444e-4;

/**
 * e^x for four float32 lanes, from single-instruction operations: pmin/pmax rather than min/max
 * (whose NaN and −0 rules cost V8 several instructions each) and, for n = round(x·log2 e), the
 * rounding trick: adding 1.5·2^23 + 127 leaves n + 127 in the low mantissa bits of the sum, and
 * shifting the sum left by 23 makes those bits the exponent of 2^n (the higher bits fall off).
 * (Loading the constants from a table instead of v128.const measured slower in V8.)
 */
export function exp4(x: v128): v128 {
  const under = f32x4.lt(x, f32x4.splat(EXP_MIN));
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(EXP_MIN)), f32x4.splat(EXP_MAX));
  const shifted = f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E)), f32x4.splat(ROUNDER));
  const fn = f32x4.sub(shifted, f32x4.splat(ROUNDER));
  let r = f32x4.sub(x, f32x4.mul(fn, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(fn, f32x4.splat(LN2_LO)));
  let y = f32x4.splat(1.98756915e-4);
  y = madd(y, r, f32x4.splat(1.3981999507e-3));
  y = madd(y, r, f32x4.splat(8.3334519073e-3));
  y = madd(y, r, f32x4.splat(4.1665795894e-2));
  y = madd(y, r, f32x4.splat(1.6666665459e-1));
  y = madd(y, r, f32x4.splat(5.0000001201e-1));
  y = f32x4.add(madd(y, f32x4.mul(r, r), r), f32x4.splat(1.0));
  return v128.andnot(f32x4.mul(y, i32x4.shl(shifted, 23)), under);
}

/** e^x for one float32 (lane 0 of exp4). */
export function exp1(x: f32): f32 {
  return f32x4.extract_lane(exp4(f32x4.splat(x)), 0);
}

/** Exported for the accuracy test: out[i] = e^inp[i], n elements. */
export function expForward(out: usize, inp: usize, n: i32): void {
  const end = (<usize>n) << 2;
  let o: usize = 0;
  for (; o + 16 <= end; o += 16) v128.store(out + o, exp4(v128.load(inp + o)));
  for (; o < end; o += 4) store<f32>(out + o, exp1(load<f32>(inp + o)));
}
