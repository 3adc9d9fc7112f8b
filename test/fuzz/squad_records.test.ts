// Fuzzing run_squad's record reader (readSquadRecords: what run_squad reads back from its
// train.tf_record and eval.tf_record) with seeded mutations of a record file written by run_squad's
// own writer (SquadFeatureWriter) from the first paragraph of the real dev-v1.1.json: framing
// damage refused naming the file, record and byte; payloads damaged under valid crcs and values
// out of range (ints past int32, ids outside the config's tables, a mask or is_impossible other
// than 0/1, answer positions outside the sequence) refused naming the file, record and feature.
// No script reads a record file it did not just write (run_squad always rewrites them), so the
// reader is called directly, its errors reported as the CLI would.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSquadExamples } from '../../src/data/squad/examples.js';
import { convertExamplesToFeatures, type SquadFeatures } from '../../src/data/squad/features.js';
import { readSquadFile } from '../../src/data/squad/squad_json.js';
import { readSquadRecords, SquadFeatureWriter } from '../../src/data/squad/squad_tfrecord.js';
import { FullTokenizer } from '../../src/tokenization/full.js';
import { silentLogger } from '../../src/util/log.js';
import { SHARED } from '../shared.js';
import { expectClean, expectRefused, fileWith, type Outcome, tempDir, VOCAB } from './harness.js';
import { itRefusesDamage, readOutcome, withValue } from './records.js';

const T = 64;
const LIMITS = { vocabSize: 30522, typeVocabSize: 2, configFile: 'bert_config.json' };

interface Question {
  readonly answers: unknown[];
}

/** The first paragraph of dev-v1.1.json, every question with its first answer, as training data. */
function paragraphFile(): string {
  const dev = JSON.parse(readFileSync(join(SHARED, 'squad/v1.1/dev-v1.1.json'), 'utf8'));
  const article = dev.data[0];
  const p = article.paragraphs[0];
  const qas = p.qas.map((q: Question) => ({ ...q, answers: q.answers.slice(0, 1) }));
  const data = [{ title: article.title, paragraphs: [{ context: p.context, qas }] }];
  return fileWith('train.json', JSON.stringify({ version: '1.1', data }));
}

/** run_squad's train.tf_record of that paragraph (64-token windows), and the features in it. */
function writeTrainRecords(): { bytes: Uint8Array; features: SquadFeatures[] } {
  const examples = readSquadExamples(readSquadFile(paragraphFile()), true, false, silentLogger);
  const writer = new SquadFeatureWriter(join(tempDir('sq-rec'), 'train.tf_record'), true);
  const features: SquadFeatures[] = [];
  const options = { maxSeqLength: T, docStride: 32, maxQueryLength: 16, isTraining: true };
  const tokenizer = FullTokenizer.fromFile(VOCAB, true);
  const keep = (f: SquadFeatures) => {
    features.push(f);
    writer.processFeature(f);
  };
  convertExamplesToFeatures(examples, tokenizer, options, keep, silentLogger);
  writer.close();
  return { bytes: new Uint8Array(readFileSync(writer.path)), features };
}

/** readSquadRecords of `bytes` (named train.tf_record) as training records. */
function read(bytes: Uint8Array, isTraining = true): { o: Outcome; path: string } {
  const path = fileWith('train.tf_record', bytes);
  return { o: readOutcome(() => readSquadRecords(path, T, isTraining, LIMITS).count), path };
}

describe('fuzz: the run_squad record reader (train.tf_record of dev-v1.1 paragraph 1)', () => {
  const { bytes: real, features } = writeTrainRecords();

  it('the intact file: every window read back as written', () => {
    const path = fileWith('train.tf_record', real);
    const t = readSquadRecords(path, T, true, LIMITS);
    expect(t.count).toBe(features.length);
    expect(t.count).toBeGreaterThan(20);
    const k = features.length - 1;
    expect([...t.inputIds.subarray(k * T, (k + 1) * T)]).toEqual(features[k]!.inputIds);
    expect([t.uniqueIds[k], t.startPositions[k], t.endPositions[k]]).toEqual([
      features[k]!.uniqueId,
      features[k]!.startPosition,
      features[k]!.endPosition,
    ]);
    expect(read(real, false).o).toEqual({ code: 0, stderr: '', stdout: String(t.count) });
  });

  itRefusesDamage(real, read);

  it.each([
    ['input_ids', 5, 30522, /vocab_size 30522 of bert_config.json/],
    ['input_ids', 0, -1, /vocab_size/],
    ['input_ids', 3, 2 ** 32 + 1996, /int32/],
    ['segment_ids', 40, 2, /type_vocab_size 2 of bert_config.json/],
    ['input_mask', 1, 2, /0 or 1/],
    ['start_positions', 0, T, /max_seq_length 64/],
    ['end_positions', 0, -1, /max_seq_length 64/],
    ['is_impossible', 0, 3, /0 or 1/],
    ['unique_ids', 0, 2 ** 40, null],
  ])('record 4: %s[%i] = %i', (name, i, value, why) => {
    const { o, path } = read(withValue(real, 4, name, i, value));
    if (why === null) return expectClean(o); // an id only: any int64 is one
    const line = expectRefused(
      o,
      path,
      new RegExp(`record 4: feature '${name}'\\[${i}\\] = ${value}, outside`),
    );
    expect(line).toMatch(why);
  });

  it('records of another max_seq_length', () => {
    const path = fileWith('train.tf_record', real);
    const o = readOutcome(() => readSquadRecords(path, 128, true, LIMITS).count);
    expectRefused(o, path, /record 0: feature 'input_ids' has 64 values, expected 128/);
  });

  it('prediction records read as training records: no answer positions', () => {
    const eval_ = join(tempDir('sq-eval'), 'eval.tf_record');
    const writer = new SquadFeatureWriter(eval_, false);
    for (const f of features.slice(0, 3)) writer.processFeature(f);
    writer.close();
    const o = readOutcome(() => readSquadRecords(eval_, T, true, LIMITS).count);
    expectRefused(o, eval_, /record 0: no feature 'start_positions'/);
  });

  it('a directory', () => {
    const dir = join(tempDir('sq-dir'), 'train.tf_record');
    mkdirSync(dir);
    const o = readOutcome(() => readSquadRecords(dir, T, true, LIMITS).count);
    expectRefused(o, dir, /is not a file|it is a directory/);
  });
});
