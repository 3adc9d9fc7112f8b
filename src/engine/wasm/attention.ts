// Multi-head self-attention core (modeling.attention_layer after the Q/K/V dense layers), one
// (batch, head) pair at a time; the pool splits the B·NH pairs over threads. Legend: q, k, v, ctx
// and their gradients (B,T,C) with head h in channels [h·HS, (h+1)·HS), so a head's rows are C
// floats apart; probs, dropMask (B,NH,T,T); maskBias (B,T). `scratch` is the thread's own memory:
// PACK_FLOATS floats of matmul packing, then 2·T·T floats of attention work space.
import { gemm, PACK_FLOATS } from './matmul';
import { rowMax, rowExp, rowScale } from './softmax';
import { dropoutForwardRange, mulRange } from './dropout';

/**
 * Pairs [start, end): probs = softmax(q·kᵀ/√HS + maskBias[b]); with dropout (p > 0) the
 * dropout mask of probs element i is drawn at index i of the whole (B,NH,T,T) tensor;
 * ctx = dropped probs · v.
 */
export function attentionForwardRange(
  ctx: usize,
  probs: usize,
  dropMask: usize,
  q: usize,
  k: usize,
  v: usize,
  maskBias: usize,
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
  const TT = T * T;
  const scale: f32 = 1 / Mathf.sqrt(<f32>HS);
  for (let pair = start; pair < end; pair++) {
    const b = pair / NH,
      h = pair % NH;
    const head = (<usize>(b * T * C + h * HS)) << 2;
    const P = probs + ((<usize>pair * TT) << 2);
    gemm(P, T, q + head, C, 1, k + head, 1, C, 0, HS, false, pack, 0, T, 0, T);
    const mb = maskBias + ((<usize>b * T) << 2);
    for (let i = 0; i < T; i++) {
      const row = P + ((<usize>i * T) << 2);
      const m = rowMax(row, mb, scale, T);
      rowScale(row, 1 / rowExp(row, row, mb, scale, m, T), T);
    }
    let A = P;
    if (dropout) {
      const M = dropMask + ((<usize>pair * TT) << 2);
      dropoutForwardRange(work, M, P, threshold, keepScale, seed, pair * TT, 0, TT);
      A = work;
    }
    gemm(ctx + head, C, A, T, 1, v + head, C, 1, 0, T, false, pack, 0, T, 0, HS);
  }
}

/** dS = P ⊙ (dP − Σ_j P·dP) · scale, row by row, in place in dP. */
function softmaxBackward(dP: usize, P: usize, T: i32, scale: f32): void {
  const e = (<usize>T) << 2;
  const sv = f32x4.splat(scale);
  for (let i = 0; i < T; i++) {
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
  const TT = T * T;
  const scale: f32 = 1 / Mathf.sqrt(<f32>HS);
  const dP = work,
    dropped = work + ((<usize>TT) << 2);
  for (let pair = start; pair < end; pair++) {
    const b = pair / NH,
      h = pair % NH;
    const head = (<usize>(b * T * C + h * HS)) << 2;
    const P = probs + ((<usize>pair * TT) << 2);
    // dDropped = dCtx·vᵀ (T,T)
    gemm(dP, T, dCtx + head, C, 1, v + head, 1, C, 0, HS, false, pack, 0, T, 0, T);
    let A = P;
    if (dropout) {
      const M = dropMask + ((<usize>pair * TT) << 2);
      mulRange(dropped, P, M, 0, TT);
      mulRange(dP, dP, M, 0, TT);
      A = dropped;
    }
    gemm(dv + head, C, A, 1, T, dCtx + head, C, 1, 0, T, true, pack, 0, T, 0, HS); // dv += droppedᵀ·dCtx
    softmaxBackward(dP, P, T, scale);
    gemm(dq + head, C, dP, T, 1, k + head, C, 1, 0, T, true, pack, 0, T, 0, HS); // dq += dS·k
    gemm(dk + head, C, dP, 1, T, q + head, C, 1, 0, T, true, pack, 0, T, 0, HS); // dk += dSᵀ·q
  }
}
