// The matrix product C(M,N) = op(A)(M,K)·op(B)(K,N) (+ bias) (+ C), float32, WebAssembly SIMD.
// Every operand is addressed through element strides, so one routine serves the dense layers
// (X·W, dY·Wᵀ, Xᵀ·dY) and the per-head attention products whose rows are C apart in (B,T,C):
//   op(A)[i,k] at a + 4·(i·ars + k·aks),  op(B)[k,j] at b + 4·(k·bks + j·bns),  C[i,j] at c + 4·(i·ldc + j).
// Blocking (Goto's scheme): for each block of KC rows of op(B) and NC of its columns, op(B) is
// packed into panels of 8 columns (KC×8 contiguous floats, zero padded past N), and each 4-row
// strip of op(A) into KC groups of 4 floats, so the 4×8 micro-kernel reads both sequentially with
// constant offsets: per k two aligned B loads and four v128.load32_splat broadcasts of A. It keeps
// the 4×8 tile in eight f32x4 accumulators (16 multiply-adds). Packing A even when its rows are
// contiguous measured 5–10 % faster than reading it in place (fewer address computations), and
// much faster for a transposed A, whose k-th and (k+1)-th elements lie a row of A apart.

import { madd } from './math';

/**
 * Rows of op(B) per packed block: a KC×8 panel is 16 KB, a 4×KC strip of A 8 KB (both in L1).
 * 512 rather than 256: the K = 512 products (FFN out) then load and store C once, not twice
 * (+1.5–2 % measured on them, the others unchanged).
 */
export const KC: i32 = 512;
/** Columns of op(B) per packed block: KC×NC floats = 512 KB (in L2, 1 MB on this EPYC). */
export const NC: i32 = 256;
/** Floats of packing scratch a thread needs: the op(B) block, then one 4×KC strip of A. */
export const PACK_FLOATS: i32 = KC * NC + 4 * KC;

/**
 * Four k of a transposed panel: rows r..r+3 of the stored B (4 consecutive k each, `cs` bytes
 * apart) become 4 groups of 4 columns at d, d+32, d+64, d+96 — a 4×4 transpose in shuffles
 * (unpcklps/unpckhps/movlhps/movhlps), instead of 16 scalar loads and stores.
 */
function transpose4(d: usize, src: usize, cs: usize): void {
  const r0 = v128.load(src),
    r1 = v128.load(src + cs),
    r2 = v128.load(src + 2 * cs),
    r3 = v128.load(src + 3 * cs);
  const lo01 = i32x4.shuffle(r0, r1, 0, 4, 1, 5),
    lo23 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const hi01 = i32x4.shuffle(r0, r1, 2, 6, 3, 7),
    hi23 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(d, i32x4.shuffle(lo01, lo23, 0, 1, 4, 5));
  v128.store(d, i32x4.shuffle(lo01, lo23, 2, 3, 6, 7), 32);
  v128.store(d, i32x4.shuffle(hi01, hi23, 0, 1, 4, 5), 64);
  v128.store(d, i32x4.shuffle(hi01, hi23, 2, 3, 6, 7), 96);
}

/** Packs op(B)[k0..k0+kc, j0..j0+nc] into ⌈nc/8⌉ panels of kc×8 floats at dst. */
function packB(dst: usize, b: usize, bks: i32, bns: i32, k0: i32, kc: i32, j0: i32, nc: i32): void {
  for (let jp = 0; jp < nc; jp += 8) {
    const w = min(8, nc - jp);
    let d = dst + ((<usize>jp * kc) << 2);
    let src = b + ((<usize>k0 * bks + <usize>(j0 + jp) * bns) << 2);
    const step = (<usize>bks) << 2;
    const cs = (<usize>bns) << 2;
    let k = 0;
    if (bns == 1 && w == 8) {
      for (; k < kc; k++, d += 32, src += step) {
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
      }
    } else if (bks == 1 && w == 8) {
      // op(B) = Bᵀ: the panel's 8 columns are 8 rows of the stored B, each contiguous in k.
      for (; k + 4 <= kc; k += 4, d += 128, src += 16) {
        transpose4(d, src, cs);
        transpose4(d + 16, src + 4 * cs, cs);
      }
    }
    for (; k < kc; k++, d += 32, src += step) {
      for (let c = 0; c < 8; c++)
        store<f32>(d + ((<usize>c) << 2), c < w ? load<f32>(src + <usize>c * cs) : 0);
    }
  }
}

/**
 * Four k of a row-major A strip: rows r..r+3 (4 consecutive k each, `rs` bytes apart) become the
 * 4 groups of 4 rows at d, d+16, d+32, d+48 (the 4×4 transpose of transpose4, groups 16 bytes apart).
 */
function transposeA4(d: usize, src: usize, rs: usize): void {
  const r0 = v128.load(src),
    r1 = v128.load(src + rs),
    r2 = v128.load(src + 2 * rs),
    r3 = v128.load(src + 3 * rs);
  const lo01 = i32x4.shuffle(r0, r1, 0, 4, 1, 5),
    lo23 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const hi01 = i32x4.shuffle(r0, r1, 2, 6, 3, 7),
    hi23 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(d, i32x4.shuffle(lo01, lo23, 0, 1, 4, 5));
  v128.store(d, i32x4.shuffle(lo01, lo23, 2, 3, 6, 7), 16);
  v128.store(d, i32x4.shuffle(hi01, hi23, 0, 1, 4, 5), 32);
  v128.store(d, i32x4.shuffle(hi01, hi23, 2, 3, 6, 7), 48);
}

/** Copies the 4×kc strip of op(A) at pa (row step ars4, k step aks4 bytes) to dst as kc groups of 4. */
function packA(dst: usize, pa: usize, ars4: usize, aks4: usize, kc: i32): void {
  const end = dst + ((<usize>kc) << 4);
  if (ars4 == 4) {
    for (; dst < end; dst += 16, pa += aks4) v128.store(dst, v128.load(pa));
    return;
  }
  if (aks4 == 4) {
    // A row-major (X·W, dY·Wᵀ): 4 k of the 4 rows at a time, with shuffles.
    for (; dst + 64 <= end; dst += 64, pa += 16) transposeA4(dst, pa, ars4);
  }
  for (; dst < end; dst += 16, pa += aks4) {
    store<f32>(dst, load<f32>(pa));
    store<f32>(dst, load<f32>(pa + ars4), 4);
    store<f32>(dst, load<f32>(pa + 2 * ars4), 8);
    store<f32>(dst, load<f32>(pa + 3 * ars4), 12);
  }
}

/** Lanes [0, n) of v to p (n ≤ 4). */
function storeLanes(p: usize, v: v128, n: i32): void {
  if (n >= 4) {
    v128.store(p, v);
    return;
  }
  if (n > 0) store<f32>(p, f32x4.extract_lane(v, 0));
  if (n > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (n > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

/** Lanes [0, n) from p, zeros after (n ≤ 4). */
function loadLanes(p: usize, n: i32): v128 {
  if (n >= 4) return v128.load(p);
  let v = f32x4.splat(0);
  if (n > 0) v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (n > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (n > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

/** Adds the optional bias and old C to a row's two accumulators and stores `cols` of them. */
function finishRow(cp: usize, lo: v128, hi: v128, bias: usize, loadC: bool, cols: i32): void {
  const n0 = min(cols, 4);
  const n1 = cols - n0;
  if (bias) {
    lo = f32x4.add(lo, loadLanes(bias, n0));
    hi = f32x4.add(hi, loadLanes(bias + 16, n1));
  }
  if (loadC) {
    lo = f32x4.add(lo, loadLanes(cp, n0));
    hi = f32x4.add(hi, loadLanes(cp + 16, n1));
  }
  storeLanes(cp, lo, n0);
  storeLanes(cp + 16, hi, n1);
}

/** C[4 rows, cols ≤ 8] (+)= A strip (4×kc at pa, row step ars4, k step aks4 bytes) · panel pb. */
function kernel4x8(
  cp: usize,
  ldc4: usize,
  pa: usize,
  pb: usize,
  kc: i32,
  bias: usize,
  loadC: bool,
  cols: i32,
): void {
  let c00 = f32x4.splat(0),
    c01 = f32x4.splat(0),
    c10 = f32x4.splat(0),
    c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0),
    c21 = f32x4.splat(0),
    c30 = f32x4.splat(0),
    c31 = f32x4.splat(0);
  const end = pb + ((<usize>kc) << 5);
  for (let p = pb, q = pa; p < end; p += 32, q += 16) {
    const b0 = v128.load(p);
    const b1 = v128.load(p, 16);
    let x = v128.load32_splat(q);
    c00 = madd(x, b0, c00);
    c01 = madd(x, b1, c01);
    x = v128.load32_splat(q, 4);
    c10 = madd(x, b0, c10);
    c11 = madd(x, b1, c11);
    x = v128.load32_splat(q, 8);
    c20 = madd(x, b0, c20);
    c21 = madd(x, b1, c21);
    x = v128.load32_splat(q, 12);
    c30 = madd(x, b0, c30);
    c31 = madd(x, b1, c31);
  }
  finishRow(cp, c00, c01, bias, loadC, cols);
  finishRow(cp + ldc4, c10, c11, bias, loadC, cols);
  finishRow(cp + 2 * ldc4, c20, c21, bias, loadC, cols);
  finishRow(cp + 3 * ldc4, c30, c31, bias, loadC, cols);
}

/** One row of C against a panel: the M % 4 leftover rows. */
function kernel1x8(
  cp: usize,
  pa: usize,
  aks4: usize,
  pb: usize,
  kc: i32,
  bias: usize,
  loadC: bool,
  cols: i32,
): void {
  let c0 = f32x4.splat(0),
    c1 = f32x4.splat(0);
  let ka: usize = 0;
  const end = pb + ((<usize>kc) << 5);
  for (let p = pb; p < end; p += 32, ka += aks4) {
    const x = v128.load32_splat(pa + ka);
    c0 = madd(x, v128.load(p), c0);
    c1 = madd(x, v128.load(p, 16), c1);
  }
  finishRow(cp, c0, c1, bias, loadC, cols);
}

/** C rows [i0,i1) × columns [j0,j1) when K = 0: bias (+ C). */
function emptyProduct(
  c: usize,
  ldc: i32,
  bias: usize,
  accumulate: bool,
  i0: i32,
  i1: i32,
  j0: i32,
  j1: i32,
): void {
  for (let i = i0; i < i1; i++) {
    for (let j = j0; j < j1; j++) {
      const p = c + ((<usize>i * ldc + j) << 2);
      const v: f32 =
        (accumulate ? load<f32>(p) : 0) + (bias ? load<f32>(bias + ((<usize>j) << 2)) : 0);
      store<f32>(p, v);
    }
  }
}

/**
 * C[i0..i1, j0..j1] = op(A)·op(B) (+ bias) (+ C when accumulate) over the full K.
 * `pack` is this thread's scratch of PACK_FLOATS floats. bias is 0 for none.
 */
export function gemm(
  c: usize,
  ldc: i32,
  a: usize,
  ars: i32,
  aks: i32,
  b: usize,
  bks: i32,
  bns: i32,
  bias: usize,
  K: i32,
  accumulate: bool,
  pack: usize,
  i0: i32,
  i1: i32,
  j0: i32,
  j1: i32,
): void {
  if (K == 0) {
    emptyProduct(c, ldc, bias, accumulate, i0, i1, j0, j1);
    return;
  }
  const ars4 = (<usize>ars) << 2,
    aks4 = (<usize>aks) << 2,
    ldc4 = (<usize>ldc) << 2;
  const apack = pack + ((<usize>(KC * NC)) << 2);
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    const loadC = accumulate || k0 > 0;
    for (let jb = j0; jb < j1; jb += NC) {
      const nc = min(NC, j1 - jb);
      packB(pack, b, bks, bns, k0, kc, jb, nc);
      const biasB: usize = bias && k0 == 0 ? bias + ((<usize>jb) << 2) : 0;
      let i = i0;
      for (; i + 4 <= i1; i += 4) {
        packA(apack, a + ars4 * i + aks4 * k0, ars4, aks4, kc);
        const crow = c + ldc4 * i + ((<usize>jb) << 2);
        for (let jp = 0; jp < nc; jp += 8) {
          const pb = pack + ((<usize>jp * kc) << 2);
          const bj: usize = biasB ? biasB + ((<usize>jp) << 2) : 0;
          const cols = min(8, nc - jp);
          kernel4x8(crow + ((<usize>jp) << 2), ldc4, apack, pb, kc, bj, loadC, cols);
        }
      }
      for (; i < i1; i++) {
        const pa = a + ars4 * i + aks4 * k0;
        const crow = c + ldc4 * i + ((<usize>jb) << 2);
        for (let jp = 0; jp < nc; jp += 8) {
          const pb = pack + ((<usize>jp * kc) << 2);
          const bj: usize = biasB ? biasB + ((<usize>jp) << 2) : 0;
          kernel1x8(crow + ((<usize>jp) << 2), pa, aks4, pb, kc, bj, loadC, min(8, nc - jp));
        }
      }
    }
  }
}

/**
 * The pool's entry for Kernels.matmul: rows [start,end) of C when byRows, else columns.
 * Plain row-major operands (the strides follow from M, K, N and the transposes); `pack` is the
 * thread's scratch (PACK_FLOATS floats).
 */
export function matmulRange(
  c: usize,
  a: usize,
  b: usize,
  bias: usize,
  M: i32,
  K: i32,
  N: i32,
  transA: bool,
  transB: bool,
  accumulate: bool,
  byRows: bool,
  start: i32,
  end: i32,
  pack: usize,
): void {
  const ars = transA ? 1 : K,
    aks = transA ? M : 1;
  const bks = transB ? 1 : N,
    bns = transB ? K : 1;
  if (byRows) gemm(c, N, a, ars, aks, b, bks, bns, bias, K, accumulate, pack, start, end, 0, N);
  else gemm(c, N, a, ars, aks, b, bks, bns, bias, K, accumulate, pack, 0, M, start, end);
}

/**
 * dBias[j] += Σ_i dOut[i,j] for columns [start, end) over all M rows (a column split: no races,
 * and the sums do not depend on the thread count). Sixteen columns at a time use whole cache lines.
 */
export function biasBackwardRange(
  dBias: usize,
  dOut: usize,
  M: i32,
  N: i32,
  start: i32,
  end: i32,
): void {
  const row4 = (<usize>N) << 2;
  let j = start;
  for (; j + 16 <= end; j += 16) {
    let a0 = f32x4.splat(0),
      a1 = f32x4.splat(0),
      a2 = f32x4.splat(0),
      a3 = f32x4.splat(0);
    let p = dOut + ((<usize>j) << 2);
    for (let i = 0; i < M; i++, p += row4) {
      a0 = f32x4.add(a0, v128.load(p));
      a1 = f32x4.add(a1, v128.load(p, 16));
      a2 = f32x4.add(a2, v128.load(p, 32));
      a3 = f32x4.add(a3, v128.load(p, 48));
    }
    const d = dBias + ((<usize>j) << 2);
    v128.store(d, f32x4.add(v128.load(d), a0));
    v128.store(d, f32x4.add(v128.load(d, 16), a1), 16);
    v128.store(d, f32x4.add(v128.load(d, 32), a2), 32);
    v128.store(d, f32x4.add(v128.load(d, 48), a3), 48);
  }
  for (; j < end; j++) {
    let s: f32 = 0;
    let p = dOut + ((<usize>j) << 2);
    for (let i = 0; i < M; i++, p += row4) s += load<f32>(p);
    const d = dBias + ((<usize>j) << 2);
    store<f32>(d, load<f32>(d) + s);
  }
}
