// BasicTokenizer of tokenization.py: clean the text, put spaces around CJK ideographs, split on
// whitespace, lower-case and strip accents (uncased models only), split off punctuation.
//
//   " \tHeLLo!how  \n Are yoU?  "  →  ["hello", "!", "how", "are", "you", "?"]
//
// Python runs these as whole-string passes (_clean_text, _tokenize_chinese_chars,
// whitespace_tokenize, then per word lower / _run_strip_accents / _run_split_on_punc, then a last
// whitespace_tokenize). Here the first three are one pass over the code points and the last two
// are another; the words are cut at the same places, so lower() sees the same context (final
// sigma) and the output is the same.
import { pyLower, pyNfd, pyRemoveMn } from '../util/unicode.js';
import { CharRole, SplitRole, charRole, splitRole } from './char_classes.js';

// eslint-disable-next-line no-control-regex -- the range starts at U+0000 on purpose
const NON_ASCII_RE = /[^\u0000-\u007f]/;

export class BasicTokenizer {
  constructor(readonly doLowerCase = true) {}

  /** The words of `text`: punctuation characters and CJK ideographs are words of their own. */
  tokenize(text: string): string[] {
    const out: string[] = [];
    // ASCII text (most English) is lower-cased in one call: for ASCII, lower() needs no context
    // and NFD and Mn removal change nothing, so doing it before splitting gives the same words.
    const ascii = !NON_ASCII_RE.test(text);
    const source = this.doLowerCase && ascii ? text.toLowerCase() : text;
    const perWord = this.doLowerCase && !ascii;
    for (const word of splitCleanWords(source))
      splitOnPunctuation(perWord ? lowerAndStripAccents(word) : word, out);
    return out;
  }
}

/** token.lower() then _run_strip_accents; an ASCII word needs only the first. */
function lowerAndStripAccents(word: string): string {
  return NON_ASCII_RE.test(word) ? stripAccents(pyLower(word)) : word.toLowerCase();
}

/**
 * _clean_text + _tokenize_chinese_chars + whitespace_tokenize in one pass: drops U+0000, U+FFFD
 * and control characters (joining their neighbours: "a\u0005b" is one word "ab"), splits at
 * whitespace, and makes each CJK ideograph a word.
 */
export function splitCleanWords(text: string): string[] {
  const words: string[] = [];
  let word = ''; // the current word, up to runStart
  let runStart = 0; // UTF-16 index where the pending run of kept characters starts
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i)!;
    const n = cp > 0xffff ? 2 : 1;
    const role = charRole(cp);
    if (role !== CharRole.Keep) {
      word += text.slice(runStart, i);
      if (role !== CharRole.Drop) {
        if (word !== '') words.push(word);
        word = '';
        if (role === CharRole.Cjk) words.push(text.slice(i, i + n));
      }
      runStart = i + n;
    }
    i += n;
  }
  word += text.slice(runStart);
  if (word !== '') words.push(word);
  return words;
}

/** _run_strip_accents: NFD, then delete every category-Mn code point. Not re-composed (no NFC). */
export function stripAccents(word: string): string {
  return pyRemoveMn(pyNfd(word));
}

/**
 * _run_split_on_punc, then the final whitespace_tokenize: each punctuation code point becomes a
 * word, runs of other code points stay together, empty words vanish. Appends to `out`.
 */
export function splitOnPunctuation(word: string, out: string[]): void {
  let start = 0;
  for (let i = 0; i < word.length;) {
    const cp = word.codePointAt(i)!;
    const n = cp > 0xffff ? 2 : 1;
    // Whitespace cannot reach here (lower() and NFD never produce any), but the last
    // whitespace_tokenize of Python would split on it, so we do too.
    const role = splitRole(cp);
    if (role !== SplitRole.None) {
      if (i > start) out.push(word.slice(start, i));
      if (role === SplitRole.Punctuation) out.push(word.slice(i, i + n));
      start = i + n;
    }
    i += n;
  }
  if (word.length > start) out.push(word.slice(start));
}
