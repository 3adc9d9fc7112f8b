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
import { createKernels, nativeAvailable, type Backend } from '../src/engine/index.js';
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
  /** The kernel sets to time; PyTorch runs once and each gets its ratios. */
  readonly backends: readonly Backend[];
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
async function withKernels<T>(
  backend: Backend,
  threads: number,
  f: (k: Kernels<Float32Array>) => T,
): Promise<T> {
  const k = await createKernels({ threads, backend });
  try {
    return f(k);
  } finally {
    await k.dispose();
  }
}

/**
 * PyTorch's environment for the comparison (docs/engine.md, "The PyTorch baseline"): passive
 * OpenMP waiting (PyTorch's team and OpenBLAS's otherwise spin against each other on 2 cores),
 * OpenBLAS free to pick this CPU's kernels (OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, if this
 * machine sets them, force older ones), glibc's malloc thresholds raised (ENGINE.md: otherwise
 * every step maps and unmaps its activations), `threads` threads.
 */
export function torchEnv(threads: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const big = '1000000000000';
  return {
    ...env,
    OMP_WAIT_POLICY: 'PASSIVE',
    MALLOC_MMAP_THRESHOLD_: big,
    MALLOC_TRIM_THRESHOLD_: big,
    OMP_NUM_THREADS: String(threads),
  };
}

/** What bench/torch_step.py reports: its median ms and the OpenBLAS kernels that ran. */
export interface TorchStep {
  readonly torch: string;
  readonly openblas: string;
  readonly ms: number;
}

/** bench/torch_step.py's median ms for the `config` B×T step, or null without torch. */
export function torchStep(
  config: 'tiny' | 'base',
  B: number,
  T: number,
  passes: number,
  threads: number,
): TorchStep | null {
  const python = '/usr/bin/python3';
  if (!existsSync(python)) return null;
  if (spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) return null;
  const script = join(REPO, 'bench', 'torch_step.py');
  const args = [script, config, String(B), String(T), String(passes), String(threads)];
  const r = spawnSync(python, args, { env: torchEnv(threads), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as TorchStep;
}

/** The bert-ts steps of one kernel set. */
async function engineSteps(o: StepBenchOptions, backend: Backend) {
  const { passes, threads } = o;
  let set = '';
  const run = <T>(f: (k: Kernels<Float32Array>) => T) =>
    withKernels(backend, threads, (k) => {
      set = k.name;
      return f(k);
    });
  const tiny128 = await run((k) => classifierSteps(k, TINY, 32, 128, passes));
  const tiny64 = await run((k) => classifierSteps(k, TINY, 32, 64, passes));
  // the same arithmetic as bench/torch_step.py: the last layer for every token
  const tiny128Full = await run((k) => classifierSteps(k, TINY, 32, 128, passes, 'all-layers'));
  const pretrain = await run((k) => pretrainingStep(k, 32, 128, 20, passes));
  const basePasses = Math.min(passes, 3);
  const base = o.base
    ? await run((k) => classifierSteps(k, BASE, 8, 128, basePasses, 'all-layers'))
    : null;
  return {
    set,
    tiny_train_32x128: tiny128.train,
    tiny_train_32x64: tiny64.train,
    tiny_train_32x128_all_tokens: tiny128Full.train,
    tiny_forward_32x128: tiny128.forward,
    pretraining_step_32x128_p20: pretrain,
    base_forward_8x128: base?.forward ?? null,
    base_train_8x128: base?.train ?? null,
  };
}

type EngineSteps = Awaited<ReturnType<typeof engineSteps>>;

/** Throughput ratio bert-ts / PyTorch of the same B×T (null without the PyTorch number). */
function ratio(t: StepTiming | null, torch: TorchStep | null): number | null {
  return t === null || torch === null ? null : torch.ms / t.ms;
}

/** Every measurement of the step benchmark as one object (what the standalone --json prints). */
export async function stepBench(o: StepBenchOptions) {
  const engines: Record<string, EngineSteps> = {};
  for (const backend of o.backends) engines[backend] = await engineSteps(o, backend);
  const torchTiny = o.torch ? torchStep('tiny', 32, 128, o.passes, o.threads) : null;
  const torchBase =
    o.torch && o.base ? torchStep('base', 8, 128, Math.min(o.passes, 3), o.threads) : null;
  const ratios = Object.fromEntries(
    Object.entries(engines).map(([backend, e]) => [
      backend,
      {
        /** run_classifier's step (token-0 last layer) against PyTorch's full step. */
        tiny_token0: ratio(e.tiny_train_32x128, torchTiny),
        /** The same arithmetic on both sides. */
        tiny_same_arithmetic: ratio(e.tiny_train_32x128_all_tokens, torchTiny),
        base_same_arithmetic: ratio(e.base_train_8x128, torchBase),
      },
    ]),
  );
  return {
    node: process.version,
    threads: o.threads,
    passes: o.passes,
    engines,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    torch_train_32x128: torchTiny,
    torch_base_train_8x128: torchBase,
    ratio_vs_torch: ratios,
  };
}

type StepResults = Awaited<ReturnType<typeof stepBench>>;

/** A printable line: bench/bench.ts's BenchRow fields plus the step's throughput. */
export interface StepRow {
  what: string;
  set?: string;
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

/** PyTorch's row: its time and the ratios bert-ts / PyTorch. */
function torchRow(what: string, threads: number, t: TorchStep, ratios: string): StepRow {
  const what1 = `PyTorch ${t.torch} ${what}; bert-ts/PyTorch: ${ratios}`;
  return { what: what1, set: `OpenBLAS ${t.openblas.split(' ')[0]}`, threads, ms: t.ms };
}

/** One kernel set's rows. */
function engineRows(e: EngineSteps, n: number): StepRow[] {
  const rows = [
    row('BERT-Tiny train step 32×128 (last layer token 0 only)', n, e.tiny_train_32x128),
    row('BERT-Tiny train step 32×64 (last layer token 0 only)', n, e.tiny_train_32x64),
    row(
      'BERT-Tiny train step 32×128 (every layer, every token)',
      n,
      e.tiny_train_32x128_all_tokens,
    ),
    row('BERT-Tiny forward 32×128 (last layer token 0 only)', n, e.tiny_forward_32x128),
    row('BERT-Tiny pre-training step 32×128, P 20', n, e.pretraining_step_32x128_p20),
  ];
  if (e.base_forward_8x128 !== null)
    rows.push(row('BERT-Base-sized forward 8×128', n, e.base_forward_8x128));
  if (e.base_train_8x128 !== null)
    rows.push(row('BERT-Base-sized train step 8×128', n, e.base_train_8x128));
  return rows.map((r) => ({ ...r, set: e.set }));
}

/** The results as printable rows (bench/run.ts can use them as its print). */
export function stepRows(r: StepResults): StepRow[] {
  const n = r.threads;
  const rows = Object.values(r.engines).flatMap((e) => engineRows(e, n));
  const x = (v: number | null) => (v === null ? '-' : `${v.toFixed(2)}×`);
  const each = (f: (q: StepResults['ratio_vs_torch'][string]) => string) =>
    Object.entries(r.ratio_vs_torch)
      .map(([backend, q]) => `${backend} ${f(q)}`)
      .join('; ');
  if (r.torch_train_32x128 !== null) {
    const ratios = each(
      (q) =>
        `${x(q.tiny_token0)} (token-0 last layer), ${x(q.tiny_same_arithmetic)} (same arithmetic)`,
    );
    rows.push(torchRow('BERT-Tiny train step 32×128', n, r.torch_train_32x128, ratios));
  }
  if (r.torch_base_train_8x128 !== null) {
    const ratios = each((q) => `${x(q.base_same_arithmetic)} (same arithmetic)`);
    rows.push(torchRow('BERT-Base train step 8×128', n, r.torch_base_train_8x128, ratios));
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
    backends: nativeAvailable() ? ['wasm', 'native'] : ['wasm'],
    passes: num('passes', 5),
    threads: num('threads', availableParallelism()),
    base: !process.argv.includes('--no-base'),
    torch: !process.argv.includes('--no-torch'),
  });
  if (process.argv.includes('--json')) console.log(JSON.stringify({ cpu: cpus()[0]?.model, ...r }));
  else {
    console.log(`step benchmark: node ${r.node}, ${cpus()[0]?.model ?? '?'}, ${r.threads} threads`);
    for (const x of stepRows(r))
      console.log(`${x.ms.toFixed(1).padStart(10)} ms  ${(x.set ?? '').padEnd(22)} ${x.what}`);
  }
}
