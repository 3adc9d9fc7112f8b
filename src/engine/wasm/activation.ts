// Activations (modeling.get_activation) forward and backward on elements [start, end).
// gelu is BERT's tanh approximation 0.5·x·(1 + tanh(u)), u = √(2/π)·(x + 0.044715·x³), computed
// through the identity 0.5·(1 + tanh(u)) = σ(2u): gelu = x·σ(2u), and d/dx = σ + 2x·σ(1−σ)·u'.
// With exp4's ≈2-ulp error this stays within ≈1e-6 relative of the float64 formula (tested).
// tanh (only the pooler uses it, B·H elements) calls AssemblyScript's scalar Mathf.tanh, a port of
// musl's tanhf (< 1 ulp): a SIMD 1 − 2/(e^{2x}+1) would lose relative accuracy near 0.
import { exp4, sigmoid4 } from './math';

const ACT_GELU = 0;
const ACT_RELU = 1;
const ACT_TANH = 2;
const ACT_LINEAR = 3;

const SQRT_2_OVER_PI: f32 = 0.7978845608028654;
const GELU_CUBIC: f32 = 0.044715;

/** u = √(2/π)·(x + 0.044715·x³), the argument of gelu's tanh. */
function geluArg(x: v128): v128 {
  const x3 = f32x4.mul(f32x4.mul(x, x), x);
  return f32x4.mul(
    f32x4.splat(SQRT_2_OVER_PI),
    f32x4.add(x, f32x4.mul(f32x4.splat(GELU_CUBIC), x3)),
  );
}

/** σ(2u) = 0.5·(1 + tanh(u)). */
function geluSigma(x: v128): v128 {
  const u = geluArg(x);
  return sigmoid4(f32x4.add(u, u));
}

function geluForward(out: usize, inp: usize, o: usize, e: usize): void {
  for (; o + 16 <= e; o += 16) {
    const x = v128.load(inp + o);
    v128.store(out + o, f32x4.mul(x, geluSigma(x)));
  }
  for (; o < e; o += 4) {
    const x = f32x4.splat(load<f32>(inp + o));
    store<f32>(out + o, f32x4.extract_lane(f32x4.mul(x, geluSigma(x)), 0));
  }
}

/**
 * gelu'(x) = σ + 2x·σ(1−σ)·u' with σ = σ(2u) = 1/(1+e), e = e^{−2u}. σ(1−σ) is computed as
 * e/(1+e)², not σ·(1−σ): once σ rounds to 1 (x > 4) the latter is 0 and loses the 2e-6 by which
 * gelu' exceeds 1 there.
 */
function geluGrad(x: v128): v128 {
  const u = geluArg(x);
  const e = exp4(f32x4.neg(f32x4.add(u, u)));
  const s = f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), e));
  const du = f32x4.mul(
    f32x4.splat(SQRT_2_OVER_PI),
    f32x4.add(f32x4.splat(1), f32x4.mul(f32x4.splat(3 * GELU_CUBIC), f32x4.mul(x, x))),
  );
  const sds = f32x4.mul(f32x4.mul(e, s), s);
  return f32x4.add(s, f32x4.mul(f32x4.mul(f32x4.add(x, x), sds), du));
}

function geluBackward(dInp: usize, inp: usize, dOut: usize, o: usize, e: usize): void {
  for (; o + 16 <= e; o += 16) {
    const g = f32x4.mul(geluGrad(v128.load(inp + o)), v128.load(dOut + o));
    v128.store(dInp + o, f32x4.add(v128.load(dInp + o), g));
  }
  for (; o < e; o += 4) {
    const g = f32x4.extract_lane(geluGrad(f32x4.splat(load<f32>(inp + o))), 0);
    store<f32>(dInp + o, load<f32>(dInp + o) + g * load<f32>(dOut + o));
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
