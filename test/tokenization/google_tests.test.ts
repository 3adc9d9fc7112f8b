// tokenization_test.py (google-research/bert) assertion by assertion (REFERENCE.md §1.10), plus the
// first MRPC dev pair against the ids the reference run feeds the model. Exact equality throughout.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BasicTokenizer } from '../../src/tokenization/basic.js';
import { isControl, isPunctuation, isWhitespace } from '../../src/tokenization/char_classes.js';
import { FullTokenizer } from '../../src/tokenization/full.js';
import { Vocab } from '../../src/tokenization/vocab.js';
import { WordpieceTokenizer } from '../../src/tokenization/wordpiece.js';
import { SHARED } from '../shared.js';
import { readFileSync } from 'node:fs';

const TEST_VOCAB = [
  '[UNK]',
  '[CLS]',
  '[SEP]',
  'want',
  '##want',
  '##ed',
  'wa',
  'un',
  'runn',
  '##ing',
];
const cp = (c: string): number => c.codePointAt(0)!;

describe('tokenization_test.py', () => {
  it('test_full_tokenizer', () => {
    const tokenizer = new FullTokenizer(new Vocab([...TEST_VOCAB, ',']));
    const tokens = tokenizer.tokenize('UNwant\u00E9d,running');
    expect(tokens).toEqual(['un', '##want', '##ed', ',', 'runn', '##ing']);
    expect(tokenizer.convertTokensToIds(tokens)).toEqual([7, 4, 5, 10, 8, 9]);
  });

  it('test_chinese', () => {
    expect(new BasicTokenizer().tokenize('ah\u535A\u63A8zz')).toEqual([
      'ah',
      '\u535A',
      '\u63A8',
      'zz',
    ]);
  });

  it('test_basic_tokenizer_lower', () => {
    const tokenizer = new BasicTokenizer(true);
    expect(tokenizer.tokenize(' \tHeLLo!how  \n Are yoU?  ')).toEqual([
      'hello',
      '!',
      'how',
      'are',
      'you',
      '?',
    ]);
    expect(tokenizer.tokenize('H\u00E9llo')).toEqual(['hello']);
  });

  it('test_basic_tokenizer_no_lower', () => {
    expect(new BasicTokenizer(false).tokenize(' \tHeLLo!how  \n Are yoU?  ')).toEqual([
      'HeLLo',
      '!',
      'how',
      'Are',
      'yoU',
      '?',
    ]);
  });

  it('test_wordpiece_tokenizer', () => {
    const tokenizer = new WordpieceTokenizer(new Vocab(TEST_VOCAB));
    expect(tokenizer.tokenize('')).toEqual([]);
    expect(tokenizer.tokenize('unwanted running')).toEqual([
      'un',
      '##want',
      '##ed',
      'runn',
      '##ing',
    ]);
    expect(tokenizer.tokenize('unwantedX running')).toEqual(['[UNK]', 'runn', '##ing']);
  });

  it('test_convert_tokens_to_ids', () => {
    const tokenizer = new FullTokenizer(new Vocab(TEST_VOCAB));
    expect(tokenizer.convertTokensToIds(['un', '##want', '##ed', 'runn', '##ing'])).toEqual([
      7, 4, 5, 8, 9,
    ]);
  });

  it('test_is_whitespace', () => {
    for (const c of [' ', '\t', '\r', '\n', '\u00A0']) expect(isWhitespace(cp(c))).toBe(true);
    for (const c of ['A', '-']) expect(isWhitespace(cp(c))).toBe(false);
  });

  it('test_is_control', () => {
    expect(isControl(cp('\u0005'))).toBe(true);
    for (const c of ['A', ' ', '\t', '\r', '\u{1F4A9}']) expect(isControl(cp(c))).toBe(false);
  });

  it('test_is_punctuation', () => {
    for (const c of ['-', '$', '`', '.']) expect(isPunctuation(cp(c))).toBe(true);
    for (const c of ['A', ' ']) expect(isPunctuation(cp(c))).toBe(false);
  });
});

describe('MRPC dev.tsv, first pair, uncased vocab', () => {
  const tokenizer = FullTokenizer.fromFile(join(SHARED, 'vocab/uncased/vocab.txt'));
  const row = readFileSync(join(SHARED, 'glue/MRPC/dev.tsv'), 'utf8').split('\n')[1]!.split('\t');

  it('sentence a gives the ids of the reference eval.tf_record', () => {
    const ids = tokenizer.convertTokensToIds(tokenizer.tokenize(row[3]!));
    expect(ids.slice(0, 13)).toEqual([
      2002, 2056, 1996, 9440, 2121, 7903, 2063, 11345, 2449, 2987, 1005, 1056, 4906,
    ]);
  });

  it('[CLS] a [SEP] b [SEP] starts 101 2002 2056 … and round-trips through the ids', () => {
    const tokens = [
      '[CLS]',
      ...tokenizer.tokenize(row[3]!),
      '[SEP]',
      ...tokenizer.tokenize(row[4]!),
      '[SEP]',
    ];
    const ids = tokenizer.convertTokensToIds(tokens);
    expect(ids.slice(0, 4)).toEqual([101, 2002, 2056, 1996]);
    expect(ids.filter((id) => id === 102)).toHaveLength(2);
    expect(tokenizer.convertIdsToTokens(ids)).toEqual(tokens);
  });
});
