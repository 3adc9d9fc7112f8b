// Row softmax pieces shared by attention and cross-entropy: x_j = src_j·scale + bias_j (bias may be
// 0 for none), then e^(x_j − max x) normalised. Rows of n float32 elements.
import { exp4, exp1 } from './math';

/** max_j (src_j·scale + bias_j). */
export function rowMax(src: usize, bias: usize, scale: f32, n: i32): f32 {
  const e = (<usize>n) << 2;
  const sv = f32x4.splat(scale);
  let mv = f32x4.splat(-Infinity);
  let o: usize = 0;
  for (; o + 16 <= e; o += 16) {
    let x = f32x4.mul(v128.load(src + o), sv);
    if (bias) x = f32x4.add(x, v128.load(bias + o));
    mv = f32x4.max(mv, x);
  }
  let m = max(
    max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)),
    max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)),
  );
  for (; o < e; o += 4) m = max(m, load<f32>(src + o) * scale + (bias ? load<f32>(bias + o) : 0));
  return m;
}

/** dst_j = e^(src_j·scale + bias_j − m); returns Σ_j dst_j. dst may equal src. */
export function rowExp(dst: usize, src: usize, bias: usize, scale: f32, m: f32, n: i32): f32 {
  const e = (<usize>n) << 2;
  const sv = f32x4.splat(scale),
    mv = f32x4.splat(m);
  let acc = f32x4.splat(0);
  let o: usize = 0;
  for (; o + 16 <= e; o += 16) {
    let x = f32x4.mul(v128.load(src + o), sv);
    if (bias) x = f32x4.add(x, v128.load(bias + o));
    const y = exp4(f32x4.sub(x, mv));
    v128.store(dst + o, y);
    acc = f32x4.add(acc, y);
  }
  let s =
    f32x4.extract_lane(acc, 0) +
    f32x4.extract_lane(acc, 1) +
    f32x4.extract_lane(acc, 2) +
    f32x4.extract_lane(acc, 3);
  for (; o < e; o += 4) {
    const y = exp1(load<f32>(src + o) * scale + (bias ? load<f32>(bias + o) : 0) - m);
    store<f32>(dst + o, y);
    s += y;
  }
  return s;
}

/** row_j *= s. */
export function rowScale(row: usize, s: f32, n: i32): void {
  const e = (<usize>n) << 2;
  const sv = f32x4.splat(s);
  let o: usize = 0;
  for (; o + 16 <= e; o += 16) v128.store(row + o, f32x4.mul(v128.load(row + o), sv));
  for (; o < e; o += 4) store<f32>(row + o, load<f32>(row + o) * s);
}
