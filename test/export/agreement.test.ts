// The exported Hugging Face folder run by the ecosystem's own runtimes, held against bert-ts:
// - onnxruntime-node on onnx/model.onnx: the same logits as bert-ts's forward pass on the 408
//   MRPC dev features, |Δ| ≤ 1e-4;
// - transformers.js (AutoTokenizer + AutoModelForSequenceClassification, fp32, from disk): the
//   same token ids for the dev pairs except where the two tokenizers legitimately differ (< 0.5 %),
//   and the same labels and probabilities (|Δ| ≤ 1e-4) as Classifier.predict (which equals
//   run_classifier's test_results.tsv, checked here too);
// - pipeline('text-classification') on single sentences, against Classifier.predict;
// - pipeline('feature-extraction') on an exported bare encoder, against Encoder.embed ('cls' and
//   'mean') and extract_features's per-token last layer.
// Run with: npx vitest run test/export/agreement.test.ts (prints the agreement figures).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AutoModelForSequenceClassification,
  AutoTokenizer,
  env,
  pipeline,
} from '@huggingface/transformers';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { Classifier } from '../../src/api/classifier.js';
import { Encoder } from '../../src/api/encoder.js';
import { readFeaturesTFRecord } from '../../src/data/classifier_tfrecord.js';
import { exportModel } from '../../src/export/export_model.js';
import type { InputFeatures } from '../../src/data/features.js';
import { latestCheckpoint } from '../../src/train/checkpoint_io.js';
import { extractFeatures } from '../../src/train/runners/extract_features.js';
import { silentLogger } from '../../src/util/log.js';
import {
  BROWN,
  MAX_SEQ,
  bertTsLogits,
  fineTunedMrpc,
  mrpcDev,
  softmax,
  testResults,
} from './fixture.js';

const EXPORTS = mkdtempSync(join(tmpdir(), 'bert-export-hf-'));
env.allowRemoteModels = false;
env.localModelPath = EXPORTS;

let MODEL = ''; // run_classifier's output_dir
let FEATURES: InputFeatures[] = [];

beforeAll(async () => {
  MODEL = await fineTunedMrpc();
  FEATURES = readFeaturesTFRecord(join(MODEL, 'predict.tf_record'), MAX_SEQ);
  await exportModel({ modelDir: MODEL, outputDir: join(EXPORTS, 'mrpc') });
  await exportModel({ modelDir: BROWN, outputDir: join(EXPORTS, 'encoder') });
});

/** (N,T) int64 tensors of the features, cut to the longest example. */
function ortFeeds(rows: readonly InputFeatures[]): Record<string, ort.Tensor> {
  const T = Math.max(...rows.map((f) => f.inputMask.reduce((a, b) => a + b, 0)));
  const pack = (pick: (f: InputFeatures) => number[]) =>
    new ort.Tensor(
      'int64',
      BigInt64Array.from(rows.flatMap((f) => pick(f).slice(0, T).map(BigInt))),
      [rows.length, T],
    );
  return {
    input_ids: pack((f) => f.inputIds),
    attention_mask: pack((f) => f.inputMask),
    token_type_ids: pack((f) => f.segmentIds),
  };
}

const realIds = (f: InputFeatures) =>
  f.inputIds.slice(
    0,
    f.inputMask.reduce((a, b) => a + b, 0),
  );

describe('onnxruntime-node on onnx/model.onnx', () => {
  it('gives bert-ts logits for the 408 MRPC dev pairs, |Δ| ≤ 1e-4', async () => {
    const want = await bertTsLogits(latestCheckpoint(MODEL)!, FEATURES, 2);
    const session = await ort.InferenceSession.create(join(EXPORTS, 'mrpc/onnx/model.onnx'), {
      graphOptimizationLevel: 'all',
      intraOpNumThreads: 2,
    });
    let maxDiff = 0;
    for (let i = 0; i < FEATURES.length; i += 32) {
      const rows = FEATURES.slice(i, i + 32);
      const { logits } = await session.run(ortFeeds(rows));
      expect(logits!.dims).toEqual([rows.length, 2]);
      const got = logits!.data as Float32Array;
      rows.forEach((_, b) => {
        for (let c = 0; c < 2; c++)
          maxDiff = Math.max(maxDiff, Math.abs(got[b * 2 + c]! - want[i + b]![c]!));
      });
    }
    console.log(
      `onnxruntime-node vs bert-ts: max |Δ logits| = ${maxDiff.toExponential(2)} (408 pairs)`,
    );
    expect(maxDiff).toBeLessThanOrEqual(1e-4);
    await session.release();
  });
});

describe('transformers.js on the exported folder', () => {
  it('AutoTokenizer + AutoModelForSequenceClassification: the labels and probabilities of Classifier.predict', async () => {
    const dev = mrpcDev();
    const tokenizer = await AutoTokenizer.from_pretrained('mrpc');
    const model = await AutoModelForSequenceClassification.from_pretrained('mrpc', {
      dtype: 'fp32',
    });
    const enc = tokenizer(
      dev.map((p) => p.textA),
      {
        text_pair: dev.map((p) => p.textB),
        padding: true,
        truncation: true,
        max_length: MAX_SEQ,
      },
    );
    const ids = enc.input_ids.tolist() as bigint[][];
    const mask = enc.attention_mask.tolist() as bigint[][];
    const { logits } = await model(enc);
    const probs = (logits.tolist() as number[][]).map(softmax);
    const clf = await Classifier.load(MODEL);
    const predictions = await clf.predict(dev.map(({ textA, textB }) => ({ textA, textB })));
    await clf.dispose();
    const want = predictions.map((p) => [p.probabilities['0']!, p.probabilities['1']!]);
    const tsv = testResults(MODEL); // run_classifier's own numbers for the same pairs
    want.forEach((w, i) =>
      w.forEach((x, c) => expect(Math.abs(x - tsv[i]![c]!)).toBeLessThan(1e-6)),
    );
    const config = JSON.parse(readFileSync(join(EXPORTS, 'mrpc/config.json'), 'utf8')) as {
      id2label: Record<string, string>;
    };
    let tokenizerDiffs = 0;
    let maxDiff = 0;
    probs.forEach((p, i) => {
      const hfIds = ids[i]!.filter((_, t) => mask[i]![t] === 1n).map(Number);
      if (hfIds.join() !== realIds(FEATURES[i]!).join()) return void tokenizerDiffs++;
      maxDiff = Math.max(maxDiff, ...p.map((x, c) => Math.abs(x - want[i]![c]!)));
      expect(config.id2label[String(p.indexOf(Math.max(...p)))]).toBe(predictions[i]!.label);
    });
    console.log(
      `transformers.js vs bert-ts: max |Δ p| = ${maxDiff.toExponential(2)}, tokenizer differences ${tokenizerDiffs}/408`,
    );
    expect(tokenizerDiffs / dev.length).toBeLessThan(0.005);
    expect(maxDiff).toBeLessThanOrEqual(1e-4);
  });

  it("pipeline('text-classification'): single sentences as Classifier.predict gives them", async () => {
    const sentences = mrpcDev()
      .slice(0, 64)
      .map((p) => p.textA);
    const clf = await Classifier.load(MODEL);
    const want = await clf.predict(sentences.map((textA) => ({ textA })));
    await clf.dispose();
    const classify = await pipeline('text-classification', 'mrpc', { dtype: 'fp32' });
    const got = (await classify(sentences, { top_k: null })) as {
      label: string;
      score: number;
    }[][];
    let maxDiff = 0;
    got.forEach((scores, i) => {
      expect(scores[0]!.label).toBe(want[i]!.label);
      for (const { label, score } of scores)
        maxDiff = Math.max(maxDiff, Math.abs(score - want[i]!.probabilities[label]!));
    });
    expect(maxDiff).toBeLessThanOrEqual(1e-4);
  });

  it("pipeline('feature-extraction') on the exported encoder: extract_features's last layer, Encoder.embed's cls and mean", async () => {
    const sentences = mrpcDev()
      .slice(0, 16)
      .map((p) => p.textA);
    const dir = mkdtempSync(join(tmpdir(), 'bert-export-features-'));
    writeFileSync(join(dir, 'input.txt'), sentences.join('\n') + '\n');
    await extractFeatures({
      inputFile: join(dir, 'input.txt'),
      outputFile: join(dir, 'output.jsonl'),
      vocabFile: join(BROWN, 'vocab.txt'),
      bertConfigFile: join(BROWN, 'bert_config.json'),
      initCheckpoint: join(BROWN, 'bert_model.ckpt'),
      layers: '-1',
      maxSeqLength: MAX_SEQ,
      doLowerCase: true,
      batchSize: 8,
      numThreads: 2,
      logger: silentLogger,
    });
    type Line = { features: { layers: { values: number[] }[] }[] };
    const want = readFileSync(join(dir, 'output.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as Line).features.map((f) => f.layers[0]!.values));
    const extractor = await pipeline('feature-extraction', 'encoder', { dtype: 'fp32' });
    let maxDiff = 0;
    for (const [i, s] of sentences.entries()) {
      const got = (await extractor(s)).tolist() as number[][][]; // [1, T, H]
      expect(got[0]!.length).toBe(want[i]!.length);
      got[0]!.forEach((row, t) =>
        row.forEach((x, h) => (maxDiff = Math.max(maxDiff, Math.abs(x - want[i]![t]![h]!)))),
      );
    }
    // extract_features rounds to 6 decimals (round(float(x), 6)), hence the 1e-4 still holds.
    expect(maxDiff).toBeLessThanOrEqual(1e-4);
    const enc = await Encoder.load(BROWN);
    for (const pooling of ['cls', 'mean'] as const) {
      const want = await enc.embed(sentences, { pooling });
      const got = (await extractor(sentences, { pooling })).tolist() as number[][];
      const diff = Math.max(
        ...got.flatMap((row, i) => row.map((x, h) => Math.abs(x - want[i]![h]!))),
      );
      expect(diff, pooling).toBeLessThanOrEqual(1e-4);
    }
    await enc.dispose();
  });
});
