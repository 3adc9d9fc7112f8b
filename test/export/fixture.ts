// What the export tests share: a BERT-Tiny classifier fine-tuned briefly on MRPC from the shipped
// Brown model (320 train rows, 20 steps) whose "test" set is the 408 MRPC dev pairs, so
// run_classifier's own test_results.tsv holds bert-ts's probabilities for them; and bert-ts's
// forward pass (logits) on given features, for the ONNX graph to be held against.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKernels } from '../../src/engine/index.js';
import type { InputFeatures } from '../../src/data/features.js';
import { BertConfig } from '../../src/model/config.js';
import { createClassifierModel } from '../../src/model/classifier_model.js';
import { initFromCheckpoint } from '../../src/train/checkpoint_io.js';
import { storeViews } from '../../src/train/model_weights.js';
import { RUN_CLASSIFIER_DEFAULTS, runClassifier } from '../../src/train/runners/run_classifier.js';
import { silentLogger } from '../../src/util/log.js';
import { REPO, SHARED } from '../shared.js';

export const BROWN = join(REPO, 'models/uncased_L-2_H-128_A-2_brown');
export const MAX_SEQ = 128;

export interface DevPair {
  readonly textA: string;
  readonly textB: string;
  readonly label: string;
}

/** The 408 MRPC dev pairs, in file order. */
export function mrpcDev(): DevPair[] {
  const text = readFileSync(join(SHARED, 'glue/MRPC/dev.tsv'), 'utf8').replace(/^\uFEFF/, '');
  return text
    .split('\n')
    .slice(1)
    .filter((l) => l !== '')
    .map((l) => {
      const f = l.split('\t');
      return { label: f[0]!, textA: f[3]!, textB: f[4]! };
    });
}

/** An MRPC data_dir whose test.tsv holds the dev pairs (in the test file's layout). */
function mrpcDataDir(trainRows: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'bert-export-mrpc-'));
  const mrpc = join(SHARED, 'glue/MRPC');
  const train = readFileSync(join(mrpc, 'train.tsv'), 'utf8').split('\n');
  writeFileSync(join(dir, 'train.tsv'), train.slice(0, trainRows + 1).join('\n') + '\n');
  writeFileSync(join(dir, 'dev.tsv'), readFileSync(join(mrpc, 'dev.tsv')));
  const test = mrpcDev().map((p, i) => `${i}\tx\ty\t${p.textA}\t${p.textB}`);
  writeFileSync(
    join(dir, 'test.tsv'),
    ['index\t#1 ID\t#2 ID\t#1 String\t#2 String', ...test].join('\n') + '\n',
  );
  return dir;
}

/** Fine-tunes the Brown BERT-Tiny on 320 MRPC rows (20 steps) and predicts the dev pairs. */
export async function fineTunedMrpc(): Promise<string> {
  const outputDir = mkdtempSync(join(tmpdir(), 'bert-export-model-'));
  await runClassifier({
    ...RUN_CLASSIFIER_DEFAULTS,
    taskName: 'MRPC',
    dataDir: mrpcDataDir(320),
    vocabFile: join(BROWN, 'vocab.txt'),
    bertConfigFile: join(BROWN, 'bert_config.json'),
    outputDir,
    initCheckpoint: join(BROWN, 'bert_model.ckpt'),
    maxSeqLength: MAX_SEQ,
    doTrain: true,
    doPredict: true,
    trainBatchSize: 16,
    evalBatchSize: 32,
    predictBatchSize: 32,
    learningRate: 1e-4,
    numTrainEpochs: 1,
    seed: 3,
    numThreads: 2,
  });
  return outputDir;
}

/** run_classifier's test_results.tsv: one row of probabilities per example. */
export function testResults(outputDir: string): number[][] {
  const text = readFileSync(join(outputDir, 'test_results.tsv'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split('\t').map(Number));
}

/** bert-ts's classifier logits (N, numLabels) for `features`, with the weights at `checkpoint`. */
export async function bertTsLogits(
  checkpoint: string,
  features: readonly InputFeatures[],
  numLabels: number,
): Promise<number[][]> {
  const config = BertConfig.fromJsonFile(join(BROWN, 'bert_config.json'));
  const k = await createKernels({ threads: 2 });
  try {
    const B = 32;
    const m = createClassifierModel(k, config, {
      numLabels,
      maxBatch: B,
      maxSeq: MAX_SEQ,
      seed: 0,
      inference: true,
    });
    initFromCheckpoint(checkpoint, storeViews(m.store), silentLogger);
    const out: number[][] = [];
    for (let i = 0; i < features.length; i += B) {
      const rows = features.slice(i, i + B);
      const ints = (pick: (f: InputFeatures) => number[]) => Int32Array.from(rows.flatMap(pick));
      const batch = {
        batchSize: rows.length,
        seqLength: MAX_SEQ,
        inputIds: ints((f) => f.inputIds),
        inputMask: ints((f) => f.inputMask),
        segmentIds: ints((f) => f.segmentIds),
      };
      const opts = { training: false, seed: 0 };
      const r = m.head.forward(m.model.forward(batch, opts), new Int32Array(rows.length), opts);
      for (let b = 0; b < rows.length; b++)
        out.push([...r.logits.subarray(b * numLabels, (b + 1) * numLabels)]);
    }
    return out;
  } finally {
    await k.dispose();
  }
}

export function softmax(logits: readonly number[]): number[] {
  const m = Math.max(...logits);
  const e = logits.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}
