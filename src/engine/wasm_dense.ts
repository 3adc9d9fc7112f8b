// The wasm kernels of dense layers, activations, element-wise work, dropout and AdamW
// (contract: kernels.ts). Each checks sizes, chooses a split and makes one pool call.
import type { Activation } from './kernels.js';
import { dropoutThreshold } from './dropout_hash.js';
import type { WasmContext } from './wasm_context.js';
import { activationCode, checkDropout, checkMatmul, checkRuns, sizes } from './kernel_checks.js';

type F = Float32Array;

/** Elements per float64 partial of sumSquares: fixed, so the sum does not depend on the threads. */
const SUM_CHUNK = 4096;

export function matmul(
  cx: WasmContext,
  out: F,
  a: F,
  b: F,
  bias: F | null,
  M: number,
  K: number,
  N: number,
  transA: boolean,
  transB: boolean,
  accumulate: boolean,
): void {
  checkMatmul(out, a, b, bias, M, K, N);
  // A row chunk packs all of op(B) and uses each packed float for its own rows only; a column
  // chunk packs all of op(A) for its columns. So split the longer side: for dW = Xᵀ·dY of the
  // intermediate layer (128 × 4096 · 4096 × 512) columns measured faster than rows.
  const byRows = M >= N;
  // Chunks of at least 32 rows or columns when K is long (dW = Xᵀ·dY, K = B·T): each packed float
  // then serves 32 of them, not 4 or 8 (fewer, larger chunks measured faster there).
  const grain = K >= 1024 ? 32 : byRows ? 4 : 8;
  const ranges = cx.split(byRows ? M : N, grain, M * N * K);
  const flags = [+transA, +transB, +accumulate, +byRows];
  const args = [cx.at(out), cx.at(a), cx.at(b), cx.at(bias), M, K, N, ...flags];
  cx.run('matmulRange', args, ranges);
}

export function biasBackward(cx: WasmContext, dBias: F, dOut: F, M: number, N: number): void {
  sizes('biasBackward', N, { dBias });
  sizes('biasBackward', M * N, { dOut });
  cx.run('biasBackwardRange', [cx.at(dBias), cx.at(dOut), M, N], cx.split(N, 16, M * N));
}

export function activationForward(cx: WasmContext, act: Activation, out: F, inp: F, n: number) {
  sizes('activationForward', n, { out, inp });
  const args = [activationCode(act), cx.at(out), cx.at(inp)];
  cx.run('activationForwardRange', args, cx.split(n, 16, 8 * n));
}

export function activationBackward(
  cx: WasmContext,
  act: Activation,
  dInp: F,
  inp: F,
  dOut: F,
  n: number,
): void {
  sizes('activationBackward', n, { dInp, inp, dOut });
  const args = [activationCode(act), cx.at(dInp), cx.at(inp), cx.at(dOut)];
  cx.run('activationBackwardRange', args, cx.split(n, 16, 8 * n));
}

export function add(cx: WasmContext, out: F, a: F, b: F, n: number): void {
  sizes('add', n, { out, a, b });
  cx.run('addRange', [cx.at(out), cx.at(a), cx.at(b)], cx.split(n, 16, n));
}

export function accumulate(cx: WasmContext, dst: F, src: F, n: number): void {
  sizes('accumulate', n, { dst, src });
  cx.run('accumulateRange', [cx.at(dst), cx.at(src)], cx.split(n, 16, n));
}

/** Chunks of whole cache lines over the threads: two threads store at twice one's rate. */
export function zero(cx: WasmContext, x: F, n: number): void {
  sizes('zero', n, { x });
  cx.run('zeroRange', [cx.at(x)], cx.split(n, 16, n));
}

/** Float64 partial sums per fixed chunk of SUM_CHUNK elements, added up in order. */
export function sumSquares(cx: WasmContext, x: F, n: number): number {
  sizes('sumSquares', n, { x });
  const chunks = Math.ceil(n / SUM_CHUNK);
  const partials = cx.reductionBuffer(chunks);
  cx.run('sumSquaresChunks', [cx.at(partials), cx.at(x), n, SUM_CHUNK], cx.split(chunks, 1, n));
  let sum = 0;
  for (let c = 0; c < chunks; c++) sum += partials[c]!;
  return sum;
}

export function dropoutForward(
  cx: WasmContext,
  out: F,
  mask: F,
  inp: F,
  p: number,
  seed: number,
  n: number,
): void {
  sizes('dropoutForward', n, { out, mask, inp });
  checkDropout(p);
  if (p === 0) {
    mask.fill(1, 0, n);
    out.set(inp.subarray(0, n));
    return;
  }
  const keepScale = Math.fround(1 / (1 - p));
  const args = [cx.at(out), cx.at(mask), cx.at(inp), dropoutThreshold(p), keepScale, seed >>> 0];
  cx.run('dropoutForwardRange', [...args, 0], cx.split(n, 16, 4 * n));
}

export function dropoutBackward(cx: WasmContext, dInp: F, dOut: F, mask: F, n: number): void {
  sizes('dropoutBackward', n, { dInp, dOut, mask });
  const args = [cx.at(dInp), cx.at(dOut), cx.at(mask)];
  cx.run('dropoutBackwardRange', args, cx.split(n, 16, n));
}

export function adamWeightDecay(
  cx: WasmContext,
  param: F,
  grad: F,
  m: F,
  v: F,
  n: number,
  decayRuns: Int32Array,
  lr: number,
  beta1: number,
  beta2: number,
  eps: number,
  wd: number,
  gradScale: number,
): void {
  sizes('adamWeightDecay', n, { param, grad, m, v });
  checkRuns(decayRuns, n);
  const runs = [cx.at(decayRuns), decayRuns.length / 2];
  const args = [cx.at(param), cx.at(grad), cx.at(m), cx.at(v), ...runs];
  cx.run('adamRange', [...args, lr, beta1, beta2, eps, wd, gradScale], cx.split(n, 16, 8 * n));
}
