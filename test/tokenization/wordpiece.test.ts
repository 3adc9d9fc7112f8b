// WordpieceTokenizer and BasicTokenizer edge cases of our own: greedy longest-match-first, the
// whole-word [UNK], the 200-code-point limit counted in code points (not UTF-16 units, not 100),
// vocabularies without [UNK], and the clean-text rules. Exact equality.
import { describe, expect, it } from 'vitest';
import { BasicTokenizer } from '../../src/tokenization/basic.js';
import { FullTokenizer } from '../../src/tokenization/full.js';
import { UnknownTokenError, Vocab } from '../../src/tokenization/vocab.js';
import { WordpieceTokenizer } from '../../src/tokenization/wordpiece.js';

const vocab = new Vocab(['[UNK]', 'a', 'ab', '##b', '##bc', '##c', '😂', '##😂', '##ing', 'x']);
const wp = new WordpieceTokenizer(vocab);

describe('WordpieceTokenizer', () => {
  it('takes the longest piece first, even when a shorter one would let more match', () => {
    expect(wp.tokenize('abc')).toEqual(['ab', '##c']);
    expect(wp.tokenize('abbc')).toEqual(['ab', '##bc']);
  });

  it('a word with one unmatched position is a single [UNK], pieces found so far dropped', () => {
    expect(wp.tokenize('abd x')).toEqual(['[UNK]', 'x']);
    expect(wp.tokenize('ba')).toEqual(['[UNK]']);
  });

  it('a "##" entry matches at the start of a word too (the vocab is one dict)', () => {
    expect(wp.tokenize('##ing')).toEqual(['##ing']);
  });

  it('200 code points pass, 201 are [UNK]; astral characters count once', () => {
    expect(wp.tokenize('😂'.repeat(200))).toEqual(['😂', ...Array<string>(199).fill('##😂')]);
    expect(wp.tokenize('😂'.repeat(201))).toEqual(['[UNK]']);
    expect(wp.tokenize('x'.repeat(201))).toEqual(['[UNK]']);
  });

  it('custom unk token and limit; the input is split with str.split()', () => {
    const small = new WordpieceTokenizer(vocab, '<unk>', 3);
    expect(small.tokenize('\u2028abc\u3000abcc q\u00a0')).toEqual(['ab', '##c', '<unk>', '<unk>']);
  });
});

describe('FullTokenizer without [UNK] in the vocab', () => {
  it('tokenize still says [UNK]; converting it is a KeyError-like UnknownTokenError', () => {
    const t = new FullTokenizer(new Vocab(['a', '##b']));
    expect(t.tokenize('ab zz')).toEqual(['a', '##b', '[UNK]']);
    expect(() => t.convertTokensToIds(['[UNK]'])).toThrow(UnknownTokenError);
    expect(() => t.convertIdsToTokens([0, 2])).toThrow('id 2 is not in the vocabulary');
  });
});

describe('BasicTokenizer rules', () => {
  const lower = new BasicTokenizer(true);
  const cased = new BasicTokenizer(false);

  it('a removed control character joins its neighbours; whitespace separates', () => {
    expect(cased.tokenize('a\u0005b c\u200bd e\u00a0f g\u2028h')).toEqual([
      'ab',
      'cd',
      'e',
      'f',
      'g',
      'h',
    ]);
    expect(cased.tokenize('x\u0000y\ufffdz')).toEqual(['xyz']);
  });

  it('astral CJK ideographs are split, later extensions and Hangul are not', () => {
    expect(cased.tokenize('a\u{20000}b\u{2f800}c\u{30000}d한국')).toEqual([
      'a',
      '\u{20000}',
      'b',
      '\u{2f800}',
      'c\u{30000}d한국',
    ]);
  });

  it('lower-casing strips accents and leaves Hangul decomposed into jamo (no NFC)', () => {
    expect(lower.tokenize('Ünïcödé 한')).toEqual(['unicode', '\u1112\u1161\u11ab']);
    expect(cased.tokenize('Ünïcödé')).toEqual(['Ünïcödé']);
  });

  it('[MASK] in raw text is split like any punctuation', () => {
    expect(lower.tokenize('the [MASK].')).toEqual(['the', '[', 'mask', ']', '.']);
  });

  it('a word made only of combining marks disappears when lower-casing', () => {
    expect(lower.tokenize('a \u0301\u0302 b')).toEqual(['a', 'b']);
    expect(cased.tokenize('a \u0301\u0302 b')).toEqual(['a', '\u0301\u0302', 'b']);
  });
});
