// The real run_classifier.py output for MRPC (fixtures/tfrecord/run_classifier_mrpc_seq128, made by
// Google's code with the uncased vocab, do_lower_case=True, max_seq_length=128): every record whose
// pair needed no truncation must hold exactly [CLS] a [SEP] b [SEP] as tokenized here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeExample } from '../../src/formats/example.js';
import { readTFRecords } from '../../src/formats/tfrecord.js';
import { FullTokenizer } from '../../src/tokenization/full.js';
import { SHARED } from '../shared.js';

const MAX_SEQ_LENGTH = 128;
const tokenizer = FullTokenizer.fromFile(join(SHARED, 'vocab/uncased/vocab.txt'));

function pairIds(a: string, b: string): number[] {
  const tokens = ['[CLS]', ...tokenizer.tokenize(a), '[SEP]', ...tokenizer.tokenize(b), '[SEP]'];
  return tokenizer.convertTokensToIds(tokens);
}

function recordIds(payload: Uint8Array): number[] {
  const feature = decodeExample(payload).get('input_ids');
  if (feature?.kind !== 'int64') throw new Error('input_ids missing');
  const end = feature.values.indexOf(0);
  return feature.values.slice(0, end < 0 ? feature.values.length : end);
}

describe.each(['train', 'dev'])('MRPC %s.tsv against run_classifier records', (split) => {
  const rows = readFileSync(join(SHARED, `glue/MRPC/${split}.tsv`), 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l !== '')
    .map((l) => l.split('\t'));
  const file = split === 'train' ? 'train.tf_record' : 'eval.tf_record';
  const records = [
    ...readTFRecords(join(SHARED, 'fixtures/tfrecord/run_classifier_mrpc_seq128', file)),
  ];

  it('has one record per row', () => expect(records.length).toBe(rows.length));

  it('every untruncated record equals [CLS] a [SEP] b [SEP], id for id', () => {
    let compared = 0;
    rows.forEach((row, i) => {
      const ours = pairIds(row[3]!, row[4]!);
      const theirs = recordIds(records[i]!);
      if (ours.length >= MAX_SEQ_LENGTH) {
        expect(theirs.length, `row ${i + 1} (truncated)`).toBe(MAX_SEQ_LENGTH);
        return;
      }
      expect(ours, `row ${i + 1}`).toEqual(theirs);
      compared++;
    });
    expect(compared).toBeGreaterThan(rows.length * 0.95);
  });
});
