// A short real run_classifier for the API tests: the shipped Brown BERT-Tiny fine-tuned on the
// first 64 MRPC train rows (8 steps of 8, lr 1e-4, seed 1), evaluated on 32 dev rows and predicting
// 40 test rows (batches of 8) — its output_dir is the model folder the tests load.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  RUN_CLASSIFIER_DEFAULTS,
  runClassifier,
  type RunClassifierOptions,
} from '../../src/train/runners/run_classifier.js';
import { REPO, SHARED } from '../shared.js';

export const BROWN = join(REPO, 'models/uncased_L-2_H-128_A-2_brown');

/** The first `n` rows of an MRPC split (header kept) in `dir`. */
export function mrpcSlice(dir: string, sizes = { train: 64, dev: 32, test: 40 }): void {
  for (const [split, n] of Object.entries(sizes)) {
    const lines = readFileSync(join(SHARED, 'glue/MRPC', `${split}.tsv`), 'utf8').split('\n');
    writeFileSync(join(dir, `${split}.tsv`), lines.slice(0, n + 1).join('\n') + '\n');
  }
}

export function runOptions(dataDir: string, outputDir: string): RunClassifierOptions {
  return {
    ...RUN_CLASSIFIER_DEFAULTS,
    taskName: 'MRPC',
    dataDir,
    vocabFile: join(BROWN, 'vocab.txt'),
    bertConfigFile: join(BROWN, 'bert_config.json'),
    initCheckpoint: join(BROWN, 'bert_model.ckpt'),
    outputDir,
    doTrain: true,
    doEval: true,
    doPredict: true,
    trainBatchSize: 8,
    learningRate: 1e-4,
    numTrainEpochs: 1,
    seed: 1,
    numThreads: 2,
  };
}

/** Runs it; returns the data and output folders. */
export async function shortMrpcRun(): Promise<{ data: string; out: string }> {
  const data = mkdtempSync(join(tmpdir(), 'bert-api-mrpc-'));
  mrpcSlice(data);
  const out = join(data, 'out');
  await runClassifier(runOptions(data, out));
  return { data, out };
}
