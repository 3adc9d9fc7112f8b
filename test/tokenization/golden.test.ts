// Golden tables from Python 3.11 (refgen/tokenization/golden.py): 300 texts (English, MRPC,
// accents, Turkish İ, final sigma, ß, emoji and ZWJ sequences, astral CJK, Hangul, Thai, Arabic,
// controls, U+FFFD, NBSP, 200/201-code-point words, [MASK], random mixtures) → BasicTokenizer
// words and FullTokenizer tokens and ids, uncased and Chinese vocab, both casings. Exact equality.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BasicTokenizer } from '../../src/tokenization/basic.js';
import { FullTokenizer } from '../../src/tokenization/full.js';
import { Vocab } from '../../src/tokenization/vocab.js';
import { REPO, SHARED } from '../shared.js';

interface Pieces {
  tokens: string[];
  ids: number[];
}
interface GoldenCase {
  text: string;
  basic: { lower: string[]; cased: string[] };
  uncased_lower: Pieces;
  uncased_cased: Pieces;
  chinese_lower: Pieces;
  chinese_cased: Pieces;
}
interface Golden {
  python: string;
  unicode: string;
  cases: GoldenCase[];
}

const golden = JSON.parse(
  readFileSync(join(REPO, 'test/fixtures/tokenization/golden.json'), 'utf8'),
) as Golden;
const vocabs = {
  uncased: Vocab.fromFile(join(SHARED, 'vocab/uncased/vocab.txt')),
  chinese: Vocab.fromFile(join(SHARED, 'vocab/chinese/vocab.txt')),
};
const CONFIGS = [
  ['uncased', true],
  ['uncased', false],
  ['chinese', true],
  ['chinese', false],
] as const;

describe(`golden tables from Python ${golden.python} (Unicode ${golden.unicode})`, () => {
  it('has the 300 cases', () => expect(golden.cases).toHaveLength(300));

  it.each([true, false])('BasicTokenizer(doLowerCase=%s) matches every case', (lower) => {
    const tokenizer = new BasicTokenizer(lower);
    for (const c of golden.cases) {
      const want = lower ? c.basic.lower : c.basic.cased;
      expect(tokenizer.tokenize(c.text), JSON.stringify(c.text)).toEqual(want);
    }
  });

  it.each(CONFIGS)('FullTokenizer(%s vocab, doLowerCase=%s): tokens and ids', (name, lower) => {
    const tokenizer = new FullTokenizer(vocabs[name], lower);
    const key = `${name}_${lower ? 'lower' : 'cased'}` as const;
    for (const c of golden.cases) {
      const tokens = tokenizer.tokenize(c.text);
      expect(tokens, JSON.stringify(c.text)).toEqual(c[key].tokens);
      expect(tokenizer.convertTokensToIds(tokens), JSON.stringify(c.text)).toEqual(c[key].ids);
    }
  });
});
