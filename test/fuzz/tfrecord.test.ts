// Fuzzing the TFRecord feature readers with seeded mutations of Google's own files: run_pretraining
// (in-process CLI) on create_pretraining_data's tf_examples.tfrecord, and the run_classifier
// record reader on Google's MRPC eval.tf_record. Framing damage (truncation, flipped bits, length
// fields) must be refused naming the file, record and byte; records with valid crcs but damaged
// payloads or out-of-range values naming the record (and feature); nothing may be left in
// output_dir; an intact file runs clean.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFeaturesTFRecord } from '../../src/data/classifier_tfrecord.js';
import { SHARED } from '../shared.js';
import {
  CASE_TIMEOUT,
  expectClean,
  expectRefused,
  fileWith,
  filesIn,
  MODEL_CKPT,
  MODEL_CONFIG,
  type Outcome,
  runBert,
  tempDir,
} from './harness.js';
import {
  expectRecordOrClean,
  framingCases,
  itRefusesDamage,
  payloadCases,
  readOutcome,
  withValue,
} from './records.js';

const TFRECORDS = join(SHARED, 'fixtures/tfrecord');
const PRETRAIN = join(TFRECORDS, 'create_pretraining_data_sample_text/tf_examples.tfrecord');
const CLASSIFIER = join(TFRECORDS, 'run_classifier_mrpc_seq128/eval.tf_record');

describe('fuzz: run_pretraining --input_file (tf_examples.tfrecord)', () => {
  const real = new Uint8Array(readFileSync(PRETRAIN));
  /** run_pretraining eval-only on `input`; returns the outcome and output_dir. */
  async function pretrain(input: string): Promise<{ o: Outcome; out: string }> {
    const out = join(tempDir('rp'), 'out');
    const o = await runBert([
      'run_pretraining',
      `--bert_config_file=${MODEL_CONFIG}`,
      `--input_file=${input}`,
      `--output_dir=${out}`,
      `--init_checkpoint=${MODEL_CKPT}`,
      '--do_eval=true',
      '--max_eval_steps=1',
      '--eval_batch_size=2',
      '--num_threads=1',
    ]);
    return { o, out };
  }
  async function refused(bytes: Uint8Array, place: RegExp | null): Promise<Outcome> {
    const input = fileWith('tf_examples.tfrecord', bytes);
    const { o, out } = await pretrain(input);
    if (place === null) return o;
    expectRefused(o, input, place);
    expect(existsSync(out), filesIn(out).join()).toBe(false); // not even output_dir
    return o;
  }

  it(
    'the intact file: a clean eval, eval_results.txt written',
    async () => {
      const { o, out } = await pretrain(fileWith('tf_examples.tfrecord', real));
      expectClean(o);
      expect(filesIn(out)).toContain('eval_results.txt');
    },
    CASE_TIMEOUT,
  );

  it.each(framingCases(real))(
    '%s',
    async (_name, bytes, place) => {
      const o = await refused(bytes, place);
      if (place === null) expectClean(o);
    },
    CASE_TIMEOUT,
  );

  it.each(payloadCases(real, 4))(
    '%s',
    async (_name, bytes, k) => {
      const input = fileWith('tf_examples.tfrecord', bytes);
      expectRecordOrClean((await pretrain(input)).o, input, k);
    },
    CASE_TIMEOUT,
  );

  it.each([
    ['input_ids', 5, 40000],
    ['input_ids', 0, -1],
    ['input_ids', 4, 2 ** 32 + 1996],
    ['masked_lm_ids', 2, 30522],
    ['masked_lm_positions', 1, 128],
    ['next_sentence_labels', 0, 2],
    ['segment_ids', 7, 2],
    ['input_mask', 7, 3],
  ])(
    'record 3: %s[%i] = %i',
    async (name, i, value) => {
      await refused(
        withValue(real, 3, name, i, value),
        new RegExp(`record 3: feature '${name}'\\[${i}\\] = ${value}, outside`),
      );
    },
    CASE_TIMEOUT,
  );

  it.each([
    ['an empty file', new Uint8Array(0), /no records in/],
    ['NUL bytes', new Uint8Array(100), /record 0 at byte 0/],
    ['text', new TextEncoder().encode('This is not a TFRecord.\n'), /record 0 at byte 0/],
  ])(
    '%s',
    async (_name, bytes, place) => {
      await refused(bytes, place);
    },
    CASE_TIMEOUT,
  );

  it(
    'a directory',
    async () => {
      const dir = join(tempDir('rp-dir'), 'tf_examples.tfrecord');
      mkdirSync(dir);
      const { o } = await pretrain(dir);
      expectRefused(o, dir, /is not a file|it is a directory/);
    },
    CASE_TIMEOUT,
  );
});

describe('fuzz: the run_classifier record reader (MRPC eval.tf_record)', () => {
  const real = new Uint8Array(readFileSync(CLASSIFIER));
  const LIMITS = { vocabSize: 30522, typeVocabSize: 2, configFile: 'bert_config.json' };
  function read(bytes: Uint8Array): { o: Outcome; path: string } {
    const path = fileWith('eval.tf_record', bytes);
    return { o: readOutcome(() => readFeaturesTFRecord(path, 128, LIMITS).length), path };
  }

  it('the intact file: 408 records', () => {
    expect(read(real).o).toEqual({ code: 0, stderr: '', stdout: '408' });
  });

  itRefusesDamage(real, read);

  it.each([
    ['input_ids', 3, 30522],
    ['input_ids', 0, 2 ** 32 + 1996],
    ['segment_ids', 9, 2],
    ['input_mask', 1, 2],
    ['is_real_example', 0, 5],
  ])('record 7: %s[%i] = %i', (name, i, value) => {
    const { o, path } = read(withValue(real, 7, name, i, value));
    expectRefused(o, path, new RegExp(`record 7: feature '${name}'\\[${i}\\] = ${value}, outside`));
  });
});
