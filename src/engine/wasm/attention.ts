// Multi-head attention core (modeling.attention_layer after the Q/K/V dense layers), one
// (batch, head) pair at a time; the pool splits the B·NH pairs over threads. The first Tq tokens
// of each sequence are the queries, all T the keys (Tq = T: self-attention). Legend: q, ctx and
// their gradients (B,Tq,C), k, v and theirs (B,T,C), head h in channels [h·HS, (h+1)·HS), so a
// head's rows are C floats apart; probs, dropMask (B,NH,Tq,T); maskBias (B,T). `scratch` is the
// thread's own memory: PACK_FLOATS floats of matmul packing, then 2·Tq·T floats of work space.
import { gemm, PACK_FLOATS } from './matmul';
import { rowMax, rowExp, rowScale } from './softmax';
import { dropoutForwardRange, mulRange } from './dropout';

/**
 * Pairs [start, end): probs = softmax(q·kᵀ/√HS + maskBias[b]); with dropout (p > 0) the
 * dropout mask of probs row i, key j is drawn at its index (pair·T + i)·T + j in the full
 * (B,NH,T,T) tensor; ctx = dropped probs · v.
 */
export function attentionForwardRange(
  ctx: usize,
  probs: usize,
  dropMask: usize,
  q: usize,
  k: usize,
  v: usize,
  maskBias: usize,
  Tq: i32,
  T: i32,
  NH: i32,
  HS: i32,
  dropout: bool,
  threshold: u32,
  keepScale: f32,
  seed: u32,
  start: i32,
  end: i32,
  scratch: usize,
): void {
  const pack = scratch,
    work = scratch + ((<usize>PACK_FLOATS) << 2);
  const C = NH * HS;
  const QT = Tq * T;
  const scale: f32 = 1 / Mathf.sqrt(<f32>HS);
  for (let pair = start; pair < end; pair++) {
    const b = pair / NH,
      h = pair % NH;
    const qHead = (<usize>(b * Tq * C + h * HS)) << 2;
    const kvHead = (<usize>(b * T * C + h * HS)) << 2;
    const P = probs + ((<usize>pair * QT) << 2);
    gemm(P, T, q + qHead, C, 1, k + kvHead, 1, C, 0, HS, false, pack, 0, Tq, 0, T);
    const mb = maskBias + ((<usize>b * T) << 2);
    for (let i = 0; i < Tq; i++) {
      const row = P + ((<usize>i * T) << 2);
      const m = rowMax(row, mb, scale, T);
      rowScale(row, 1 / rowExp(row, row, mb, scale, m, T), T);
    }
    let A = P;
    if (dropout) {
      // the first Tq rows of the pair's T×T block, contiguous in the full layout
      const M = dropMask + ((<usize>pair * QT) << 2);
      dropoutForwardRange(work, M, P, threshold, keepScale, seed, pair * T * T, 0, QT);
      A = work;
    }
    gemm(ctx + qHead, C, A, T, 1, v + kvHead, C, 1, 0, T, false, pack, 0, Tq, 0, HS);
  }
}

/** dS = P ⊙ (dP − Σ_j P·dP) · scale over `rows` rows of T, in place in dP. */
function softmaxBackward(dP: usize, P: usize, rows: i32, T: i32, scale: f32): void {
  const e = (<usize>T) << 2;
  const sv = f32x4.splat(scale);
  for (let i = 0; i < rows; i++) {
    const d = dP + <usize>i * e,
      p = P + <usize>i * e;
    let acc = f32x4.splat(0);
    let o: usize = 0;
    for (; o + 16 <= e; o += 16)
      acc = f32x4.add(acc, f32x4.mul(v128.load(d + o), v128.load(p + o)));
    let dot =
      f32x4.extract_lane(acc, 0) +
      f32x4.extract_lane(acc, 1) +
      f32x4.extract_lane(acc, 2) +
      f32x4.extract_lane(acc, 3);
    for (; o < e; o += 4) dot += load<f32>(d + o) * load<f32>(p + o);
    const dv = f32x4.splat(dot);
    for (o = 0; o + 16 <= e; o += 16) {
      v128.store(
        d + o,
        f32x4.mul(f32x4.mul(v128.load(p + o), f32x4.sub(v128.load(d + o), dv)), sv),
      );
    }
    for (; o < e; o += 4) store<f32>(d + o, load<f32>(p + o) * (load<f32>(d + o) - dot) * scale);
  }
}

/** Pairs [start, end): dq, dk, dv += … from dCtx, the saved probs (before dropout) and dropMask. */
export function attentionBackwardRange(
  dq: usize,
  dk: usize,
  dv: usize,
  dCtx: usize,
  probs: usize,
  dropMask: usize,
  q: usize,
  k: usize,
  v: usize,
  Tq: i32,
  T: i32,
  NH: i32,
  HS: i32,
  dropout: bool,
  start: i32,
  end: i32,
  scratch: usize,
): void {
  const pack = scratch,
    work = scratch + ((<usize>PACK_FLOATS) << 2);
  const C = NH * HS;
  const QT = Tq * T;
  const scale: f32 = 1 / Mathf.sqrt(<f32>HS);
  const dP = work,
    dropped = work + ((<usize>QT) << 2);
  for (let pair = start; pair < end; pair++) {
    const b = pair / NH,
      h = pair % NH;
    const qHead = (<usize>(b * Tq * C + h * HS)) << 2;
    const kvHead = (<usize>(b * T * C + h * HS)) << 2;
    const P = probs + ((<usize>pair * QT) << 2);
    // dDropped = dCtx·vᵀ (Tq,T)
    gemm(dP, T, dCtx + qHead, C, 1, v + kvHead, 1, C, 0, HS, false, pack, 0, Tq, 0, T);
    let A = P;
    if (dropout) {
      const M = dropMask + ((<usize>pair * QT) << 2);
      mulRange(dropped, P, M, 0, QT);
      mulRange(dP, dP, M, 0, QT);
      A = dropped;
    }
    gemm(dv + kvHead, C, A, 1, T, dCtx + qHead, C, 1, 0, Tq, true, pack, 0, T, 0, HS); // dv += droppedᵀ·dCtx
    softmaxBackward(dP, P, Tq, T, scale);
    gemm(dq + qHead, C, dP, T, 1, k + kvHead, C, 1, 0, T, true, pack, 0, Tq, 0, HS); // dq += dS·k
    gemm(dk + kvHead, C, dP, 1, T, q + qHead, C, 1, 0, Tq, true, pack, 0, T, 0, HS); // dk += dSᵀ·q
  }
}
