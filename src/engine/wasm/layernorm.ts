// LayerNorm over the last axis (modeling.layer_norm: tf.contrib.layers.layer_norm, epsilon 1e-12,
// biased variance). inp/out/dOut/dInp (R,C); gamma/beta/dGamma/dBeta (C); mean/rstd (R).
// Forward and dInp split rows; dGamma/dBeta are column sums over all rows, split by columns so that
// no two threads write one element and the sums do not depend on the thread count.

const EPS: f32 = 1e-12;

function hsum(v: v128): f32 {
  return (
    f32x4.extract_lane(v, 0) +
    f32x4.extract_lane(v, 1) +
    f32x4.extract_lane(v, 2) +
    f32x4.extract_lane(v, 3)
  );
}

/** Σ row[0..C) (float32, four lanes then a scalar tail). */
function rowSum(row: usize, C: i32): f32 {
  const e = (<usize>C) << 2;
  let acc = f32x4.splat(0);
  let o: usize = 0;
  for (; o + 16 <= e; o += 16) acc = f32x4.add(acc, v128.load(row + o));
  let s = hsum(acc);
  for (; o < e; o += 4) s += load<f32>(row + o);
  return s;
}

/** Σ (row − m)². */
function rowSqDev(row: usize, m: f32, C: i32): f32 {
  const e = (<usize>C) << 2;
  const mv = f32x4.splat(m);
  let acc = f32x4.splat(0);
  let o: usize = 0;
  for (; o + 16 <= e; o += 16) {
    const d = f32x4.sub(v128.load(row + o), mv);
    acc = f32x4.add(acc, f32x4.mul(d, d));
  }
  let s = hsum(acc);
  for (; o < e; o += 4) {
    const d = load<f32>(row + o) - m;
    s += d * d;
  }
  return s;
}

/** Rows [start, end): out = (inp − mean)·rstd·gamma + beta; writes mean, rstd. */
export function layernormForwardRange(
  out: usize,
  mean: usize,
  rstd: usize,
  inp: usize,
  gamma: usize,
  beta: usize,
  C: i32,
  start: i32,
  end: i32,
): void {
  const e = (<usize>C) << 2;
  for (let r = start; r < end; r++) {
    const x = inp + <usize>r * e;
    const y = out + <usize>r * e;
    const m = rowSum(x, C) / <f32>C;
    const s: f32 = 1 / Mathf.sqrt(rowSqDev(x, m, C) / <f32>C + EPS);
    store<f32>(mean + ((<usize>r) << 2), m);
    store<f32>(rstd + ((<usize>r) << 2), s);
    const mv = f32x4.splat(m),
      sv = f32x4.splat(s);
    let o: usize = 0;
    for (; o + 16 <= e; o += 16) {
      const n = f32x4.mul(f32x4.sub(v128.load(x + o), mv), sv);
      v128.store(y + o, f32x4.add(f32x4.mul(n, v128.load(gamma + o)), v128.load(beta + o)));
    }
    for (; o < e; o += 4)
      store<f32>(y + o, (load<f32>(x + o) - m) * s * load<f32>(gamma + o) + load<f32>(beta + o));
  }
}

/**
 * Rows [start, end): dInp += rstd·(g − mean(g) − n·mean(g·n)) with n = (x − mean)·rstd and
 * g = dOut·gamma.
 */
export function layernormBackwardRows(
  dInp: usize,
  dOut: usize,
  inp: usize,
  mean: usize,
  rstd: usize,
  gamma: usize,
  C: i32,
  start: i32,
  end: i32,
): void {
  const e = (<usize>C) << 2;
  for (let r = start; r < end; r++) {
    const off = <usize>r * e;
    const m = load<f32>(mean + ((<usize>r) << 2)),
      s = load<f32>(rstd + ((<usize>r) << 2));
    const mv = f32x4.splat(m),
      sv = f32x4.splat(s);
    let ag = f32x4.splat(0),
      agn = f32x4.splat(0);
    let o: usize = 0;
    for (; o + 16 <= e; o += 16) {
      const g = f32x4.mul(v128.load(dOut + off + o), v128.load(gamma + o));
      const n = f32x4.mul(f32x4.sub(v128.load(inp + off + o), mv), sv);
      ag = f32x4.add(ag, g);
      agn = f32x4.add(agn, f32x4.mul(g, n));
    }
    let sg = hsum(ag),
      sgn = hsum(agn);
    for (let t = o; t < e; t += 4) {
      const g = load<f32>(dOut + off + t) * load<f32>(gamma + t);
      sg += g;
      sgn += g * (load<f32>(inp + off + t) - m) * s;
    }
    const gm = sg / <f32>C,
      gnm = sgn / <f32>C;
    const gmv = f32x4.splat(gm),
      gnmv = f32x4.splat(gnm);
    for (o = 0; o + 16 <= e; o += 16) {
      const g = f32x4.mul(v128.load(dOut + off + o), v128.load(gamma + o));
      const n = f32x4.mul(f32x4.sub(v128.load(inp + off + o), mv), sv);
      const d = f32x4.mul(sv, f32x4.sub(f32x4.sub(g, gmv), f32x4.mul(n, gnmv)));
      v128.store(dInp + off + o, f32x4.add(v128.load(dInp + off + o), d));
    }
    for (; o < e; o += 4) {
      const g = load<f32>(dOut + off + o) * load<f32>(gamma + o);
      const n = (load<f32>(inp + off + o) - m) * s;
      store<f32>(dInp + off + o, load<f32>(dInp + off + o) + s * (g - gm - n * gnm));
    }
  }
}

/** Columns [start, end): dGamma += Σ_r dOut·n, dBeta += Σ_r dOut, four columns at a time. */
export function layernormBackwardCols(
  dGamma: usize,
  dBeta: usize,
  dOut: usize,
  inp: usize,
  mean: usize,
  rstd: usize,
  R: i32,
  C: i32,
  start: i32,
  end: i32,
): void {
  const row4 = (<usize>C) << 2;
  let j = start;
  for (; j + 4 <= end; j += 4) {
    const o = (<usize>j) << 2;
    let dg = f32x4.splat(0),
      db = f32x4.splat(0);
    for (let r = 0; r < R; r++) {
      const off = <usize>r * row4 + o;
      const m = v128.load32_splat(mean + ((<usize>r) << 2)),
        s = v128.load32_splat(rstd + ((<usize>r) << 2));
      const d = v128.load(dOut + off);
      dg = f32x4.add(dg, f32x4.mul(d, f32x4.mul(f32x4.sub(v128.load(inp + off), m), s)));
      db = f32x4.add(db, d);
    }
    v128.store(dGamma + o, f32x4.add(v128.load(dGamma + o), dg));
    v128.store(dBeta + o, f32x4.add(v128.load(dBeta + o), db));
  }
  for (; j < end; j++) {
    const o = (<usize>j) << 2;
    let dg: f32 = 0,
      db: f32 = 0;
    for (let r = 0; r < R; r++) {
      const off = <usize>r * row4 + o;
      const d = load<f32>(dOut + off);
      dg +=
        d *
        (load<f32>(inp + off) - load<f32>(mean + ((<usize>r) << 2))) *
        load<f32>(rstd + ((<usize>r) << 2));
      db += d;
    }
    store<f32>(dGamma + o, load<f32>(dGamma + o) + dg);
    store<f32>(dBeta + o, load<f32>(dBeta + o) + db);
  }
}
