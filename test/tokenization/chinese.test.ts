// The Chinese model's vocabulary (chinese_L-12_H-768_A-12): ids printed by python3 3.11 with the
// tokenization.py algorithm (refgen/tokenization/bert_tokenization.py). Exact equality.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FullTokenizer } from '../../src/tokenization/full.js';
import { SHARED } from '../shared.js';

const VOCAB = join(SHARED, 'vocab/chinese/vocab.txt');
const lower = FullTokenizer.fromFile(VOCAB, true);
const cased = FullTokenizer.fromFile(VOCAB, false);
const ids = (t: FullTokenizer, text: string): number[] => t.convertTokensToIds(t.tokenize(text));

describe('Chinese vocab', () => {
  it('each ideograph and the full stop is a token', () => {
    expect(lower.tokenize('我爱北京天安门。')).toEqual([
      '我',
      '爱',
      '北',
      '京',
      '天',
      '安',
      '门',
      '。',
    ]);
    expect(ids(lower, '我爱北京天安门。')).toEqual([2769, 4263, 1266, 776, 1921, 2128, 7305, 511]);
  });

  it('mixed Latin, digits and full-width punctuation, lower-cased', () => {
    expect(ids(lower, 'BERT模型在2018年发布，效果很好！')).toEqual([
      8815, 8716, 3563, 1798, 1762, 8271, 2399, 1355, 2357, 8024, 3126, 3362, 2523, 1962, 8013,
    ]);
  });

  it('cased: "BERT" is not in the vocab and becomes [UNK]', () => {
    expect(ids(cased, 'BERT模型在2018年发布，效果很好！')).toEqual([
      100, 3563, 1798, 1762, 8271, 2399, 1355, 2357, 8024, 3126, 3362, 2523, 1962, 8013,
    ]);
  });

  it('astral emoji are one code point each: 😂 ##😂', () => {
    expect(lower.tokenize('😂😂 hello')).toEqual(['😂', '##😂', 'hello']);
    expect(ids(lower, '😂😂 hello')).toEqual([8104, 21126, 8701]);
  });

  it('U+2028 separates words (it never reaches the vocab\'s empty token), "##" is split', () => {
    expect(lower.tokenize('\u2028')).toEqual([]);
    expect(ids(lower, '##')).toEqual([108, 108]);
  });

  it('convertIdsToTokens inverts convertTokensToIds', () => {
    const tokens = lower.tokenize('今天天气很好，我们去公园散步吧😂');
    expect(lower.convertIdsToTokens(lower.convertTokensToIds(tokens))).toEqual(tokens);
  });
});
