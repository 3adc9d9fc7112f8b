// Each fast kernel set (wasm, native) at the shapes of one BERT-Tiny training step (B 32 × T 128 = 4096 rows, hidden
// 128, 2 heads of 64, intermediate 512, vocab 30522): GFLOP/s of every matrix product of the step
// (forward X·W, backward dY·Wᵀ and Xᵀ·dY, attention per (batch, head)) and ms of the element-wise
// kernels, at each thread count; and the dense products of a BERT-Base-sized step at 8×128. Median of --reps runs; compare runs on the same machine only.
import { createKernels, createNativeKernels } from '../src/engine/index.js';
import type { Kernels } from '../src/engine/kernels.js';
import { printRows, timeMedian, type Bench, type BenchOptions, type BenchRow } from './bench.js';

type K = Kernels<Float32Array>;
const [B, T, C, NH, I, V] = [32, 128, 128, 2, 512, 30522];
const BT = B * T;
const HS = C / NH;
/** Masked LM positions of a pre-training step (20 per sequence). */
const P = 20 * B;

function filled(k: K, n: number, seed: number): Float32Array {
  const a = k.alloc(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 4294967296 - 0.5;
  }
  return a;
}

// [label, M, K, N, transA, transB]
const MATMULS: [string, number, number, number, boolean, boolean][] = [
  ['X·W      4096×128 · 128×128 (Q, K, V, attn out)', BT, C, C, false, false],
  ['X·W      4096×128 · 128×512 (FFN in)', BT, C, I, false, false],
  ['X·W      4096×512 · 512×128 (FFN out)', BT, I, C, false, false],
  ['dY·Wᵀ    4096×128 · (128×128)ᵀ', BT, C, C, false, true],
  ['dY·Wᵀ    4096×512 · (128×512)ᵀ', BT, I, C, false, true],
  ['dY·Wᵀ    4096×128 · (512×128)ᵀ', BT, C, I, false, true],
  ['Xᵀ·dY    (4096×128)ᵀ · 4096×128', C, BT, C, true, false],
  ['Xᵀ·dY    (4096×128)ᵀ · 4096×512', C, BT, I, true, false],
  ['Xᵀ·dY    (4096×512)ᵀ · 4096×128', I, BT, C, true, false],
  ['MLM logits 640×128 · (30522×128)ᵀ', P, C, V, false, true],
  // BERT-Base-sized at 8×128 (1024 rows, hidden 768, intermediate 3072)
  ['Base X·W 1024×768 · 768×768 (Q, K, V, attn out)', 1024, 768, 768, false, false],
  ['Base X·W 1024×768 · 768×3072 (FFN in)', 1024, 768, 3072, false, false],
  ['Base dY·Wᵀ 1024×3072 · (768×3072)ᵀ', 1024, 3072, 768, false, true],
  ['Base Xᵀ·dY (1024×768)ᵀ · 1024×3072', 768, 1024, 3072, true, false],
];

function matmulRows(k: K, reps: number): BenchRow[] {
  return MATMULS.map(([what, M, Kd, N, tA, tB]) => {
    const [a, b, out] = [filled(k, M * Kd, 1), filled(k, Kd * N, 2), k.alloc(M * N)];
    const ms = timeMedian(() => k.matmul(out, a, b, null, M, Kd, N, tA, tB, tA), reps);
    return { what, set: k.name, threads: k.threads, ms, gflops: (2 * M * Kd * N) / ms / 1e6 };
  });
}

function attentionRows(k: K, reps: number): BenchRow[] {
  const n = BT * C;
  const [q, kk, v, ctx] = [filled(k, n, 3), filled(k, n, 4), filled(k, n, 5), k.alloc(n)];
  const [probs, mask, maskBias] = [k.alloc(B * NH * T * T), k.alloc(B * NH * T * T), k.alloc(BT)];
  const [dq, dk, dv, dCtx] = [k.alloc(n), k.alloc(n), k.alloc(n), filled(k, n, 6)];
  const flops = 2 * B * NH * T * T * HS; // one T×T×HS product
  const fwd = () =>
    k.attentionForward(ctx, probs, mask, q, kk, v, maskBias, B, T, T, NH, HS, 0.1, 7);
  const bwd = () =>
    k.attentionBackward(dq, dk, dv, dCtx, probs, mask, q, kk, v, B, T, T, NH, HS, 0.1);
  const f = timeMedian(fwd, reps);
  const b = timeMedian(bwd, reps);
  const what = 'attention 64 × (128×64 · 64×128)';
  return [
    {
      what: `${what} forward (2 products + softmax + dropout)`,
      set: k.name,
      threads: k.threads,
      ms: f,
      gflops: (2 * flops) / f / 1e6,
    },
    {
      what: `${what} backward (4 products)`,
      set: k.name,
      threads: k.threads,
      ms: b,
      gflops: (4 * flops) / b / 1e6,
    },
  ];
}

function elementwiseRows(k: K, reps: number): BenchRow[] {
  const [x, y, g, out] = [
    filled(k, BT * I, 7),
    filled(k, BT * I, 8),
    filled(k, BT * I, 9),
    k.alloc(BT * I),
  ];
  const [mean, rstd, gamma, beta] = [k.alloc(BT), k.alloc(BT), filled(k, C, 10), filled(k, C, 11)];
  const [dGamma, dBeta, dType, dPos] = [k.alloc(C), k.alloc(C), k.alloc(2 * C), k.alloc(T * C)];
  const ids = k.allocInt(BT);
  for (let i = 0; i < BT; i++) ids[i] = (i * 7919) % V;
  const types = k.allocInt(BT);
  const [word, dWord, typeEmb, pos] = [
    filled(k, V * C, 12),
    k.alloc(V * C),
    filled(k, 2 * C, 13),
    filled(k, T * C, 14),
  ];
  const logits = filled(k, P * V, 15);
  const [probs, losses, labels] = [k.alloc(P * V), k.alloc(P), k.allocInt(P)];
  const nParams = 4_390_000;
  const [param, grad, m, v] = [
    filled(k, nParams, 16),
    filled(k, nParams, 17),
    k.alloc(nParams),
    k.alloc(nParams),
  ];
  const decayAll = k.allocInt(2);
  decayAll.set([0, nParams]);
  const cases: [string, () => void][] = [
    ['gelu forward 4096×512', () => k.activationForward('gelu', out, x, BT * I)],
    ['gelu backward 4096×512', () => k.activationBackward('gelu', out, x, g, BT * I)],
    ['bias backward 4096×512', () => k.biasBackward(dGamma, x, BT, C)],
    ['add (residual) 4096×128', () => k.add(out, x, y, BT * C)],
    ['dropout forward p=0.1 4096×128', () => k.dropoutForward(out, g, x, 0.1, 3, BT * C)],
    [
      'layernorm forward 4096×128',
      () => k.layernormForward(out, mean, rstd, x, gamma, beta, BT, C),
    ],
    [
      'layernorm backward 4096×128',
      () => k.layernormBackward(out, dGamma, dBeta, y, x, mean, rstd, gamma, BT, C),
    ],
    [
      'embeddings forward 32×128',
      () => k.embeddingsForward(out, ids, types, word, typeEmb, pos, B, T, C, V, 2),
    ],
    [
      'embeddings backward 32×128 (scatter-add)',
      () => k.embeddingsBackward(dWord, dType, dPos, y, ids, types, B, T, C),
    ],
    [
      'cross-entropy forward 640×30522 (MLM)',
      () => k.crossEntropyForward(losses, probs, logits, labels, P, V),
    ],
    [
      'AdamWeightDecay (clip scale fused) 4.39 M parameters',
      () =>
        k.adamWeightDecay(param, grad, m, v, nParams, decayAll, 1e-4, 0.9, 0.999, 1e-6, 0.01, 0.5),
    ],
    ['sumSquares (global norm) 4.39 M', () => void k.sumSquares(grad, nParams)],
  ];
  const set = k.name;
  return cases.map(([what, fn]) => ({ what, set, threads: k.threads, ms: timeMedian(fn, reps) }));
}

/** The dense products on the system OpenBLAS (native set 'openblas'), when there is one. */
async function openblasRows(opts: BenchOptions): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const threads of opts.threads) {
    const k = await createNativeKernels(threads, 'openblas').catch(() => null);
    if (k === null) return rows;
    rows.push(...matmulRows(k, opts.reps));
    await k.dispose();
  }
  return rows;
}

export const kernelsBench: Bench = {
  name: 'kernels',
  async run(opts) {
    const rows: BenchRow[] = [];
    for (const backend of opts.backends) {
      for (const threads of opts.threads) {
        const k = await createKernels({ threads, backend });
        try {
          rows.push(
            ...matmulRows(k, opts.reps),
            ...attentionRows(k, opts.reps),
            ...elementwiseRows(k, opts.reps),
          );
        } finally {
          await k.dispose();
        }
      }
    }
    if (opts.backends.includes('native')) rows.push(...(await openblasRows(opts)));
    return { json: rows, print: () => printRows(rows) };
  },
};
