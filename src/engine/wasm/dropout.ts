// Inverted dropout with a counter-based mask: element i is dropped when
// lowbias32(seed ^ i·0x9e3779b9) < threshold. This mirrors src/engine/dropout_hash.ts line for
// line (four lanes at a time), so the reference and wasm kernels draw the same mask bits for any
// thread count; test/engine/wasm_dropout.test.ts holds the two together.

function hash4(seed: v128, idx: v128): v128 {
  let x = v128.xor(seed, i32x4.mul(idx, i32x4.splat(0x9e3779b9)));
  x = v128.xor(x, i32x4.shr_u(x, 16));
  x = i32x4.mul(x, i32x4.splat(0x7feb352d));
  x = v128.xor(x, i32x4.shr_u(x, 15));
  x = i32x4.mul(x, i32x4.splat(<i32>0x846ca68b));
  return v128.xor(x, i32x4.shr_u(x, 16));
}

/**
 * mask[i] = (hash(seed, base + i) ≥ threshold) ? keepScale : 0 and out[i] = inp[i]·mask[i] on
 * [start, end). `base` offsets the hash index (the mask index of element 0 of these buffers).
 * out may be 0 to only write the mask.
 */
export function dropoutForwardRange(
  out: usize,
  mask: usize,
  inp: usize,
  threshold: u32,
  keepScale: f32,
  seed: u32,
  base: i32,
  start: i32,
  end: i32,
): void {
  const seedv = i32x4.splat(seed);
  const thr = i32x4.splat(threshold);
  const keep = f32x4.splat(keepScale);
  let idx = i32x4.add(i32x4.splat(base + start), i32x4(0, 1, 2, 3));
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const o = (<usize>i) << 2;
    const m = v128.and(i32x4.ge_u(hash4(seedv, idx), thr), keep);
    v128.store(mask + o, m);
    if (out) v128.store(out + o, f32x4.mul(v128.load(inp + o), m));
    idx = i32x4.add(idx, i32x4.splat(4));
  }
  for (; i < end; i++) {
    const o = (<usize>i) << 2;
    const h = i32x4.extract_lane(hash4(seedv, i32x4.splat(base + i)), 0);
    const m: f32 = <u32>h >= threshold ? keepScale : 0;
    store<f32>(mask + o, m);
    if (out) store<f32>(out + o, load<f32>(inp + o) * m);
  }
}

/** out = a·b on [start, end) (dropout applied with a saved mask; also dInp += dOut·mask below). */
export function mulRange(out: usize, a: usize, b: usize, start: i32, end: i32): void {
  let o = (<usize>start) << 2;
  const e = (<usize>end) << 2;
  for (; o + 16 <= e; o += 16) v128.store(out + o, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  for (; o < e; o += 4) store<f32>(out + o, load<f32>(a + o) * load<f32>(b + o));
}

/** dInp += dOut·mask on [start, end). */
export function dropoutBackwardRange(
  dInp: usize,
  dOut: usize,
  mask: usize,
  start: i32,
  end: i32,
): void {
  let o = (<usize>start) << 2;
  const e = (<usize>end) << 2;
  for (; o + 16 <= e; o += 16) {
    const g = f32x4.mul(v128.load(dOut + o), v128.load(mask + o));
    v128.store(dInp + o, f32x4.add(v128.load(dInp + o), g));
  }
  for (; o < e; o += 4)
    store<f32>(dInp + o, load<f32>(dInp + o) + load<f32>(dOut + o) * load<f32>(mask + o));
}
