// The native kernel set: the Kernels contract in C (src/engine/native/, a Node-API addon, AVX-512
// or AVX2 + FMA chosen at run time by the CPU's features) on the addon's own threads. Each kernel
// checks its arguments here (kernel_checks.ts: the C code trusts its sizes) and makes one addon
// call on the typed arrays in place. Buffers are ordinary Float32Arrays, 64-byte aligned so that
// rows of C and packed panels start on cache lines; any Float32Array works as an argument.
import type { Kernels } from './kernels.js';
import { dropoutThreshold } from './dropout_hash.js';
import { loadNativeAddon, type NativeAddon } from './native_addon.js';
import * as check from './kernel_checks.js';
import { BertError, ConfigError } from '../util/errors.js';

type F = Float32Array;

/**
 * The matrix product: 'auto' takes the best micro-kernel this CPU runs ('avx512', 'avx2', plain C
 * 'generic'); 'openblas' runs the dense products on the system OpenBLAS (found at run time).
 */
export type NativeIsa = 'auto' | 'avx512' | 'avx2' | 'generic' | 'openblas';

/** A zeroed Float32Array of n elements whose first element sits on a 64-byte boundary. */
function alignedF32(addon: NativeAddon, n: number): F {
  const raw = new Float32Array(n + 15);
  const skip = addon.misalignment(raw);
  return raw.subarray(skip, skip + n);
}

/** The native kernel set on `threads` threads; throws a BertError where the addon is missing. */
export async function createNativeKernels(
  threads: number,
  isa: NativeIsa = 'auto',
): Promise<Kernels<F>> {
  const addon = loadNativeAddon();
  if (typeof addon === 'string') throw new BertError(addon, "use backend 'wasm'");
  const s = addon.createSet(threads, isa);
  if (typeof s === 'string')
    throw new ConfigError(`native kernels (${isa}, ${threads} threads): ${s}`);
  return Promise.resolve(kernelSet(addon, s, threads));
}

function kernelSet(addon: NativeAddon, s: object, threads: number): Kernels<F> {
  let disposed = false;
  return {
    name: `native-${addon.isa(s)} x${threads}`,
    threads,
    alloc: (n) => alignedF32(addon, n),
    allocInt: (n) => new Int32Array(n),
    dispose: () => {
      if (!disposed) addon.destroySet(s);
      disposed = true;
      return Promise.resolve();
    },
    matmul: (out, a, b, bias, M, K, N, transA, transB, accumulate) => {
      check.checkMatmul(out, a, b, bias, M, K, N);
      addon.matmul(s, out, a, b, bias, M, K, N, +transA, +transB, +accumulate);
    },
    biasBackward: (dBias, dOut, M, N) => {
      check.sizes('biasBackward', N, { dBias });
      check.sizes('biasBackward', M * N, { dOut });
      addon.biasBackward(s, dBias, dOut, M, N);
    },
    activationForward: (act, out, inp, n) => {
      check.sizes('activationForward', n, { out, inp });
      addon.activationForward(s, check.activationCode(act), out, inp, n);
    },
    activationBackward: (act, dInp, inp, dOut, n) => {
      check.sizes('activationBackward', n, { dInp, inp, dOut });
      addon.activationBackward(s, check.activationCode(act), dInp, inp, dOut, n);
    },
    add: (out, a, b, n) => {
      check.sizes('add', n, { out, a, b });
      addon.add(s, out, a, b, n);
    },
    accumulate: (dst, src, n) => {
      check.sizes('accumulate', n, { dst, src });
      addon.add(s, dst, dst, src, n);
    },
    zero: (x, n) => {
      check.sizes('zero', n, { x });
      addon.zero(s, x, n);
    },
    sumSquares: (x, n) => {
      check.sizes('sumSquares', n, { x });
      return addon.sumSquares(s, x, n);
    },
    ...layerKernels(addon, s),
  };
}

/** The kernels of dropout, LayerNorm, embeddings, attention, cross-entropy and AdamW. */
function layerKernels(addon: NativeAddon, s: object) {
  return {
    dropoutForward: (out: F, mask: F, inp: F, p: number, seed: number, n: number) => {
      check.sizes('dropoutForward', n, { out, mask, inp });
      check.checkDropout(p);
      if (p === 0) {
        mask.fill(1, 0, n);
        out.set(inp.subarray(0, n));
        return;
      }
      const keep = Math.fround(1 / (1 - p));
      addon.dropoutForward(s, out, mask, inp, dropoutThreshold(p), keep, seed >>> 0, n);
    },
    dropoutBackward: (dInp: F, dOut: F, mask: F, n: number) => {
      check.sizes('dropoutBackward', n, { dInp, dOut, mask });
      addon.dropoutBackward(s, dInp, dOut, mask, n);
    },
    layernormForward: (...a: Parameters<Kernels<F>['layernormForward']>) => {
      check.checkLayernormForward(...a);
      addon.layernormForward(s, ...a);
    },
    layernormBackward: (...a: Parameters<Kernels<F>['layernormBackward']>) => {
      check.checkLayernormBackward(...a);
      addon.layernormBackward(s, ...a);
    },
    embeddingsForward: (...a: Parameters<Kernels<F>['embeddingsForward']>) => {
      check.checkEmbeddingsForward(...a);
      const [out, ids, typeIds, word, tokenType, pos, B, T, C] = a;
      addon.embeddingsForward(s, out, ids, typeIds, word, tokenType, pos, B, T, C);
    },
    embeddingsBackward: (...a: Parameters<Kernels<F>['embeddingsBackward']>) => {
      check.checkEmbeddingsBackward(...a);
      addon.embeddingsBackward(s, ...a);
    },
    ...attentionKernels(addon, s),
    crossEntropyForward: (
      losses: F,
      probs: F,
      logits: F,
      labels: Int32Array,
      R: number,
      N: number,
    ) => {
      check.checkCrossEntropy('crossEntropyForward', { losses }, { probs, logits }, labels, R, N);
      addon.crossEntropyForward(s, losses, probs, logits, labels, R, N);
    },
    crossEntropyBackward: (
      dLogits: F,
      dLoss: F,
      probs: F,
      labels: Int32Array,
      R: number,
      N: number,
    ) => {
      check.checkCrossEntropy('crossEntropyBackward', { dLoss }, { probs, dLogits }, labels, R, N);
      addon.crossEntropyBackward(s, dLogits, dLoss, probs, labels, R, N);
    },
    adamWeightDecay: (...a: Parameters<Kernels<F>['adamWeightDecay']>) => {
      const [param, grad, m, v, n, decayRuns] = a;
      check.sizes('adamWeightDecay', n, { param, grad, m, v });
      check.checkRuns(decayRuns, n);
      const [lr, beta1, beta2, eps, wd, gradScale] = a.slice(6) as number[];
      const runs = decayRuns.length / 2;
      addon.adamWeightDecay(
        s,
        param,
        grad,
        m,
        v,
        n,
        decayRuns,
        runs,
        lr!,
        beta1!,
        beta2!,
        eps!,
        wd!,
        gradScale!,
      );
    },
  };
}

function attentionKernels(addon: NativeAddon, s: object) {
  return {
    attentionForward: (...a: Parameters<Kernels<F>['attentionForward']>) => {
      const [ctx, probs, dropMask, q, k, v, maskBias, B, Tq, T, NH, HS, p, seed] = a;
      const kernel = 'attentionForward';
      check.checkAttention(kernel, { ctx, q }, { k, v }, B, Tq, T, NH, HS, p, probs, dropMask);
      check.sizes(kernel, B * T, { maskBias });
      const drop =
        p > 0 ? [1, dropoutThreshold(p), Math.fround(1 / (1 - p)), seed >>> 0] : [0, 0, 1, 0];
      addon.attentionForward(s, ctx, probs, dropMask, q, k, v, maskBias, B, Tq, T, NH, HS, ...drop);
    },
    attentionBackward: (...a: Parameters<Kernels<F>['attentionBackward']>) => {
      const [dq, dk, dv, dCtx, probs, dropMask, q, k, v, B, Tq, T, NH, HS, p] = a;
      const [queries, keys] = [
        { dq, dCtx, q },
        { dk, dv, k, v },
      ];
      check.checkAttention(
        'attentionBackward',
        queries,
        keys,
        B,
        Tq,
        T,
        NH,
        HS,
        p,
        probs,
        dropMask,
      );
      const bufs = [dq, dk, dv, dCtx, probs, dropMask, q, k, v];
      addon.attentionBackward(s, ...bufs, B, Tq, T, NH, HS, +(p > 0), 0, 1, 0);
    },
  };
}
