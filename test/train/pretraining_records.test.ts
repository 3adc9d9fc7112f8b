// run_pretraining's record decoder checks every value where the record is decoded: a bad value in
// a record with valid crcs is reported with the file, the record number and the feature, instead
// of a kernel's batch coordinates later (or, for int64 values beyond int32, a silent wrap-around).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeExample, encodeExample, intFeature } from '../../src/formats/example.js';
import { readTFRecords, TFRecordWriter } from '../../src/formats/tfrecord.js';
import { readPretrainingRecords } from '../../src/train/runners/pretraining_data.js';
import { SHARED } from '../shared.js';

const RECORDS = join(
  SHARED,
  'fixtures/tfrecord/create_pretraining_data_sample_text/tf_examples.tfrecord',
);
const LIMITS = { vocabSize: 30522, typeVocabSize: 2, configFile: 'bert_config.json' };

/** Google's 60 records with feature `name`[index] of record 3 set to `value` (crcs valid). */
function withValue(name: string, index: number, value: number): string {
  const path = join(mkdtempSync(join(tmpdir(), 'bert-prec-')), 'tf_examples.tfrecord');
  const w = new TFRecordWriter(path);
  [...readTFRecords(RECORDS)].forEach((bytes, n) => {
    if (n !== 3) return w.write(bytes);
    const ex = decodeExample(bytes);
    const f = ex.get(name)!;
    const values = [...(f.values as number[])];
    values[index] = value;
    ex.set(name, intFeature(values));
    w.write(encodeExample(ex));
  });
  w.close();
  return path;
}

describe('readPretrainingRecords: every value checked, naming file, record and feature', () => {
  it("Google's records pass the checks against BERT-Base's tables", () => {
    const t = readPretrainingRecords([RECORDS], 128, 20, LIMITS);
    expect(t.count).toBe(60);
  });

  it.each([
    ['input_ids', 5, 40000, 'outside [0, 30522) (vocab_size 30522 of bert_config.json)'],
    ['input_ids', 0, -1, 'outside [0, 30522)'],
    ['masked_lm_ids', 2, 30522, 'outside [0, 30522) (vocab_size 30522 of bert_config.json)'],
    ['masked_lm_positions', 1, 128, 'outside [0, 128) (max_seq_length 128)'],
    ['next_sentence_labels', 0, 2, 'outside [0, 2) (0 or 1)'],
    ['segment_ids', 7, 2, 'outside [0, 2) (type_vocab_size 2 of bert_config.json)'],
    ['input_mask', 7, 3, 'outside [0, 2) (0 or 1)'],
    ['input_ids', 4, 2 ** 32 + 1996, 'outside [-2147483648, 2147483648) (int32)'],
  ])('%s[%i] = %i is refused', (name, index, value, why) => {
    const path = withValue(name, index, value);
    expect(() => readPretrainingRecords([path], 128, 20, LIMITS)).toThrow(
      `${path}: record 3: feature '${name}'[${index}] = ${value}, ${why}`,
    );
  });
});
