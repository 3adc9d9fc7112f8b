// run_classifier end to end at CI size: BERT-Tiny (the real uncased_L-2_H-128_A-2 config and
// uncased vocab) on the first 64 rows of the real MRPC train.tsv, 32 dev and 16 test rows;
// 8 steps of batch 8 on the wasm kernels with 2 threads. Checked: every output file and its
// format, that a run killed after a checkpoint and started again ends with byte-identical
// results, eval-only runs from a checkpoint, per-batch padding vs the original's padding, and
// the bad-input errors.
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import runClassifierScript from '../../src/cli/run_classifier.js';
import { readTFRecords } from '../../src/formats/tfrecord.js';
import { convertCheckpoint } from '../../src/formats/checkpoint/convert.js';
import { readEvents } from '../../src/formats/events.js';
import { readFeaturesTFRecord } from '../../src/data/classifier_tfrecord.js';
import {
  RUN_CLASSIFIER_DEFAULTS,
  runClassifier,
  type RunClassifierOptions,
} from '../../src/train/runners/run_classifier.js';
import { collectingLogger, silentLogger } from '../../src/util/log.js';
import { readModelFolder } from '../../src/api/model_folder.js';
import { REPO, SHARED } from '../shared.js';

const MRPC = join(SHARED, 'glue/MRPC');
const DATA = mkdtempSync(join(tmpdir(), 'bert-mrpc64-'));

function firstLines(file: string, n: number): string {
  return readFileSync(join(MRPC, file), 'utf8').split('\n').slice(0, n).join('\n') + '\n';
}

function options(outputDir: string, o: Partial<RunClassifierOptions> = {}): RunClassifierOptions {
  return {
    ...RUN_CLASSIFIER_DEFAULTS,
    taskName: 'MRPC',
    dataDir: DATA,
    vocabFile: join(SHARED, 'vocab/uncased/vocab.txt'),
    bertConfigFile: join(SHARED, 'configs/uncased_L-2_H-128_A-2/bert_config.json'),
    outputDir,
    doTrain: true,
    doEval: true,
    doPredict: true,
    trainBatchSize: 8,
    learningRate: 1e-4,
    numTrainEpochs: 1,
    saveCheckpointsSteps: 4,
    seed: 7,
    numThreads: 2,
    ...o,
  };
}

const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');
let FULL = '';

beforeAll(async () => {
  writeFileSync(join(DATA, 'train.tsv'), firstLines('train.tsv', 65)); // header + 64
  writeFileSync(join(DATA, 'dev.tsv'), firstLines('dev.tsv', 33));
  writeFileSync(join(DATA, 'test.tsv'), firstLines('test.tsv', 17));
  FULL = mkdtempSync(join(tmpdir(), 'bert-rc-full-'));
  await runClassifier(options(FULL));
});

describe('a full run (64 examples, 8 steps)', () => {
  it('writes the original files, checkpoints at 0, 4 and 8', () => {
    const files = readdirSync(FULL);
    for (const f of ['train.tf_record', 'eval.tf_record', 'predict.tf_record', 'checkpoint'])
      expect(files).toContain(f);
    for (const f of ['eval_results.txt', 'test_results.tsv', 'training_curve.svg'])
      expect(files).toContain(f);
    expect(files.filter((f) => f.endsWith('.index')).sort()).toEqual([
      'model.ckpt-0.index',
      'model.ckpt-4.index',
      'model.ckpt-8.index',
    ]);
    expect(read(FULL, 'checkpoint').split('\n')[0]).toBe('model_checkpoint_path: "model.ckpt-8"');
  });
  it('train.tf_record holds the 64 real examples (first: [CLS] = 101, label 1)', () => {
    const f = readFeaturesTFRecord(join(FULL, 'train.tf_record'));
    expect(f).toHaveLength(64);
    expect(f[0]!.inputIds[0]).toBe(101);
    expect(f[0]!.inputIds).toHaveLength(128);
    expect(f[0]!.labelId).toBe(1); // train.tsv row 1 starts with "1"
    expect([...readTFRecords(join(FULL, 'predict.tf_record'))]).toHaveLength(16);
  });
  it('eval_results.txt: sorted keys, numpy float32 text, global_step 8', () => {
    const lines = read(FULL, 'eval_results.txt').trimEnd().split('\n');
    expect(lines.map((l) => l.split(' = ')[0])).toEqual([
      'eval_accuracy',
      'eval_f1',
      'eval_loss',
      'global_step',
      'loss',
    ]);
    expect(lines[3]).toBe('global_step = 8');
    const acc = Number(lines[0]!.split(' = ')[1]);
    expect(Math.round(acc * 32)).toBeCloseTo(acc * 32, 4); // a count out of 32 dev examples
    const loss = Number(lines[2]!.split(' = ')[1]);
    expect(loss).toBeGreaterThan(0.3);
    expect(loss).toBeLessThan(1.2); // near ln 2 for a barely trained 2-class model
    // eval_loss (mean over examples) = loss (mean over 4 full batches of 8)
    expect(lines[4]!.split(' = ')[1]).toBe(lines[2]!.split(' = ')[1]);
  });
  it('test_results.tsv: 16 lines of two probabilities that sum to 1', () => {
    const lines = read(FULL, 'test_results.tsv').trimEnd().split('\n');
    expect(lines).toHaveLength(16);
    for (const l of lines) {
      const p = l.split('\t').map(Number);
      expect(p).toHaveLength(2);
      expect(p[0]! + p[1]!).toBeCloseTo(1, 6);
    }
  });
  it('events: loss and learning_rate at steps 0..7', () => {
    const ev = readdirSync(FULL).find((f) => f.startsWith('events.out.tfevents.'))!;
    const events = readEvents(join(FULL, ev));
    expect(events[0]!.fileVersion).toBe('brain.Event:2');
    const loss = events.filter((e) => e.scalars?.[0]?.tag === 'loss');
    expect(loss.map((e) => e.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const lr = events.filter((e) => e.scalars?.[0]?.tag === 'learning_rate');
    // int(8 · 0.1) = 0 warm-up steps: the first step already runs at 1e-4 (float32)
    expect(lr[0]!.scalars![0]!.value).toBe(Math.fround(1e-4));
    expect(lr[7]!.scalars![0]!.value).toBeCloseTo(1e-4 / 8, 10); // 1e-4 · (1 − 7/8)
    const evalEv = readdirSync(join(FULL, 'eval'));
    const evalTags = readEvents(join(FULL, 'eval', evalEv[0]!)).flatMap((e) => e.scalars ?? []);
    expect(evalTags.map((s) => s.tag).sort()).toEqual([
      'eval_accuracy',
      'eval_f1',
      'eval_loss',
      'loss',
    ]);
  });
  it('the plot holds the 8 training points', () => {
    const svg = read(FULL, 'training_curve.svg');
    const pts = svg.match(/points="([^"]*)"/)![1]!.split(' ');
    expect(pts).toHaveLength(8);
  });
});

describe('output_dir is a model folder', () => {
  it('holds bert_config.json and vocab.txt as given, and bert_ts.json with the labels', () => {
    const o = options(FULL);
    expect(read(FULL, 'bert_config.json')).toBe(readFileSync(o.bertConfigFile, 'utf8'));
    expect(read(FULL, 'vocab.txt')).toBe(readFileSync(o.vocabFile, 'utf8'));
    const folder = readModelFolder(FULL);
    expect(folder.weights).toBe(join(FULL, 'model.ckpt-8'));
    expect(folder.hasMeta).toBe(true);
    expect(folder.meta).toEqual({
      format: 'bert-ts-model',
      version: 1,
      task_name: 'mrpc',
      labels: ['0', '1'],
      is_regression: false,
      do_lower_case: true,
      max_seq_length: 128,
    });
  });
});

describe('kill and resume', () => {
  it('a run stopped after step 5 (last checkpoint 4) and re-run ends with the same files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bert-rc-resume-'));
    await runClassifier(options(dir, { stopAtStep: 5 }));
    expect(readdirSync(dir)).not.toContain('eval_results.txt');
    expect(read(dir, 'checkpoint').split('\n')[0]).toBe('model_checkpoint_path: "model.ckpt-4"');
    const log = collectingLogger();
    await runClassifier(options(dir, { logger: log }));
    expect(log.lines).toContain(`INFO:Restoring parameters from ${join(dir, 'model.ckpt-4')}`);
    const at = log.lines.indexOf(
      `INFO:***** Outputs (a model folder: Classifier.load('${dir}')) *****`,
    );
    expect(log.lines.slice(at + 1, at + 5)).toEqual([
      `INFO:  eval results: ${join(dir, 'eval_results.txt')}`,
      `INFO:  test predictions: ${join(dir, 'test_results.tsv')}`,
      `INFO:  checkpoint: ${join(dir, 'model.ckpt-8')}`,
      `INFO:  training curve: ${join(dir, 'training_curve.svg')}`,
    ]);
    expect(read(dir, 'eval_results.txt')).toBe(read(FULL, 'eval_results.txt'));
    expect(read(dir, 'test_results.tsv')).toBe(read(FULL, 'test_results.tsv'));
    expect(read(dir, 'training_curve.tsv')).toBe(read(FULL, 'training_curve.tsv'));
  });
});

describe('eval-only and predict-only runs', () => {
  it('from --init_checkpoint=OUT/model.ckpt-8 into a new output_dir: the same results', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bert-rc-eval-'));
    const log = collectingLogger();
    const ckpt = join(FULL, 'model.ckpt-8');
    await runClassifier(options(dir, { doTrain: false, initCheckpoint: ckpt, logger: log }));
    expect(read(dir, 'eval_results.txt')).toBe(read(FULL, 'eval_results.txt'));
    expect(read(dir, 'test_results.tsv')).toBe(read(FULL, 'test_results.tsv'));
    expect(log.lines).toContain(
      'INFO:  name = output_weights:0, shape = (2, 128), *INIT_FROM_CKPT*',
    );
  });
  it('from a checkpoint without a classifier head: a warning names the missing tensors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bert-rc-nohead-'));
    const log = collectingLogger();
    const initCheckpoint = join(REPO, 'models/uncased_L-2_H-128_A-2_brown/bert_model.ckpt');
    await runClassifier(
      options(dir, { doTrain: false, doPredict: false, initCheckpoint, logger: log }),
    );
    const warnings = log.lines.filter((l) => l.startsWith('WARNING:'));
    expect(warnings).toEqual([
      `WARNING:${initCheckpoint}: no classifier head (output_weights, output_bias missing): eval/predict use a random, untrained head, so their results mean nothing — fine-tune first (--do_train=true)`,
      // this random head happens to score 20 of 32 with mixed answers
      "WARNING:eval_accuracy 0.6250 equals the majority-class rate (20 of 32 dev examples are '1'): no better than answering '1' every time",
    ]);
  });
  it('from a fine-tuned checkpoint: no head warning; the last lines name the outputs and the majority class', async () => {
    const log = collectingLogger();
    const o = { doTrain: false, doPredict: false, initCheckpoint: join(FULL, 'model.ckpt-8') };
    const dir = mkdtempSync(join(tmpdir(), 'bert-rc-head-'));
    await runClassifier(options(dir, { ...o, logger: log }));
    const out = log.lines.slice(
      log.lines.indexOf(`INFO:***** Outputs (a model folder: Classifier.load('${dir}')) *****`),
    );
    expect(out).toEqual([
      `INFO:***** Outputs (a model folder: Classifier.load('${dir}')) *****`,
      `INFO:  eval results: ${join(dir, 'eval_results.txt')}`,
      // eval-only into a new output_dir: no checkpoint of its own, no curve
      "WARNING:eval_accuracy 0.6250 equals the majority-class rate (20 of 32 dev examples are '1') and every prediction is '1': the model has learned nothing beyond the most frequent label — start from a pre-trained checkpoint (--init_checkpoint=models/uncased_L-2_H-128_A-2_brown/bert_model.ckpt) or try another --learning_rate",
    ]);
  });
  it('from the same checkpoint converted to Hugging Face safetensors: the same results', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bert-rc-st-'));
    const st = join(dir, 'model.safetensors');
    convertCheckpoint(join(FULL, 'model.ckpt-8'), st, silentLogger);
    const out = join(dir, 'out');
    await runClassifier(options(out, { doTrain: false, doPredict: false, initCheckpoint: st }));
    // global_step is training state, not carried by safetensors: the metrics must agree
    const metrics = (d: string) => read(d, 'eval_results.txt').replace(/global_step = \d+\n/, '');
    expect(metrics(out)).toBe(metrics(FULL));
  });
  it('with --pad_to_max_seq_length (the original padding) the loss agrees to 1e-5', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bert-rc-pad-'));
    const ckpt = join(FULL, 'model.ckpt-8');
    const o = { doTrain: false, doPredict: false, initCheckpoint: ckpt, padToMaxSeqLength: true };
    await runClassifier(options(dir, o));
    const value = (d: string, k: string) =>
      Number(read(d, 'eval_results.txt').match(new RegExp(`${k} = (\\S+)`))![1]);
    expect(Math.abs(value(dir, 'eval_loss') - value(FULL, 'eval_loss'))).toBeLessThan(1e-5);
    expect(value(dir, 'eval_accuracy')).toBe(value(FULL, 'eval_accuracy'));
  });
});

describe('bad input', () => {
  it('max_seq_length above max_position_embeddings is refused before any output', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'bert-rc-bad-')), 'out');
    await expect(runClassifier(options(dir, { maxSeqLength: 513 }))).rejects.toThrow(
      'Cannot use sequence length 513 because the BERT model was only trained up to sequence length 512',
    );
    expect(() => readdirSync(dir)).toThrow(); // output_dir not even created
  });
  it('eval-only without any weights is refused like Estimator.evaluate, before any output', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'bert-rc-bad-')), 'out');
    await expect(runClassifier(options(dir, { doTrain: false }))).rejects.toThrow(
      `Could not find trained model in model_dir: ${dir}`,
    );
    expect(() => readdirSync(dir)).toThrow();
  });
  it('validate_case_matches_checkpoint runs: an uncased flag with a cased model is refused', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'bert-rc-bad-')), 'out');
    const initCheckpoint = '/models/cased_L-12_H-768_A-12/bert_model.ckpt';
    await expect(runClassifier(options(dir, { initCheckpoint }))).rejects.toThrow(
      /`cased_L-12_H-768_A-12` seems to be a cased model, so you should pass in `--do_lower_case=False`/,
    );
    expect(() => readdirSync(dir)).toThrow();
  });
  it.each([
    [{ trainBatchSize: 0 }, '--train_batch_size=0: must be at least 1'],
    [{ saveCheckpointsSteps: 0 }, '--save_checkpoints_steps=0: must be at least 1'],
    [{ warmupProportion: 1.5 }, '--warmup_proportion=1.5: must be in [0, 1]'],
    [{ maxSeqLength: 2 }, '--max_seq_length=2: must leave room for [CLS] and [SEP]'],
  ])('%j is refused: %s', async (bad, message) => {
    const dir = join(mkdtempSync(join(tmpdir(), 'bert-rc-bad-')), 'out');
    await expect(runClassifier(options(dir, bad))).rejects.toThrow(message);
    expect(() => readdirSync(dir)).toThrow();
  });
  it('no do_train/do_eval/do_predict is a usage error', async () => {
    const flags = {
      ...Object.fromEntries(
        Object.entries(runClassifierScript.flags).map(([k, s]) => [k, s.default]),
      ),
    } as Parameters<typeof runClassifierScript.main>[0];
    await expect(runClassifierScript.main(flags, [])).rejects.toThrow(
      /At least one of `do_train`, `do_eval` or `do_predict' must be True/,
    );
  });
  it('an unknown task names the known ones, before any output', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'bert-rc-bad-')), 'out');
    await expect(runClassifier(options(dir, { taskName: 'nope' }))).rejects.toThrow(
      /Task not found: nope; known tasks: cola, mnli/,
    );
    expect(() => readdirSync(dir)).toThrow();
  });
  it("an output_dir holding another model's checkpoint is refused, naming the tensor", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bert-rc-bad-'));
    for (const f of readdirSync(FULL).filter(
      (n) => n === 'checkpoint' || n.startsWith('model.ckpt-8'),
    ))
      copyFileSync(join(FULL, f), join(dir, f));
    // the MRPC checkpoint has output_weights [2, 128]; STS-B's regression head wants [1, 128]
    await expect(
      runClassifier(
        options(dir, {
          taskName: 'STS-B',
          dataDir: join(SHARED, 'glue/STS-B'),
          doTrain: false,
          doPredict: false,
        }),
      ),
    ).rejects.toThrow(
      /output_weights: shape \[2,128\] in the checkpoint, the model built from \S+bert_config.json has \[1,128\]/,
    );
  });
});
