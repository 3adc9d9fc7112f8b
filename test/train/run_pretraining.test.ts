// run_pretraining end to end at CI size: BERT-Tiny (the real uncased_L-2_H-128_A-2 config) on
// Google's own tf_examples.tfrecord (create_pretraining_data on sample_text.txt, 60 records),
// 4 steps of batch 8 on the wasm kernels with 2 threads, eval over 3 batches. Checked: the
// checkpoint holds exactly the 139 tensors (names, dtypes, shapes) of the real TF run's
// model.ckpt-20 (EXPECTED_index_listing.tsv), eval_results.txt's keys and ranges, the events,
// that a run killed after a checkpoint and started again ends with identical files, an eval-only
// run from --init_checkpoint, per-batch padding vs the original's, and the bad-input errors.
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import runPretrainingScript from '../../src/cli/run_pretraining.js';
import { openCheckpoint } from '../../src/formats/checkpoint/source.js';
import { readEvents } from '../../src/formats/events.js';
import {
  runPretraining,
  type RunPretrainingOptions,
} from '../../src/train/runners/run_pretraining.js';
import { collectingLogger, silentLogger } from '../../src/util/log.js';
import { readListing } from '../formats/checkpoint_listing.js';
import { REPO, SHARED } from '../shared.js';

const RECORDS = join(
  SHARED,
  'fixtures/tfrecord/create_pretraining_data_sample_text/tf_examples.tfrecord',
);

function options(outputDir: string, o: Partial<RunPretrainingOptions> = {}): RunPretrainingOptions {
  return {
    inputFiles: [RECORDS],
    outputDir,
    doTrain: true,
    doEval: true,
    bertConfigFile: join(SHARED, 'configs/uncased_L-2_H-128_A-2/bert_config.json'),
    initCheckpoint: null,
    maxSeqLength: 128,
    maxPredictionsPerSeq: 20,
    trainBatchSize: 8,
    evalBatchSize: 8,
    learningRate: 1e-3,
    numTrainSteps: 4,
    numWarmupSteps: 1,
    saveCheckpointsSteps: 2,
    maxEvalSteps: 3,
    seed: 7,
    numThreads: 2,
    padToMaxSeqLength: false,
    logger: silentLogger,
    bar: null,
    ...o,
  };
}

const read = (dir: string, f: string) => readFileSync(join(dir, f), 'utf8');
const value = (dir: string, key: string) =>
  Number(read(dir, 'eval_results.txt').match(new RegExp(`^${key} = (\\S+)$`, 'm'))![1]);
let FULL = '';
// The shipped model scores 7.50 here (eval over 3 batches of sample_text); random init ≈ 10.2.
const MLM_LOSS_BOUND = 8;

beforeAll(async () => {
  FULL = mkdtempSync(join(tmpdir(), 'bert-rp-full-'));
  await runPretraining(options(FULL));
});

describe('a full run (4 steps of 8 records, eval 3 batches)', () => {
  it('checkpoints at 0, 2 and 4 with the 139 tensors of the real TF run (names, dtypes, shapes)', () => {
    const files = readdirSync(FULL).filter((f) => f.endsWith('.index'));
    expect(files.sort()).toEqual([
      'model.ckpt-0.index',
      'model.ckpt-2.index',
      'model.ckpt-4.index',
    ]);
    const tf = readListing().get(
      'tf_checkpoint/bert_tiny_pretrain_sample_text/model.ckpt-20.index',
    )!;
    const want = tf.rows.map((r) => `${r.key} ${r.dtype} [${r.shape.join(',')}]`);
    const src = openCheckpoint(join(FULL, 'model.ckpt-4'));
    const got = src
      .names()
      .map((n) => `${n} ${src.info(n).dtype} [${src.info(n).shape.join(',')}]`);
    expect(Number(src.readTensor('global_step').data[0])).toBe(4);
    src.close();
    expect(want).toHaveLength(139);
    expect(got).toEqual(want);
  });
  it('eval_results.txt: the six keys, global_step 4, losses near ln V + ln 2', () => {
    const keys = read(FULL, 'eval_results.txt')
      .trimEnd()
      .split('\n')
      .map((l) => l.split(' = ')[0]);
    expect(keys).toEqual([
      'global_step',
      'loss',
      'masked_lm_accuracy',
      'masked_lm_loss',
      'next_sentence_accuracy',
      'next_sentence_loss',
    ]);
    expect(value(FULL, 'global_step')).toBe(4);
    // 4 steps from random init: the MLM loss is still near ln 30522 = 10.33, NSP near ln 2.
    expect(value(FULL, 'masked_lm_loss')).toBeGreaterThan(9);
    expect(value(FULL, 'masked_lm_loss')).toBeLessThan(10.6);
    expect(Math.abs(value(FULL, 'next_sentence_loss') - Math.LN2)).toBeLessThan(0.1);
    // loss = mean of the batches' MLM + NSP; the weighted MLM mean differs only by batch weights
    const sum = value(FULL, 'masked_lm_loss') + value(FULL, 'next_sentence_loss');
    expect(Math.abs(value(FULL, 'loss') - sum)).toBeLessThan(0.05);
    // 24 eval records: the NSP accuracy is a count out of 24
    const nsp = value(FULL, 'next_sentence_accuracy') * 24;
    expect(Math.abs(nsp - Math.round(nsp))).toBeLessThan(1e-4);
  });
  it('events: loss, learning_rate, masked_lm_loss, next_sentence_loss per step; eval scalars', () => {
    const ev = readdirSync(FULL).find((f) => f.startsWith('events.out.tfevents.'))!;
    const scalars = readEvents(join(FULL, ev)).flatMap((e) =>
      (e.scalars ?? []).map((s) => ({ tag: s.tag, step: e.step, value: s.value })),
    );
    for (const tag of ['loss', 'learning_rate', 'masked_lm_loss', 'next_sentence_loss'])
      expect(scalars.filter((s) => s.tag === tag).map((s) => s.step)).toEqual([0, 1, 2, 3]);
    const lr = scalars.filter((s) => s.tag === 'learning_rate').map((s) => s.value);
    // warm-up 1 step: 0 at step 0, then 1e-3·(1 − step/4)
    expect(lr).toEqual([0, Math.fround(7.5e-4), Math.fround(5e-4), Math.fround(2.5e-4)]);
    const evalEv = readdirSync(join(FULL, 'eval'))[0]!;
    const evalTags = readEvents(join(FULL, 'eval', evalEv)).flatMap((e) => e.scalars ?? []);
    expect(evalTags.map((s) => s.tag).sort()).toEqual([
      'loss',
      'masked_lm_accuracy',
      'masked_lm_loss',
      'next_sentence_accuracy',
      'next_sentence_loss',
    ]);
  });
});

describe('kill and resume', () => {
  it('a run stopped after step 3 (last checkpoint 2) and re-run ends with the same files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bert-rp-resume-'));
    await runPretraining(options(dir, { stopAtStep: 3 }));
    expect(readdirSync(dir)).not.toContain('eval_results.txt');
    expect(read(dir, 'checkpoint').split('\n')[0]).toBe('model_checkpoint_path: "model.ckpt-2"');
    const log = collectingLogger();
    await runPretraining(options(dir, { logger: log }));
    expect(log.lines).toContain(`INFO:Restoring parameters from ${join(dir, 'model.ckpt-2')}`);
    expect(read(dir, 'eval_results.txt')).toBe(read(FULL, 'eval_results.txt'));
    expect(read(dir, 'training_curve.tsv')).toBe(read(FULL, 'training_curve.tsv'));
  });
});

describe('eval-only runs', () => {
  it('from --init_checkpoint=OUT/model.ckpt-4: the same eval results, cls/* restored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bert-rp-eval-'));
    const log = collectingLogger();
    const ckpt = join(FULL, 'model.ckpt-4');
    await runPretraining(options(dir, { doTrain: false, initCheckpoint: ckpt, logger: log }));
    expect(read(dir, 'eval_results.txt')).toBe(read(FULL, 'eval_results.txt'));
    expect(log.lines).toContain(
      'INFO:  name = cls/predictions/output_bias:0, shape = (30522,), *INIT_FROM_CKPT*',
    );
  });
  it('with --pad_to_max_seq_length (the original padding) the losses agree to 1e-5', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bert-rp-pad-'));
    const o = {
      doTrain: false,
      initCheckpoint: join(FULL, 'model.ckpt-4'),
      padToMaxSeqLength: true,
    };
    await runPretraining(options(dir, o));
    for (const key of ['loss', 'masked_lm_loss', 'next_sentence_loss'])
      expect(Math.abs(value(dir, key) - value(FULL, key))).toBeLessThan(1e-5);
    expect(value(dir, 'masked_lm_accuracy')).toBe(value(FULL, 'masked_lm_accuracy'));
  });
});

describe('the shipped models/uncased_L-2_H-128_A-2_brown', () => {
  it('loads all 46 weights and predicts sample_text masks far better than random init', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bert-rp-brown-'));
    const model = join(REPO, 'models/uncased_L-2_H-128_A-2_brown');
    const log = collectingLogger();
    const o = {
      doTrain: false,
      bertConfigFile: join(model, 'bert_config.json'),
      initCheckpoint: join(model, 'bert_model.ckpt'),
      logger: log,
    };
    await runPretraining(options(dir, o));
    expect(log.lines.filter((l) => l.endsWith('*INIT_FROM_CKPT*'))).toHaveLength(46);
    // random init: ≈ 10.2 (ln 30522 = 10.33); the 4-step FULL run is still above 9
    expect(value(dir, 'masked_lm_loss')).toBeLessThan(MLM_LOSS_BOUND);
    expect(value(dir, 'masked_lm_accuracy')).toBeGreaterThan(0.02);
  });
});

describe('bad input', () => {
  it('records of another max_seq_length: a FormatError naming the file, record and feature', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'bert-rp-bad-')), 'out');
    await expect(runPretraining(options(dir, { maxSeqLength: 64 }))).rejects.toThrow(
      `${RECORDS}: record 0: feature 'input_ids' has 128 values, expected 64`,
    );
  });
  it('max_predictions_per_seq that does not match the data', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'bert-rp-bad-')), 'out');
    await expect(runPretraining(options(dir, { maxPredictionsPerSeq: 10 }))).rejects.toThrow(
      `${RECORDS}: record 0: feature 'masked_lm_positions' has 20 values, expected 10`,
    );
  });
  it('a file that is not a TFRecord: the error names it, no output_dir is created', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'bert-rp-bad-')), 'out');
    const bogus = join(SHARED, 'text/sample_text.txt');
    await expect(runPretraining(options(dir, { inputFiles: [bogus] }))).rejects.toThrow(bogus);
    expect(existsSync(dir)).toBe(false);
  });
  it('an --init_checkpoint that does not exist: the error names it', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'bert-rp-bad-')), 'out');
    const missing = join(dir, 'nowhere', 'bert_model.ckpt');
    await expect(runPretraining(options(dir, { initCheckpoint: missing }))).rejects.toThrow(
      missing,
    );
  });
  it('neither do_train nor do_eval is a usage error', async () => {
    const flags = Object.fromEntries(
      Object.entries(runPretrainingScript.flags).map(([k, s]) => [k, s.default]),
    ) as Parameters<typeof runPretrainingScript.main>[0];
    await expect(runPretrainingScript.main(flags, [])).rejects.toThrow(
      'At least one of `do_train` or `do_eval` must be True.',
    );
  });
  it('the original flag defaults', () => {
    const d = (k: keyof typeof runPretrainingScript.flags) => runPretrainingScript.flags[k].default;
    expect([d('train_batch_size'), d('eval_batch_size'), d('learning_rate')]).toEqual([
      32, 8, 5e-5,
    ]);
    expect([d('num_train_steps'), d('num_warmup_steps'), d('save_checkpoints_steps')]).toEqual([
      100000, 10000, 1000,
    ]);
    expect([d('max_seq_length'), d('max_predictions_per_seq'), d('max_eval_steps')]).toEqual([
      128, 20, 100,
    ]);
  });
});
