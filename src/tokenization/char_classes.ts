// The character classes of tokenization.py: _is_whitespace, _is_control, _is_punctuation and
// BasicTokenizer._is_chinese_char, each on one code point, with Python 3.11's Unicode tables
// (src/util/unicode.ts). The tokenizer asks these for every character of a corpus, so the answers
// are cached in one byte per code point.
import { pyIsCcOrCf, pyIsPunctuationCategory, pyIsSpace, pyIsZs } from '../util/unicode.js';

/** _is_whitespace: space, \t, \n, \r or category Zs (so U+00A0 and U+3000, not U+2028). */
export function isWhitespace(cp: number): boolean {
  return cp === 0x20 || cp === 0x09 || cp === 0x0a || cp === 0x0d || pyIsZs(cp);
}

/** _is_control: category Cc or Cf, except \t \n \r (which count as whitespace). */
export function isControl(cp: number): boolean {
  if (cp === 0x09 || cp === 0x0a || cp === 0x0d) return false;
  return pyIsCcOrCf(cp);
}

/**
 * _is_punctuation: every printable non-alphanumeric ASCII character (including $ + < = > ^ ` | ~,
 * which Unicode files under S*, not P*), or any code point of a P* category.
 */
export function isPunctuation(cp: number): boolean {
  if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64)) return true;
  if ((cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) return true;
  return pyIsPunctuationCategory(cp);
}

/**
 * _is_chinese_char: the CJK Unified Ideographs blocks and extensions A–E, plus the compatibility
 * ideographs. Hangul, kana and CJK punctuation are not in these ranges; extensions F and later are
 * not either (the list predates them).
 */
export function isChineseChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/** What BasicTokenizer does with a code point before lower-casing, in the order Python tests. */
export enum CharRole {
  /** Part of a word. */
  Keep = 1,
  /** Deleted by _clean_text: U+0000, U+FFFD, or a control character. */
  Drop = 2,
  /** Separates words: _is_whitespace, or another str.isspace() character (U+2028, U+2029). */
  Space = 3,
  /** A CJK ideograph: a word of its own. */
  Cjk = 4,
}

const PUNCT_BIT = 8;
const KNOWN_BIT = 16;
const ROLE_MASK = 7;
// One byte per code point, filled on first use: role in the low bits, punctuation and "computed".
const cache = new Uint8Array(0x110000);

function classify(cp: number): number {
  let role: CharRole;
  if (cp === 0 || cp === 0xfffd || isControl(cp)) role = CharRole.Drop;
  else if (isWhitespace(cp) || pyIsSpace(cp)) role = CharRole.Space;
  else if (isChineseChar(cp)) role = CharRole.Cjk;
  else role = CharRole.Keep;
  const bits = KNOWN_BIT | role | (isPunctuation(cp) ? PUNCT_BIT : 0);
  cache[cp] = bits;
  return bits;
}

/** The role of `cp` in _clean_text / _tokenize_chinese_chars / whitespace_tokenize (cached). */
export function charRole(cp: number): CharRole {
  const bits = cache[cp]!;
  return ((bits & KNOWN_BIT ? bits : classify(cp)) & ROLE_MASK) as CharRole;
}

/** Where _run_split_on_punc and the last whitespace_tokenize cut a word. */
export enum SplitRole {
  None = 0,
  /** isPunctuation: the character becomes a word of its own. */
  Punctuation = 1,
  /** A str.isspace() character: dropped, and the word is cut there. */
  Space = 2,
}

/** The SplitRole of `cp` (cached). */
export function splitRole(cp: number): SplitRole {
  let bits = cache[cp]!;
  if (!(bits & KNOWN_BIT)) bits = classify(cp);
  if (bits & PUNCT_BIT) return SplitRole.Punctuation;
  return (bits & ROLE_MASK) === CharRole.Space ? SplitRole.Space : SplitRole.None;
}
