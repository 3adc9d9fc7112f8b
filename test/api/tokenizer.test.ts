// Tokenizer.encode against Google's own run_classifier records (fixtures/tfrecord/
// run_classifier_mrpc_seq128: input_ids, input_mask, segment_ids of every MRPC train and dev
// pair, truncated ones included), loading by model folder, folder of a vocabulary, or file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Tokenizer } from '../../src/api/tokenizer.js';
import { readFeaturesTFRecord } from '../../src/data/classifier_tfrecord.js';
import { SHARED } from '../shared.js';
import { BROWN } from './mrpc_run.js';

const RECORDS = join(SHARED, 'fixtures/tfrecord/run_classifier_mrpc_seq128');

function mrpcPairs(split: string): [string, string][] {
  const rows = readFileSync(join(SHARED, `glue/MRPC/${split}.tsv`), 'utf8').split('\n');
  return rows
    .slice(1)
    .filter((r) => r !== '')
    .map((r) => r.split('\t'))
    .map((c) => [c[3]!, c[4]!]);
}

describe('Tokenizer', () => {
  it.each([
    ['train', 'train.tf_record'],
    ['dev', 'eval.tf_record'],
  ])(
    'encode(a, b, { maxSeqLength: 128, pad: true }) equals Google’s MRPC %s records',
    async (split, file) => {
      const tok = await Tokenizer.load(BROWN);
      const records = readFeaturesTFRecord(join(RECORDS, file), 128);
      const pairs = mrpcPairs(split);
      expect(records).toHaveLength(pairs.length);
      pairs.forEach(([a, b], i) => {
        const e = tok.encode(a, b, { maxSeqLength: 128, pad: true });
        expect([e.inputIds, e.inputMask, e.segmentIds]).toEqual([
          records[i]!.inputIds,
          records[i]!.inputMask,
          records[i]!.segmentIds,
        ]);
      });
    },
  );
  it('unpadded by default, truncated to the folder’s max_seq_length, tokens readable', async () => {
    const tok = await Tokenizer.load(BROWN);
    expect(tok.maxSeqLength).toBe(128);
    const e = tok.encode('The cat sat.', 'A cat was sitting.');
    expect(e.tokens).toEqual([
      '[CLS]',
      'the',
      'cat',
      'sat',
      '.',
      '[SEP]',
      'a',
      'cat',
      'was',
      'sitting',
      '.',
      '[SEP]',
    ]);
    expect(e.inputIds.slice(0, 3)).toEqual([101, 1996, 4937]);
    expect(e.segmentIds).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
    expect(e.inputMask.every((m) => m === 1)).toBe(true);
    expect(tok.encode('word '.repeat(500)).tokens).toHaveLength(128);
    expect(tok.encode('one two three four', null, { maxSeqLength: 4 }).tokens).toEqual([
      '[CLS]',
      'one',
      'two',
      '[SEP]',
    ]);
  });
  it('loads a vocab.txt file or a folder holding one; doLowerCase can be set', async () => {
    const vocab = join(SHARED, 'vocab/uncased/vocab.txt');
    const fromFile = await Tokenizer.load(vocab);
    expect(fromFile.tokenize('Hello World')).toEqual(['hello', 'world']);
    const folder = await Tokenizer.load(join(SHARED, 'vocab/uncased'));
    expect(folder.doLowerCase).toBe(true);
    const cased = await Tokenizer.load(vocab, { doLowerCase: false });
    expect(cased.tokenize('Hello')).toEqual(['[UNK]']);
  });
  it('bad input is a UsageError (a length over the model a ConfigError) naming it', async () => {
    const tok = await Tokenizer.load(BROWN);
    expect(() => tok.encode('')).toThrow(
      'Tokenizer.encode: textA must be a non-empty string, got ""',
    );
    expect(() => tok.encode('a', 3 as never)).toThrow(
      'Tokenizer.encode: textB must be a non-empty string, got number',
    );
    expect(() => tok.encode('a', null, { maxSeqLength: 2 })).toThrow(
      'maxSeqLength must be an integer in [3,',
    );
    // a model folder's tokenizer knows the model's positions (bert_config.json: 512)
    expect(() => tok.encode('a', null, { maxSeqLength: 513 })).toThrow(
      "maxSeqLength 513 is over the model's limit: bert_config.json's max_position_embeddings is 512",
    );
    expect(tok.encode('a', null, { maxSeqLength: 512 }).tokens).toEqual(['[CLS]', 'a', '[SEP]']);
    // a bare vocabulary has no model, so no position limit
    const vocabOnly = await Tokenizer.load(join(SHARED, 'vocab/uncased/vocab.txt'));
    expect(vocabOnly.encode('a', null, { maxSeqLength: 4096 }).inputIds).toEqual([101, 1037, 102]);
    await expect(Tokenizer.load('/nonexistent')).rejects.toThrow(
      '/nonexistent: no such file or folder',
    );
    await expect(Tokenizer.load(SHARED)).rejects.toThrow(`${SHARED}: no vocab.txt`);
  });
});
