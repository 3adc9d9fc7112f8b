// Whole training steps on the WebAssembly kernels (issue 4's "Speed", issue 6's pre-training step):
//   BERT-Tiny classifier step (dropout on, clip_by_global_norm, AdamWeightDecay) at 32×128 and
//   32×64 (createClassifierModel's default outputs 'pooled': the last layer runs for token 0
//   only, model/first_token_layer.ts) and at 32×128 with every token of every layer (the
//   arithmetic of bench/torch_step.py), BERT-Tiny forward only at 32×128, a BERT-Base-sized model
//   (12 layers, hidden 768) forward and training step at 8×128, and a BERT-Tiny pre-training step (MLM over P = 20 masked
//   positions with the tied embeddings + NSP) at 32×128; peak RSS of the process. If
//   /usr/bin/python3 has torch, bench/torch_step.py runs the same BERT-Tiny 32×128 step in PyTorch
//   as a child process (2 threads, glibc malloc thresholds raised as ENGINE.md says) and the
//   ratio of throughputs is reported.
// tokens/s counts B·T positions (padding included: every row has T − 8·(row mod 3) real tokens,
// the same pattern in PyTorch). Median of `passes` after one warm-up; same-machine runs only.
import { forwardBackward } from '../src/model/task_model.js';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createKernels } from '../src/engine/index.js';
import type { Kernels } from '../src/engine/kernels.js';
import type { BertBatch } from '../src/model/bert_model.js';
import { createClassifierModel } from '../src/model/classifier_model.js';
import type { BertConfigFields } from '../src/model/layout.js';
import { createPretrainingModel } from '../src/model/pretraining_model.js';
import { AdamWeightDecay, globalNormClip } from '../src/train/adam_weight_decay.js';
import { Rng } from '../src/util/rng.js';

const here = dirname(fileURLToPath(import.meta.url));
const REPO = here.includes('dist') ? resolve(here, '..', '..') : resolve(here, '..');

const TINY: BertConfigFields = {
  vocab_size: 30522,
  hidden_size: 128,
  num_hidden_layers: 2,
  num_attention_heads: 2,
  intermediate_size: 512,
  hidden_act: 'gelu',
  hidden_dropout_prob: 0.1,
  attention_probs_dropout_prob: 0.1,
  max_position_embeddings: 512,
  type_vocab_size: 2,
  initializer_range: 0.02,
};
const BASE: BertConfigFields = {
  ...TINY,
  hidden_size: 768,
  num_hidden_layers: 12,
  num_attention_heads: 12,
  intermediate_size: 3072,
};

export interface StepTiming {
  readonly ms: number;
  readonly stepsPerSec: number;
  readonly tokensPerSec: number;
}

export interface StepBenchOptions {
  readonly passes: number;
  readonly threads: number;
  /** Also time BERT-Base-sized (slow: seconds per step). */
  readonly base: boolean;
  /** Run bench/torch_step.py when /usr/bin/python3 has torch. */
  readonly torch: boolean;
}

function batch(B: number, T: number, vocab: number): BertBatch {
  const rng = new Rng(1);
  return {
    batchSize: B,
    seqLength: T,
    inputIds: Int32Array.from({ length: B * T }, () => rng.int(vocab)),
    inputMask: Int32Array.from({ length: B * T }, (_, i) => {
      const row = Math.floor(i / T);
      return i % T < T - 8 * (row % 3) ? 1 : 0;
    }),
    segmentIds: new Int32Array(B * T),
  };
}

/** Median ms of `passes` runs of f after one warm-up, as a timing of B·T tokens. */
function timeIt(tokens: number, passes: number, f: (pass: number) => void): StepTiming {
  const times: number[] = [];
  for (let p = 0; p <= passes; p++) {
    const t0 = performance.now();
    f(p);
    if (p > 0) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const ms = times[Math.floor(times.length / 2)]!;
  return { ms, stepsPerSec: 1000 / ms, tokensPerSec: (tokens * 1000) / ms };
}

/** Forward-only and full training step (with clip + AdamWeightDecay) of the classifier model. */
function classifierSteps(
  k: Kernels<Float32Array>,
  config: BertConfigFields,
  B: number,
  T: number,
  passes: number,
  outputs: 'pooled' | 'all-layers' = 'pooled',
): { forward: StepTiming; train: StepTiming } {
  const limits = { numLabels: 2, maxBatch: B, maxSeq: T, seed: 1, outputs };
  const m = createClassifierModel(k, config, limits);
  const opt = new AdamWeightDecay(k, m.layout.entries, m.layout.size);
  const input = batch(B, T, config.vocab_size);
  const labels = Int32Array.from({ length: B }, (_, i) => i % 2);
  const forward = timeIt(B * T, passes, (p) =>
    m.model.forward(input, { training: false, seed: p }),
  );
  const train = timeIt(B * T, passes, (p) => {
    m.model.zeroGrad();
    forwardBackward(m, input, labels, { training: true, seed: p });
    const clip = globalNormClip(k, m.store.grads, m.layout.size, 1.0);
    opt.apply(m.store.params, m.store.grads, 1e-4, clip.scale);
  });
  return { forward, train };
}

/** The MLM + NSP step at B×T with P masked positions per sequence. */
function pretrainingStep(
  k: Kernels<Float32Array>,
  B: number,
  T: number,
  P: number,
  passes: number,
) {
  const m = createPretrainingModel(k, TINY, { maxBatch: B, maxSeq: T, maxPredictions: P, seed: 1 });
  const opt = new AdamWeightDecay(k, m.layout.entries, m.layout.size);
  const input = batch(B, T, TINY.vocab_size);
  const rng = new Rng(2);
  const labels = {
    maskedLmPositions: Int32Array.from({ length: B * P }, () => 1 + rng.int(T - 24)),
    maskedLmIds: Int32Array.from({ length: B * P }, () => rng.int(TINY.vocab_size)),
    maskedLmWeights: new Float32Array(B * P).fill(1),
    nextSentenceLabels: Int32Array.from({ length: B }, (_, i) => i % 2),
  };
  return timeIt(B * T, passes, (p) => {
    m.model.zeroGrad();
    forwardBackward(m, input, labels, { training: true, seed: p });
    const clip = globalNormClip(k, m.store.grads, m.layout.size, 1.0);
    opt.apply(m.store.params, m.store.grads, 1e-4, clip.scale);
  });
}

/** A fresh kernel set per model: the wasm arena never frees, so models must not pile up. */
async function withKernels<T>(threads: number, f: (k: Kernels<Float32Array>) => T): Promise<T> {
  const k = await createKernels({ threads });
  try {
    return f(k);
  } finally {
    await k.dispose();
  }
}

/** bench/torch_step.py's median ms for the BERT-Tiny B×T step, or null without torch. */
export function torchStep(B: number, T: number, passes: number, threads: number) {
  const python = '/usr/bin/python3';
  if (!existsSync(python)) return null;
  if (spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) return null;
  const big = '1000000000000';
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MALLOC_MMAP_THRESHOLD_: big,
    MALLOC_TRIM_THRESHOLD_: big,
    OMP_NUM_THREADS: String(threads),
  };
  const script = join(REPO, 'bench', 'torch_step.py');
  const args = [script, String(B), String(T), String(passes), String(threads)];
  const r = spawnSync(python, args, { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { torch: string; ms: number };
}

/** Every measurement of the step benchmark as one object (what the standalone --json prints). */
export async function stepBench(o: StepBenchOptions) {
  const { passes, threads } = o;
  const tiny128 = await withKernels(threads, (k) => classifierSteps(k, TINY, 32, 128, passes));
  const tiny64 = await withKernels(threads, (k) => classifierSteps(k, TINY, 32, 64, passes));
  // the same arithmetic as bench/torch_step.py: the last layer for every token
  const tiny128Full = await withKernels(threads, (k) =>
    classifierSteps(k, TINY, 32, 128, passes, 'all-layers'),
  );
  const pretrain = await withKernels(threads, (k) => pretrainingStep(k, 32, 128, 20, passes));
  const base = o.base
    ? await withKernels(threads, (k) => classifierSteps(k, BASE, 8, 128, Math.min(passes, 3)))
    : null;
  const torch = o.torch ? torchStep(32, 128, passes, threads) : null;
  const torchTokensPerSec = torch === null ? null : (32 * 128 * 1000) / torch.ms;
  return {
    node: process.version,
    threads,
    passes,
    tiny_train_32x128: tiny128.train,
    tiny_train_32x64: tiny64.train,
    tiny_train_32x128_all_tokens: tiny128Full.train,
    tiny_forward_32x128: tiny128.forward,
    pretraining_step_32x128_p20: pretrain,
    base_forward_8x128: base?.forward ?? null,
    base_train_8x128: base?.train ?? null,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    torch_train_32x128:
      torch === null
        ? null
        : { version: torch.torch, ms: torch.ms, tokensPerSec: torchTokensPerSec },
    ratio_vs_torch:
      torchTokensPerSec === null ? null : tiny128.train.tokensPerSec / torchTokensPerSec,
    ratio_vs_torch_all_tokens:
      torchTokensPerSec === null ? null : tiny128Full.train.tokensPerSec / torchTokensPerSec,
  };
}

type StepResults = Awaited<ReturnType<typeof stepBench>>;

/** A printable line: bench/bench.ts's BenchRow fields plus the step's throughput. */
export interface StepRow {
  what: string;
  threads: number;
  /** Median ms of one step. */
  ms: number;
  stepsPerSec?: number;
  tokensPerSec?: number;
}

function row(what: string, threads: number, t: StepTiming): StepRow {
  const tok = Math.round(t.tokensPerSec).toLocaleString('en-US');
  return {
    what: `${what}: ${t.stepsPerSec.toFixed(2)} steps/s, ${tok} tokens/s`,
    threads,
    ms: t.ms,
    stepsPerSec: t.stepsPerSec,
    tokensPerSec: t.tokensPerSec,
  };
}

/** The results as printable rows (bench/run.ts can use them as its print). */
export function stepRows(r: StepResults): StepRow[] {
  const n = r.threads;
  const rows = [
    row('BERT-Tiny train step 32×128 (last layer token 0 only)', n, r.tiny_train_32x128),
    row('BERT-Tiny train step 32×64 (last layer token 0 only)', n, r.tiny_train_32x64),
    row(
      'BERT-Tiny train step 32×128 (every layer, every token)',
      n,
      r.tiny_train_32x128_all_tokens,
    ),
    row('BERT-Tiny forward 32×128 (last layer token 0 only)', n, r.tiny_forward_32x128),
    row('BERT-Tiny pre-training step 32×128, P 20', n, r.pretraining_step_32x128_p20),
  ];
  if (r.base_forward_8x128 !== null)
    rows.push(row('BERT-Base-sized forward 8×128', n, r.base_forward_8x128));
  if (r.base_train_8x128 !== null)
    rows.push(row('BERT-Base-sized train step 8×128', n, r.base_train_8x128));
  const t = r.torch_train_32x128;
  if (t !== null && r.ratio_vs_torch !== null) {
    const tok = Math.round(t.tokensPerSec!).toLocaleString('en-US');
    rows.push({
      what:
        `PyTorch ${t.version} BERT-Tiny train step 32×128: ${tok} tokens/s; bert-ts/PyTorch = ` +
        `${r.ratio_vs_torch.toFixed(2)}× (every token: ${r.ratio_vs_torch_all_tokens!.toFixed(2)}×)`,
      threads: n,
      ms: t.ms,
      tokensPerSec: t.tokensPerSec!,
    });
  }
  rows.push({ what: `peak RSS of the process: ${r.peak_rss_mb.toFixed(0)} MB`, threads: n, ms: 0 });
  return rows;
}

// Standalone: node dist/bench/step.bench.js [--json] [--passes=5] [--threads=2] [--no-base] [--no-torch]
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const num = (name: string, def: number) => {
    const a = process.argv.find((x) => x.startsWith(`--${name}=`));
    return a === undefined ? def : Number(a.slice(name.length + 3));
  };
  const r = await stepBench({
    passes: num('passes', 5),
    threads: num('threads', availableParallelism()),
    base: !process.argv.includes('--no-base'),
    torch: !process.argv.includes('--no-torch'),
  });
  if (process.argv.includes('--json')) console.log(JSON.stringify({ cpu: cpus()[0]?.model, ...r }));
  else {
    console.log(`step benchmark: node ${r.node}, ${cpus()[0]?.model ?? '?'}, ${r.threads} threads`);
    for (const x of stepRows(r)) console.log(`${x.ms.toFixed(1).padStart(10)} ms  ${x.what}`);
  }
}
