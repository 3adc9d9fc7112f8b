// Fuzzing the TFRecord feature readers with seeded mutations of Google's own files: run_pretraining
// (in-process CLI) on create_pretraining_data's tf_examples.tfrecord, and the run_classifier
// record reader on Google's MRPC eval.tf_record. Framing damage (truncation, flipped bits, length
// fields) must be refused naming the file, record and byte; records with valid crcs but damaged
// payloads or out-of-range values naming the record (and feature); nothing may be left in
// output_dir; an intact file runs clean.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorReport } from '../../src/cli/main.js';
import { readFeaturesTFRecord } from '../../src/data/classifier_tfrecord.js';
import { maskedCrc32c } from '../../src/formats/crc32c.js';
import { decodeExample, encodeExample, intFeature } from '../../src/formats/example.js';
import { frameRecord } from '../../src/formats/tfrecord.js';
import { SHARED } from '../shared.js';
import {
  CASE_TIMEOUT,
  expectClean,
  expectCleanOrRefused,
  expectRefused,
  fileWith,
  filesIn,
  MODEL_CKPT,
  MODEL_CONFIG,
  Mutator,
  type Outcome,
  runBert,
  seeds,
  tempDir,
} from './harness.js';

const TFRECORDS = join(SHARED, 'fixtures/tfrecord');
const PRETRAIN = join(TFRECORDS, 'create_pretraining_data_sample_text/tf_examples.tfrecord');
const CLASSIFIER = join(TFRECORDS, 'run_classifier_mrpc_seq128/eval.tf_record');

/** The byte offset where each record starts, and the file's length last. */
function recordStarts(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const starts = [0];
  for (let at = 0; at < bytes.length; starts.push(at))
    at += 16 + Number(view.getBigUint64(at, true));
  return starts;
}

function payloadOf(bytes: Uint8Array, k: number): Uint8Array {
  const s = recordStarts(bytes);
  return bytes.slice(s[k]! + 12, s[k + 1]! - 4);
}

/** The file with record k's payload replaced (framed with valid crcs). */
function replaceRecord(bytes: Uint8Array, k: number, payload: Uint8Array): Uint8Array {
  const s = recordStarts(bytes);
  return Buffer.concat([bytes.subarray(0, s[k]), frameRecord(payload), bytes.subarray(s[k + 1])]);
}

/** Record k with feature `name`[i] = value, re-encoded with valid crcs. */
function withValue(bytes: Uint8Array, k: number, name: string, i: number, value: number) {
  const ex = decodeExample(payloadOf(bytes, k));
  const values = [...(ex.get(name)!.values as number[])];
  values[i] = value;
  ex.set(name, intFeature(values));
  return replaceRecord(bytes, k, encodeExample(ex));
}

/** A mutated file, and what its refusal must match (null: the file is still valid). */
type Case = [name: string, bytes: Uint8Array, place: RegExp | null];

/** Framing damage: truncation, bit flips, a length field (with a valid crc) past the end. */
function framingCases(bytes: Uint8Array): Case[] {
  const starts = recordStarts(bytes);
  const cases: Case[] = [];
  for (const seed of seeds(6)) {
    const cut = new Mutator(seed).truncate(bytes);
    const onBoundary = starts.includes(cut.length); // a valid, shorter file
    cases.push([`truncated, seed ${seed}`, cut, onBoundary ? null : /record \d+ at byte \d+/]);
  }
  for (const seed of seeds(6, 100))
    cases.push([`bit flip, seed ${seed}`, new Mutator(seed).flip(bytes), /record \d+ at byte \d+/]);
  for (const seed of seeds(2, 200)) {
    const k = new Mutator(seed).int(starts.length - 1);
    const out = bytes.slice();
    const view = new DataView(out.buffer);
    view.setBigUint64(starts[k]!, 1n << 40n, true);
    view.setUint32(starts[k]! + 8, maskedCrc32c(out.subarray(starts[k], starts[k]! + 8)), true);
    const place = new RegExp(`record ${k} at byte ${starts[k]}: record of \\d+ bytes runs past`);
    cases.push([`length field 2^40 in record ${k}, seed ${seed}`, out, place]);
  }
  return cases;
}

/** Payloads damaged under valid crcs: refused naming the record, or still a valid record. */
function payloadCases(bytes: Uint8Array, count: number): [string, Uint8Array, number][] {
  const n = recordStarts(bytes).length - 1;
  return seeds(count, 300).map((seed) => {
    const m = new Mutator(seed);
    const k = m.int(n);
    return [
      `damaged payload of record ${k}, seed ${seed}`,
      replaceRecord(bytes, k, m.flip(payloadOf(bytes, k))),
      k,
    ];
  });
}

/** Refused naming record k, or (a change the schema cannot see) a clean run. */
function expectRecordOrClean(o: Outcome, file: string, k: number): void {
  expectCleanOrRefused(o, file, new RegExp(`record ${k}\\b`));
}

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
    try {
      const n = readFeaturesTFRecord(path, 128, LIMITS).length;
      return { o: { code: 0, stderr: '', stdout: String(n) }, path };
    } catch (e) {
      const { text, exitCode } = errorReport(e);
      return { o: { code: exitCode, stderr: text, stdout: '' }, path };
    }
  }

  it('the intact file: 408 records', () => {
    expect(read(real).o).toEqual({ code: 0, stderr: '', stdout: '408' });
  });

  it.each(framingCases(real))('%s', (_name, bytes, place) => {
    const { o, path } = read(bytes);
    if (place === null) expectClean(o);
    else expectRefused(o, path, place);
  });

  it.each(payloadCases(real, 6))('%s', (_name, bytes, k) => {
    const { o, path } = read(bytes);
    expectRecordOrClean(o, path, k);
  });

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
