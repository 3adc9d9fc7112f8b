// Inference throughput, bert-ts vs onnxruntime-node on the ONNX export of the same model (issue
// 10's closing note; the native and serve engineers compare against it too):
//   BERT-Tiny classifier (the shipped model's config, 2 labels) at batch 1 and 32, seq 128;
//   a BERT-Base-sized classifier (12 layers, hidden 768) at 8×128 (only with --base);
// bert-ts = the engine's forward + classifier head (createClassifierModel, inference, outputs
// 'pooled'), onnxruntime = InferenceSession on src/export/onnx_bert.ts's graph of the same weights
// (as initialised: speed does not depend on their values), timed at its better configuration
// (bench/onnxruntime.ts says how and why). Every row is a full sequence (mask all ones), so the
// two do the same work; "all tokens" is bert-ts running the last layer for every token too, as the
// graph does. pairs/s = B / median seconds per batch; ratio = bert-ts / onnxruntime.
// The public API on strings against the exported file: bench/predict.bench.ts.
// Each kernel set of --backend (default: native and wasm where native loads) is measured in turn.
//   npm run bench -- --only=inference [--backend=native,wasm] [--threads=2] [--reps=7] [--base]
import { createKernels } from '../src/engine/index.js';
import type { Kernels } from '../src/engine/kernels.js';
import { bertOnnxModel } from '../src/export/onnx_bert.js';
import { createClassifierModel } from '../src/model/classifier_model.js';
import { BertConfig } from '../src/model/config.js';
import { Rng } from '../src/util/rng.js';
import type { Bench, BenchOptions } from './bench.js';
import { onnxruntimeSession, timeBesideOnnxruntime } from './onnxruntime.js';

const TINY = new BertConfig(30522, {
  hidden_size: 128,
  num_hidden_layers: 2,
  num_attention_heads: 2,
  intermediate_size: 512,
  type_vocab_size: 2,
});
const BASE = new BertConfig(30522, { type_vocab_size: 2 });
const T = 128;

export interface InferenceRow {
  /** The kernel set, e.g. 'native-avx512 x2'. */
  readonly kernels: string;
  readonly model: string;
  readonly batch: number;
  readonly threads: number;
  /** The forward as run_classifier runs it: the last layer for token 0 only. */
  readonly bertTsPairsPerSec: number;
  /** Every token through every layer, as the ONNX graph computes it. */
  readonly bertTsAllTokensPairsPerSec: number;
  readonly onnxruntimePairsPerSec: number;
  /** bert-ts (pooled) / onnxruntime throughput. */
  readonly ratio: number;
}

/** B full-length rows of random ids, first half segment 0, second half segment 1. */
function inputs(B: number, vocab: number) {
  const rng = new Rng(7);
  const ids = Int32Array.from({ length: B * T }, () => Math.floor(rng.uniform() * vocab));
  const types = Int32Array.from({ length: B * T }, (_, i) => (i % T < T / 2 ? 0 : 1));
  return { ids, types, mask: new Int32Array(B * T).fill(1), T };
}

type Inputs = ReturnType<typeof inputs>;

/** bert-ts: one batch through the forward + classifier head (createClassifierModel's outputs). */
function bertTsRunner(
  k: Kernels<Float32Array>,
  config: BertConfig,
  x: Inputs,
  outputs: 'pooled' | 'all-layers',
): { run: () => void; weights: Map<string, Float32Array> } {
  const B = x.ids.length / T;
  const m = createClassifierModel(k, config, {
    ...{ numLabels: 2, maxBatch: B, maxSeq: T, seed: 1, inference: true, outputs },
  });
  const batch = {
    batchSize: B,
    seqLength: T,
    inputIds: x.ids,
    inputMask: x.mask,
    segmentIds: x.types,
  };
  const labels = new Int32Array(B);
  const opts = { training: false, seed: 0 };
  const run = () => void m.head.forward(m.model.forward(batch, opts), labels, opts);
  return { run, weights: new Map([...m.store.namedParameters()].map((p) => [p.name, p.view])) };
}

async function measure(
  k: Kernels<Float32Array>,
  model: string,
  config: BertConfig,
  B: number,
  threads: number,
  reps: number,
): Promise<InferenceRow> {
  const x = inputs(B, config.vocab_size);
  const pooled = bertTsRunner(k, config, x, 'pooled');
  const all = bertTsRunner(k, config, x, 'all-layers');
  const onnx = bertOnnxModel(config, { kind: 'classifier', numLabels: 2 }, (n) =>
    pooled.weights.get(n)!,
  );
  const { bertTsMs, onnxruntimeMs: ortMs } = await timeBesideOnnxruntime(
    [pooled.run, all.run],
    (spinning) => onnxruntimeSession(onnx, x, threads, spinning),
    reps,
  );
  const [pooledMs, allMs] = bertTsMs;
  const perSec = (ms: number) => (1000 * B) / ms;
  return {
    kernels: k.name,
    model,
    batch: B,
    threads,
    bertTsPairsPerSec: perSec(pooledMs!),
    bertTsAllTokensPairsPerSec: perSec(allMs!),
    onnxruntimePairsPerSec: perSec(ortMs),
    ratio: ortMs / pooledMs!,
  };
}

export async function inferenceRows(o: BenchOptions): Promise<InferenceRow[]> {
  const threads = Math.max(...o.threads);
  const runs: [string, BertConfig, number][] = [
    ['BERT-Tiny', TINY, 1],
    ['BERT-Tiny', TINY, 32],
    ...(o.base ? [['BERT-Base-sized', BASE, 8] as [string, BertConfig, number]] : []),
  ];
  const rows: InferenceRow[] = [];
  for (const backend of o.backends) {
    const k = await createKernels({ threads, backend });
    try {
      for (const [name, config, B] of runs)
        rows.push(await measure(k, name, config, B, threads, o.reps));
    } finally {
      await k.dispose();
    }
  }
  return rows;
}

function print(rows: readonly InferenceRow[]): void {
  const cols = ['bert-ts', 'bert-ts all tokens', 'onnxruntime', 'ratio'];
  console.log('pairs/s; ratio = bert-ts / onnxruntime');
  const head = `kernels                model            B×T     threads`;
  console.log(`${head}  ${cols.map((c) => c.padStart(18)).join('  ')}`);
  for (const r of rows) {
    const v = [r.bertTsPairsPerSec, r.bertTsAllTokensPairsPerSec, r.onnxruntimePairsPerSec];
    const cells = [...v.map((x) => x.toFixed(1)), r.ratio.toFixed(2)].map((c) => c.padStart(18));
    console.log(
      `${r.kernels.padEnd(22)} ${r.model.padEnd(16)} ${`${r.batch}×${T}`.padEnd(7)} ${String(r.threads).padStart(7)}  ${cells.join('  ')}`,
    );
  }
}

export const inferenceBench: Bench = {
  name: 'inference',
  async run(o) {
    const rows = await inferenceRows(o);
    return { json: rows, print: () => print(rows) };
  },
};
