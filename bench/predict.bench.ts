// Issue 10's closing number: the library's Classifier.predict on strings against onnxruntime-node
// on the exported onnx/model.onnx of the same model, pairs/s at batch 1 and 32, seq 128.
//   The model: the shipped Brown BERT-Tiny fine-tuned briefly on MRPC rows (serve_fixture.ts's
//   run_classifier output_dir; speed does not depend on the weights' values), exported by
//   exportModel to a Hugging Face folder.
//   The inputs: MRPC dev sentences joined until every [CLS] a [SEP] b [SEP] passes 128 tokens and
//   is truncated to the full 128 (checked).
//   bert-ts = clf.predict(pairs): strings in, tokenization, padding, forward, softmax and labels
//   included. onnxruntime = session.run on the same pairs tokenized once outside the timing (its
//   best case), at its better configuration (bench/onnxruntime.ts), intraOpNumThreads = threads.
//   Not timed, and the bench fails unless it holds: predict's probabilities equal
//   softmax(onnxruntime's logits) within 1e-4, so the two do the same work.
// pairs/s = B / median seconds per call; ratio = bert-ts / onnxruntime. Each kernel set of
// --backend (default: native and wasm where native loads) is measured in turn.
//   npm run bench:predict   (= node dist/bench/run.js --only=predict --threads=2)
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Classifier } from '../src/api/classifier.js';
import type { TextPair } from '../src/api/inputs.js';
import { Tokenizer } from '../src/api/tokenizer.js';
import { exportModel } from '../src/export/export_model.js';
import type { Bench, BenchOptions } from './bench.js';
import { onnxruntimeSession, timeBesideOnnxruntime, type TokenRows } from './onnxruntime.js';
import { mrpcDevPairs, shortMrpcRun } from './serve_fixture.js';

const T = 128;
const BATCHES = [1, 32];
/** The agreement every measured batch must show: |predict − softmax(onnxruntime logits)|. */
const TOLERANCE = 1e-4;

export interface PredictRow {
  /** The kernel set, e.g. 'native-avx512 x2'. */
  readonly kernels: string;
  readonly batch: number;
  readonly threads: number;
  readonly predictPairsPerSec: number;
  readonly onnxruntimePairsPerSec: number;
  /** Classifier.predict / onnxruntime throughput. */
  readonly ratio: number;
  /** max |Δ| of the probabilities, predict vs softmax(onnxruntime logits), on the timed pairs. */
  readonly maxDiff: number;
}

/**
 * `n` pairs of MRPC dev sentences, joined one at a time, A side then B side, until [CLS] a [SEP]
 * b [SEP] passes T tokens: truncated to T, with little more text to tokenize than a pair of T.
 */
export function longPairs(tok: Tokenizer, n: number): TextPair[] {
  const sentences = mrpcDevPairs(408).flatMap((p) => [p.text_a, p.text_b!]);
  let next = 0;
  return Array.from({ length: n }, () => {
    const sides: string[][] = [[], []];
    let tokens = 3; // [CLS], [SEP], [SEP]
    for (let s = 0; tokens <= T || sides[1]!.length === 0; s = 1 - s) {
      const sentence = sentences[next++ % sentences.length]!;
      sides[s]!.push(sentence);
      tokens += tok.tokenize(sentence).length;
    }
    return { textA: sides[0]!.join(' '), textB: sides[1]!.join(' ') };
  });
}

/** `pairs` tokenized as predict tokenizes them, padded to T; every row must fill all T. */
export function tokenRows(tok: Tokenizer, pairs: readonly TextPair[]): TokenRows {
  const enc = pairs.map((p) => tok.encode(p.textA, p.textB, { maxSeqLength: T, pad: true }));
  const short = enc.findIndex((e) => e.inputMask.indexOf(0) >= 0);
  if (short >= 0) throw new Error(`predict bench: pair ${short} is under ${T} tokens`);
  const ints = (pick: (e: (typeof enc)[number]) => number[]) => Int32Array.from(enc.flatMap(pick));
  return {
    ids: ints((e) => e.inputIds),
    types: ints((e) => e.segmentIds),
    mask: ints((e) => e.inputMask),
    T,
  };
}

function softmax(logits: Float32Array): number[] {
  const m = Math.max(...logits);
  const e = Array.from(logits, (x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

/** max |Δ| between clf.predict's probabilities and softmax(logits of `onnx`) on `pairs`. */
export async function predictVsOnnxruntime(
  clf: Classifier,
  onnx: string,
  pairs: readonly TextPair[],
  threads: number,
): Promise<number> {
  const predictions = await clf.predict(pairs);
  const session = await onnxruntimeSession(onnx, tokenRows(clf.tokenizer, pairs), threads, false);
  const logits = (await session.run().finally(() => session.release())).logits!.data;
  const n = clf.labels.length;
  let maxDiff = 0;
  predictions.forEach((p, i) => {
    const want = softmax((logits as Float32Array).subarray(i * n, (i + 1) * n));
    clf.labels.forEach((label, c) => {
      maxDiff = Math.max(maxDiff, Math.abs(p.probabilities[label]! - want[c]!));
    });
  });
  return maxDiff;
}

/** One row: predict on the first B pairs, checked against onnxruntime, then timed beside it. */
async function measure(
  clf: Classifier,
  onnx: string,
  pairs: readonly TextPair[],
  threads: number,
  reps: number,
): Promise<PredictRow> {
  const B = pairs.length;
  const maxDiff = await predictVsOnnxruntime(clf, onnx, pairs, threads);
  if (!(maxDiff <= TOLERANCE))
    throw new Error(`predict bench: predict and onnxruntime differ by ${maxDiff} at batch ${B}`);
  const x = tokenRows(clf.tokenizer, pairs);
  const { bertTsMs, onnxruntimeMs } = await timeBesideOnnxruntime(
    [() => clf.predict(pairs)],
    (spinning) => onnxruntimeSession(onnx, x, threads, spinning),
    reps,
  );
  const predictMs = bertTsMs[0]!;
  const perSec = (ms: number) => (1000 * B) / ms;
  return {
    ...{ kernels: clf.engine, batch: B, threads, maxDiff },
    predictPairsPerSec: perSec(predictMs),
    onnxruntimePairsPerSec: perSec(onnxruntimeMs),
    ratio: onnxruntimeMs / predictMs,
  };
}

/** The fine-tuned model folder and its export, in temporary folders `dispose` removes. */
async function exportedModel(threads: number) {
  const modelDir = await shortMrpcRun(64, threads);
  const hf = mkdtempSync(join(tmpdir(), 'bert-bench-hf-'));
  const dispose = () => [dirname(modelDir), hf].forEach((d) => rmSync(d, { recursive: true }));
  await exportModel({ modelDir, outputDir: join(hf, 'mrpc') }).catch((e: unknown) => {
    dispose();
    throw e;
  });
  return { modelDir, onnx: join(hf, 'mrpc', 'onnx', 'model.onnx'), dispose };
}

export async function predictRows(o: BenchOptions): Promise<PredictRow[]> {
  const threads = Math.max(...o.threads);
  const model = await exportedModel(threads);
  const pairs = longPairs(await Tokenizer.load(model.modelDir), Math.max(...BATCHES));
  const rows: PredictRow[] = [];
  try {
    for (const backend of o.backends) {
      const opts = { backend, numThreads: threads, batchSize: Math.max(...BATCHES) };
      const clf = await Classifier.load(model.modelDir, opts);
      try {
        for (const B of BATCHES)
          rows.push(await measure(clf, model.onnx, pairs.slice(0, B), threads, o.reps));
      } finally {
        await clf.dispose();
      }
    }
  } finally {
    model.dispose();
  }
  return rows;
}

function print(rows: readonly PredictRow[], load: string): void {
  console.log(`pairs/s, seq ${T}; ratio = Classifier.predict / onnxruntime; ${load}`);
  const cols = ['Classifier.predict', 'onnxruntime', 'ratio', 'max |Δp|'];
  console.log(
    `${'kernels'.padEnd(22)} ${'B×T'.padEnd(7)} threads  ${cols.map((c) => c.padStart(18)).join('  ')}`,
  );
  for (const r of rows) {
    const v = [r.predictPairsPerSec.toFixed(1), r.onnxruntimePairsPerSec.toFixed(1)];
    const cells = [...v, r.ratio.toFixed(2), r.maxDiff.toExponential(1)];
    const size = `${r.batch}×${T}`.padEnd(7);
    console.log(
      `${r.kernels.padEnd(22)} ${size} ${String(r.threads).padStart(7)}  ${cells.map((c) => c.padStart(18)).join('  ')}`,
    );
  }
}

const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

export const predictBench: Bench = {
  name: 'predict',
  async run(o) {
    const before = loadAverage();
    const rows = await predictRows(o);
    const load = `load average before ${before}, after ${loadAverage()}`;
    return { json: { rows, load }, print: () => print(rows, load) };
  },
};
