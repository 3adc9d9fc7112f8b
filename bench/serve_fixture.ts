// A small real classifier folder for the server's tests and load test: run_classifier on the
// first rows of MRPC's train.tsv (shipped in data/glue/MRPC) from the shipped Brown BERT-Tiny, a
// few steps, so the head is trained (not the untrained head the library refuses) and the folder
// is what a user's run_classifier output_dir is. MRPC dev pairs are the texts sent to it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataDir, pretrainedModelPath } from '../src/api/assets.js';
import { getProcessor } from '../src/data/glue/registry.js';
import { RUN_CLASSIFIER_DEFAULTS, runClassifier } from '../src/train/runners/run_classifier.js';

const MRPC = join(dataDir, 'glue', 'MRPC');
const BROWN = pretrainedModelPath('uncased_L-2_H-128_A-2_brown');

/** Fine-tunes on MRPC's first `rows` training pairs (batch 8, one epoch) into a new folder. */
export function shortMrpcRun(rows = 64, numThreads = 2): Promise<string> {
  return shortRun('MRPC', join(MRPC, 'train.tsv'), rows, numThreads);
}

/** run_classifier's `taskName` on the first `rows` rows of `trainTsv` (batch 8, one epoch). */
export async function shortRun(
  taskName: string,
  trainTsv: string,
  rows: number,
  numThreads: number,
): Promise<string> {
  const data = mkdtempSync(join(tmpdir(), `bert-serve-${taskName.toLowerCase()}-`));
  const lines = readFileSync(trainTsv, 'utf8').split('\n');
  writeFileSync(join(data, 'train.tsv'), lines.slice(0, rows + 1).join('\n') + '\n');
  const outputDir = join(data, 'model');
  await runClassifier({
    ...RUN_CLASSIFIER_DEFAULTS,
    taskName,
    dataDir: data,
    vocabFile: join(BROWN, 'vocab.txt'),
    bertConfigFile: join(BROWN, 'bert_config.json'),
    initCheckpoint: join(BROWN, 'bert_model.ckpt'),
    outputDir,
    doTrain: true,
    trainBatchSize: 8,
    learningRate: 1e-4,
    numTrainEpochs: 1,
    seed: 1,
    numThreads,
  });
  return outputDir;
}

/** MRPC dev pairs as the server's JSON instances. */
export function mrpcDevPairs(n: number): { text_a: string; text_b?: string }[] {
  return getProcessor('mrpc')
    .getDevExamples(MRPC)
    .slice(0, n)
    .map((e) => (e.textB === null ? { text_a: e.textA } : { text_a: e.textA, text_b: e.textB }));
}
