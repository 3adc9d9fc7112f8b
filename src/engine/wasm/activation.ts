// Activations (modeling.get_activation) forward and backward on elements [start, end).
// gelu is BERT's tanh approximation 0.5·x·(1 + tanh(u)), u = √(2/π)·(x + 0.044715·x³), computed
// through the identity 0.5·(1 + tanh(u)) = σ(2u): gelu = x·σ(2u), and d/dx = σ + 2x·σ(1−σ)·u'.
// With exp4's ≈2-ulp error this stays within ≈1e-6 relative of the float64 formula (tested).
// tanh (only the pooler uses it, B·H elements) calls AssemblyScript's scalar Mathf.tanh, a port of
// musl's tanhf (< 1 ulp): a SIMD 1 − 2/(e^{2x}+1) would lose relative accuracy near 0.
import { exp1, exp4, madd } from './math';

const ACT_GELU = 0;
const ACT_RELU = 1;
const ACT_TANH = 2;
const ACT_LINEAR = 3;

const SQRT_2_OVER_PI: f32 = 0.7978845608028654;
const GELU_CUBIC: f32 = 0.044715;
/** u' = √(2/π)·(1 + 3·0.044715·x²) = SQRT_2_OVER_PI + GELU_DU2·x². */
const GELU_DU2: f32 = 0.10703222440890037; // √(2/π)·3·0.044715

/** u = √(2/π)·(x + 0.044715·x³), the argument of gelu's tanh. */
function geluArg(x: v128): v128 {
  const x3 = f32x4.mul(f32x4.mul(x, x), x);
  return f32x4.mul(f32x4.splat(SQRT_2_OVER_PI), madd(f32x4.splat(GELU_CUBIC), x3, x));
}

/** gelu(x) = x·σ(2u) = x / (1 + e^{−2u}), written out in the loop (binaryen does not inline a helper). */
function geluForward(out: usize, inp: usize, o: usize, e: usize): void {
  for (; o + 16 <= e; o += 16) {
    const x = v128.load(inp + o);
    const u = geluArg(x);
    const d = f32x4.add(f32x4.splat(1), exp4(f32x4.neg(f32x4.add(u, u))));
    v128.store(out + o, f32x4.div(x, d));
  }
  for (; o < e; o += 4) {
    const x = load<f32>(inp + o);
    const u = f32x4.extract_lane(geluArg(f32x4.splat(x)), 0);
    store<f32>(out + o, x / (1 + exp1(-2 * u)));
  }
}

/**
 * gelu'(x) = σ + 2x·σ(1−σ)·u' with σ = σ(2u) = 1/(1+e), e = e^{−2u}. σ(1−σ) is computed as e·σ²,
 * not σ·(1−σ): once σ rounds to 1 (x > 4) the latter is 0 and loses the 2e-6 by which gelu'
 * exceeds 1 there. Written out in the loop, as binaryen does not inline a helper this size.
 */
function geluBackward(dInp: usize, inp: usize, dOut: usize, o: usize, end: usize): void {
  for (; o + 16 <= end; o += 16) {
    const x = v128.load(inp + o);
    const u = geluArg(x);
    const e = exp4(f32x4.neg(f32x4.add(u, u)));
    const s = f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), e));
    const x2 = f32x4.mul(x, x);
    const du = madd(f32x4.splat(GELU_DU2), x2, f32x4.splat(SQRT_2_OVER_PI));
    const sds = f32x4.mul(f32x4.mul(e, s), s);
    const grad = madd(f32x4.mul(f32x4.add(x, x), sds), du, s);
    v128.store(dInp + o, madd(grad, v128.load(dOut + o), v128.load(dInp + o)));
  }
  for (; o < end; o += 4) {
    const x = load<f32>(inp + o);
    const u = f32x4.extract_lane(geluArg(f32x4.splat(x)), 0);
    const e = exp1(-2 * u);
    const s: f32 = 1 / (1 + e);
    const grad = s + 2 * x * e * s * s * (SQRT_2_OVER_PI + GELU_DU2 * x * x);
    store<f32>(dInp + o, load<f32>(dInp + o) + grad * load<f32>(dOut + o));
  }
}

/** out = act(inp) on [start, end); act: 0 gelu, 1 relu, 2 tanh, 3 linear. */
export function activationForwardRange(
  act: i32,
  out: usize,
  inp: usize,
  start: i32,
  end: i32,
): void {
  let o = (<usize>start) << 2;
  const e = (<usize>end) << 2;
  if (act == ACT_GELU) {
    geluForward(out, inp, o, e);
  } else if (act == ACT_RELU) {
    for (; o + 16 <= e; o += 16) v128.store(out + o, f32x4.max(v128.load(inp + o), f32x4.splat(0)));
    for (; o < e; o += 4) store<f32>(out + o, max<f32>(load<f32>(inp + o), 0));
  } else if (act == ACT_TANH) {
    for (; o < e; o += 4) store<f32>(out + o, Mathf.tanh(load<f32>(inp + o)));
  } else if (act == ACT_LINEAR) {
    for (; o < e; o += 4) store<f32>(out + o, load<f32>(inp + o));
  }
}

/** dInp += act'(inp)·dOut on [start, end). relu' is 0 at 0, as TF's ReluGrad. */
export function activationBackwardRange(
  act: i32,
  dInp: usize,
  inp: usize,
  dOut: usize,
  start: i32,
  end: i32,
): void {
  let o = (<usize>start) << 2;
  const e = (<usize>end) << 2;
  if (act == ACT_GELU) {
    geluBackward(dInp, inp, dOut, o, e);
    return;
  }
  for (; o < e; o += 4) {
    const x = load<f32>(inp + o);
    let d: f32 = 1;
    if (act == ACT_RELU) d = x > 0 ? 1 : 0;
    else if (act == ACT_TANH) {
      const t = Mathf.tanh(x);
      d = 1 - t * t;
    }
    store<f32>(dInp + o, load<f32>(dInp + o) + d * load<f32>(dOut + o));
  }
}
