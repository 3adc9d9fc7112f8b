// run_classifier on the other kinds of GLUE task, at CI size with the real files: CoLA (single
// sentences, no header in train/dev, Matthews correlation) and STS-B (sentence pairs, a
// regression head: Pearson/Spearman, one score per test line). 2 training steps each. MNLI
// (three classes) has no file in shared/data: its test builds MNLI-layout files from real MRPC
// sentence pairs with labels assigned in turn, to exercise the three-class path.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFeaturesTFRecord } from '../../src/data/classifier_tfrecord.js';
import { RUN_CLASSIFIER_DEFAULTS, runClassifier } from '../../src/train/runners/run_classifier.js';
import { SHARED } from '../shared.js';

function smallTask(task: string, lines: Record<string, number>): string {
  const dir = mkdtempSync(join(tmpdir(), `bert-${task}-`));
  for (const [file, n] of Object.entries(lines)) {
    const text = readFileSync(join(SHARED, 'glue', task, file), 'utf8');
    writeFileSync(join(dir, file), text.split('\n').slice(0, n).join('\n') + '\n');
  }
  return dir;
}

async function run(task: string, dataDir: string): Promise<string> {
  const outputDir = mkdtempSync(join(tmpdir(), `bert-${task}-out-`));
  await runClassifier({
    ...RUN_CLASSIFIER_DEFAULTS,
    taskName: task,
    dataDir,
    vocabFile: join(SHARED, 'vocab/uncased/vocab.txt'),
    bertConfigFile: join(SHARED, 'configs/uncased_L-2_H-128_A-2/bert_config.json'),
    outputDir,
    maxSeqLength: 64,
    doTrain: true,
    doEval: true,
    doPredict: true,
    trainBatchSize: 4,
    learningRate: 1e-4,
    numTrainEpochs: 1,
    seed: 3,
    numThreads: 2,
  });
  return outputDir;
}

const keys = (dir: string) =>
  readFileSync(join(dir, 'eval_results.txt'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => l.split(' = ')[0]);

describe('CoLA (single sentences)', () => {
  it('trains, reports eval_mcc, and predicts two probabilities per test sentence', async () => {
    // train/dev have no header (8 rows each); test has one (header + 6)
    const out = await run(
      'CoLA',
      smallTask('CoLA', { 'train.tsv': 8, 'dev.tsv': 8, 'test.tsv': 7 }),
    );
    expect(keys(out)).toEqual(['eval_accuracy', 'eval_loss', 'eval_mcc', 'global_step', 'loss']);
    const train = readFeaturesTFRecord(join(out, 'train.tf_record'));
    expect(train).toHaveLength(8);
    // a single sentence: segment ids all 0, and label 1 ("Our friends won't buy this analysis…")
    expect(train[0]!.segmentIds.every((s) => s === 0)).toBe(true);
    expect(train[0]!.labelId).toBe(1);
    const lines = readFileSync(join(out, 'test_results.tsv'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    for (const l of lines) expect(l.split('\t')).toHaveLength(2);
  });
});

describe('STS-B (regression)', () => {
  it('trains on scores, reports Pearson and Spearman, predicts one score per line', async () => {
    const out = await run(
      'STS-B',
      smallTask('STS-B', { 'train.tsv': 9, 'dev.tsv': 9, 'test.tsv': 5 }),
    );
    expect(keys(out)).toEqual([
      'eval_loss',
      'eval_pearson',
      'eval_spearman',
      'global_step',
      'loss',
    ]);
    const text = readFileSync(join(out, 'eval_results.txt'), 'utf8');
    expect(text).toContain('global_step = 2\n'); // int(8 / 4 · 1)
    const r = Number(text.match(/eval_pearson = (\S+)/)![1]);
    expect(Math.abs(r)).toBeLessThanOrEqual(1);
    const train = readFeaturesTFRecord(join(out, 'train.tf_record'));
    expect(train[0]!.labelId).toBeCloseTo(5.0, 6); // "A plane is taking off." pair, score 5.000
    const lines = readFileSync(join(out, 'test_results.tsv'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    for (const l of lines) expect(Number.isFinite(Number(l))).toBe(true);
  });
});

describe('MNLI layout (three classes)', () => {
  it('trains a 3-way head, reports accuracy only, predicts three probabilities per line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bert-mnli-'));
    const pairs = readFileSync(join(SHARED, 'glue/MRPC/train.tsv'), 'utf8')
      .split('\n')
      .slice(1, 21)
      .map((l) => l.split('\t'));
    const NLI = ['contradiction', 'entailment', 'neutral'];
    // index, promptID, pairID, genre, 4 parses, sentence1, sentence2, label1, gold_label
    const row = (i: number, p: string[], gold: boolean) =>
      [
        i,
        i,
        `${i}e`,
        'fiction',
        'x',
        'x',
        'x',
        'x',
        p[3],
        p[4],
        ...(gold ? [NLI[i % 3], NLI[i % 3]] : []),
      ].join('\t');
    const header = 'index\tpromptID\tpairID\tgenre\tp1\tp2\tp3\tp4\tsentence1\tsentence2';
    const file = (rows: string[][], gold: boolean) =>
      [header + (gold ? '\tlabel1\tgold_label' : ''), ...rows.map((p, i) => row(i, p, gold))].join(
        '\n',
      ) + '\n';
    writeFileSync(join(dir, 'train.tsv'), file(pairs.slice(0, 8), true));
    writeFileSync(join(dir, 'dev_matched.tsv'), file(pairs.slice(8, 14), true));
    writeFileSync(join(dir, 'test_matched.tsv'), file(pairs.slice(14, 20), false));
    const out = await run('MNLI', dir);
    expect(keys(out)).toEqual(['eval_accuracy', 'eval_loss', 'global_step', 'loss']);
    const acc = Number(
      readFileSync(join(out, 'eval_results.txt'), 'utf8').split('\n')[0]!.split(' = ')[1],
    );
    expect(acc * 6).toBeCloseTo(Math.round(acc * 6), 5); // k right out of 6
    const train = readFeaturesTFRecord(join(out, 'train.tf_record'));
    expect(train.map((f) => f.labelId)).toEqual([0, 1, 2, 0, 1, 2, 0, 1]);
    const lines = readFileSync(join(out, 'test_results.tsv'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    for (const l of lines) {
      const p = l.split('\t').map(Number);
      expect(p).toHaveLength(3);
      expect(p[0]! + p[1]! + p[2]!).toBeCloseTo(1, 6);
    }
  });
});
