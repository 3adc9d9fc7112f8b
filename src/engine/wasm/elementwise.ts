// Element-wise kernels (residual adds, gradient accumulation, clipping, the global norm, AdamW).
// Every function works on elements [start, end) of its buffers, so the pool can hand each thread
// a slice; start is a multiple of 4 (except for a thread's last, scalar, tail).
// Pointers are byte addresses into the shared memory; counts are elements.

/** out = a + b on [start, end). */
export function addRange(out: usize, a: usize, b: usize, start: i32, end: i32): void {
  let o = (<usize>start) << 2;
  const e = (<usize>end) << 2;
  for (; o + 16 <= e; o += 16) v128.store(out + o, f32x4.add(v128.load(a + o), v128.load(b + o)));
  for (; o < e; o += 4) store<f32>(out + o, load<f32>(a + o) + load<f32>(b + o));
}

/** dst += src on [start, end). */
export function accumulateRange(dst: usize, src: usize, start: i32, end: i32): void {
  addRange(dst, dst, src, start, end);
}

/** x = 0 on [start, end). */
export function zeroRange(x: usize, start: i32, end: i32): void {
  let o = (<usize>start) << 2;
  const e = (<usize>end) << 2;
  const z = f32x4.splat(0);
  for (; o + 16 <= e; o += 16) v128.store(x + o, z);
  for (; o < e; o += 4) store<f32>(x + o, 0);
}

/**
 * Σ x² in float64 per chunk of `chunk` elements: partials[c] (f64) for chunks [start, end).
 * Fixed chunks (not per-thread sums) make the total independent of the thread count.
 */
export function sumSquaresChunks(
  partials: usize,
  x: usize,
  n: i32,
  chunk: i32,
  start: i32,
  end: i32,
): void {
  for (let c = start; c < end; c++) {
    let o = (<usize>c * chunk) << 2;
    const e = (<usize>min(n, (c + 1) * chunk)) << 2;
    let acc = f64x2.splat(0);
    for (; o + 16 <= e; o += 16) {
      const v = v128.load(x + o);
      const lo = f64x2.promote_low_f32x4(v);
      const hi = f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
      acc = f64x2.add(acc, f64x2.add(f64x2.mul(lo, lo), f64x2.mul(hi, hi)));
    }
    let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
    for (; o < e; o += 4) {
      const v = <f64>load<f32>(x + o);
      s += v * v;
    }
    store<f64>(partials + ((<usize>c) << 3), s);
  }
}

/**
 * One AdamWeightDecay step (optimization.AdamWeightDecayOptimizer, no bias correction) on
 * [start, end) of the whole parameter buffer: g = gScale·grad; m = β1·m + (1−β1)·g;
 * v = β2·v + (1−β2)·g²; p −= lr·(m/(√v + ε) + wd·p), with wd only inside the decaying runs
 * (nRuns sorted pairs of i32 start, end at `runs`) and 0 between them.
 */
export function adamRange(
  param: usize,
  grad: usize,
  m: usize,
  v: usize,
  runs: usize,
  nRuns: i32,
  lr: f32,
  beta1: f32,
  beta2: f32,
  eps: f32,
  wd: f32,
  gScale: f32,
  start: i32,
  end: i32,
): void {
  let s = start;
  for (let r = 0; r < nRuns && s < end; r++) {
    const runStart = load<i32>(runs + ((<usize>r) << 3));
    const runEnd = min(load<i32>(runs + ((<usize>r) << 3) + 4), end);
    if (runEnd <= s) continue;
    if (runStart > s) {
      const gapEnd = min(runStart, end);
      adamSpan(param, grad, m, v, lr, beta1, beta2, eps, 0, gScale, s, gapEnd);
      s = gapEnd;
    }
    if (s < runEnd) {
      adamSpan(param, grad, m, v, lr, beta1, beta2, eps, wd, gScale, s, runEnd);
      s = runEnd;
    }
  }
  if (s < end) adamSpan(param, grad, m, v, lr, beta1, beta2, eps, 0, gScale, s, end);
}

/** adamRange's arithmetic on [start, end) with one weight-decay rate. */
function adamSpan(
  param: usize,
  grad: usize,
  m: usize,
  v: usize,
  lr: f32,
  beta1: f32,
  beta2: f32,
  eps: f32,
  wd: f32,
  gScale: f32,
  start: i32,
  end: i32,
): void {
  let o = (<usize>start) << 2;
  const e = (<usize>end) << 2;
  const b1 = f32x4.splat(beta1);
  const c1 = f32x4.splat(1 - beta1);
  const b2 = f32x4.splat(beta2);
  const c2 = f32x4.splat(1 - beta2);
  const epsv = f32x4.splat(eps);
  const wdv = f32x4.splat(wd);
  const lrv = f32x4.splat(lr);
  const gs = f32x4.splat(gScale);
  for (; o + 16 <= e; o += 16) {
    const g = f32x4.mul(gs, v128.load(grad + o));
    const p = v128.load(param + o);
    const mm = f32x4.add(f32x4.mul(b1, v128.load(m + o)), f32x4.mul(c1, g));
    const vv = f32x4.add(f32x4.mul(b2, v128.load(v + o)), f32x4.mul(c2, f32x4.mul(g, g)));
    const u = f32x4.add(f32x4.div(mm, f32x4.add(f32x4.sqrt(vv), epsv)), f32x4.mul(wdv, p));
    v128.store(m + o, mm);
    v128.store(v + o, vv);
    v128.store(param + o, f32x4.sub(p, f32x4.mul(lrv, u)));
  }
  for (; o < e; o += 4) {
    const g = gScale * load<f32>(grad + o);
    const p = load<f32>(param + o);
    const mm = beta1 * load<f32>(m + o) + (1 - beta1) * g;
    const vv = beta2 * load<f32>(v + o) + (1 - beta2) * g * g;
    store<f32>(m + o, mm);
    store<f32>(v + o, vv);
    store<f32>(param + o, p - lr * (mm / (Mathf.sqrt(vv) + eps) + wd * p));
  }
}
