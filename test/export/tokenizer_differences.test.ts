// Where transformers.js's BERT tokenizer, loaded from the exported tokenizer.json, legitimately
// differs from Google's FullTokenizer (REFERENCE.md §1.5): each case with both token lists, so
// docs/library.md's list stays true. Everything else — lower-casing, accents, punctuation, CJK in
// the BMP, words up to 200 characters (the export sets max_input_chars_per_word to Google's 200,
// not HF's default 100) — tokenizes the same.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoTokenizer, env } from '@huggingface/transformers';
import { beforeAll, describe, expect, it } from 'vitest';
import { tokenizerConfigJson, tokenizerJson } from '../../src/export/hf_tokenizer.js';
import { FullTokenizer } from '../../src/tokenization/full.js';
import { Vocab } from '../../src/tokenization/vocab.js';
import { BROWN } from './fixture.js';

const DIR = mkdtempSync(join(tmpdir(), 'bert-export-tok-'));
const vocab = Vocab.fromFile(join(BROWN, 'vocab.txt'));
const google = new FullTokenizer(vocab, true);
let hf: Awaited<ReturnType<typeof AutoTokenizer.from_pretrained>>;

beforeAll(async () => {
  const o = { doLowerCase: true, maxSeqLength: 128, maxInputCharsPerWord: 200 };
  writeFileSync(join(DIR, 'tokenizer.json'), tokenizerJson(vocab, o));
  writeFileSync(join(DIR, 'tokenizer_config.json'), tokenizerConfigJson(vocab, o));
  env.allowRemoteModels = false;
  env.localModelPath = tmpdir();
  hf = await AutoTokenizer.from_pretrained(DIR.slice(tmpdir().length + 1));
});

const hfTokens = (text: string) => hf.tokenize(text);

describe('the same tokens', () => {
  it.each([
    ['Hello, World! UNwant\u00E9d,running'],
    ['na\u00EFve caf\u00E9 \u00C5ngstr\u00F6m'],
    ['\u4E2D\u6587 mixed \u65E5\u672C'],
    ['soft\u00ADhyphen and zero\u200Bwidth'],
    ['tab\tnew\nline\r\u00A0nbsp\u3000ideographic'],
    ['line\u2028separator'], // not whitespace to _is_whitespace, but str.split() splits there
    ['x'.repeat(150) + ' ' + 'ab'.repeat(60)],
    ['U.S. $3.50 (approx.) -- "quoted" \u2014 dash'],
  ])('%j', (text) => {
    expect(hfTokens(text)).toEqual(google.tokenize(text));
  });
});

describe('the known differences', () => {
  it('private-use characters (Co): Google keeps them, HF drops them as control characters', () => {
    expect(google.tokenize('foo\uE000bar')).toEqual(['[UNK]']);
    expect(hfTokens('foo\uE000bar')).toEqual(['foo', '##bar']);
  });
  it('CJK outside the BMP: Google splits it off, transformers.js (UTF-16 units) does not', () => {
    expect(google.tokenize('a\u{20000}b')).toEqual(['a', '[UNK]', 'b']);
    expect(hfTokens('a\u{20000}b')).toEqual(['[UNK]']);
  });
  it('special tokens written in the text: HF matches them, Google tokenizes the characters', () => {
    expect(google.tokenize('x [SEP] y')).toEqual(['x', '[', 'sep', ']', 'y']);
    expect(hfTokens('x [SEP] y')).toEqual(['x', '[SEP]', 'y']);
  });
});
