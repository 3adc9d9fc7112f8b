// WordpieceTokenizer of tokenization.py: greedy longest-match-first over a word's code points.
//
//   "unaffable" → ["un", "##aff", "##able"]
//
// From `start`, take the longest vocabulary piece chars[start:end] (written "##" + piece when
// start > 0), shrinking `end` one code point at a time. If no piece fits at some `start`, the
// whole word is one [UNK] (the pieces found so far are dropped); a word of more than
// maxInputCharsPerWord code points is one [UNK] without trying.
//
// Speed: this runs over whole corpora. Python tries every end from the word's end down; here the
// first end tried is capped by the longest vocabulary entry (a longer piece cannot match, so the
// answer is the same), "##" pieces are looked up without building "##" + piece, and the pieces
// of up to 65,536 distinct words are remembered (all forgotten at once when full).
import { pySplit, pyStrip } from '../util/unicode.js';
import type { Vocab } from './vocab.js';

/** A set of pieces and the longest of them in code points. */
interface PieceTable {
  /** piece (without "##") → the vocabulary token to output. */
  readonly tokens: Map<string, string>;
  readonly maxChars: number;
}

function codePointCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    // Count every unit except the low half of a surrogate pair.
    if (!(u >= 0xdc00 && u <= 0xdfff && i > 0 && isHighSurrogate(s.charCodeAt(i - 1)))) n++;
  }
  return n;
}

function isHighSurrogate(u: number): boolean {
  return u >= 0xd800 && u <= 0xdbff;
}

function pieceTables(vocab: Vocab): { initial: PieceTable; continuation: PieceTable } {
  const initial = new Map<string, string>();
  const continuation = new Map<string, string>();
  let maxInitial = 0;
  let maxContinuation = 0;
  for (const token of vocab.tokenToId.keys()) {
    initial.set(token, token);
    maxInitial = Math.max(maxInitial, codePointCount(token));
    if (token.startsWith('##') && token.length > 2) {
      const piece = token.slice(2);
      continuation.set(piece, token);
      maxContinuation = Math.max(maxContinuation, codePointCount(piece));
    }
  }
  return {
    initial: { tokens: initial, maxChars: maxInitial },
    continuation: { tokens: continuation, maxChars: maxContinuation },
  };
}

const SURROGATE_RE = /[\ud800-\udfff]/;

/**
 * UTF-16 offsets of the code point boundaries of `word` (length = code points + 1), or null when
 * every code point is one UTF-16 unit (the usual case, where offsets are indices).
 */
function boundaries(word: string): number[] | null {
  if (!SURROGATE_RE.test(word)) return null;
  const offsets = [0];
  for (let i = 0; i < word.length;) {
    i += word.codePointAt(i)! > 0xffff ? 2 : 1;
    offsets.push(i);
  }
  return offsets;
}

/** How many words' pieces to remember before starting over (a few MB at most). */
const RECENT_WORDS = 1 << 16;

export class WordpieceTokenizer {
  private readonly initial: PieceTable;
  private readonly continuation: PieceTable;
  /** The pieces of recently seen words: corpora repeat words (Zipf), matching is the cost. */
  private readonly recent = new Map<string, readonly string[]>();

  constructor(
    readonly vocab: Vocab,
    readonly unkToken = '[UNK]',
    readonly maxInputCharsPerWord = 200,
  ) {
    ({ initial: this.initial, continuation: this.continuation } = pieceTables(vocab));
  }

  /** The word pieces of every whitespace-separated word of `text`. */
  tokenize(text: string): string[] {
    const out: string[] = [];
    for (const word of pySplit(pyStrip(text))) this.tokenizeWord(word, out);
    return out;
  }

  /** The word pieces of one word (no whitespace in it), appended to `out`. */
  tokenizeWord(word: string, out: string[]): void {
    const known = this.recent.get(word);
    if (known !== undefined) {
      for (const t of known) out.push(t);
      return;
    }
    const mark = out.length;
    this.matchWord(word, out);
    if (this.recent.size >= RECENT_WORDS) this.recent.clear();
    this.recent.set(word, out.slice(mark));
  }

  /** Greedy longest-match-first over the code points of `word`, appended to `out`. */
  private matchWord(word: string, out: string[]): void {
    const offsets = boundaries(word);
    const n = offsets === null ? word.length : offsets.length - 1;
    if (n > this.maxInputCharsPerWord) {
      out.push(this.unkToken);
      return;
    }
    const mark = out.length;
    for (let start = 0; start < n;) {
      const table = start === 0 ? this.initial : this.continuation;
      let end = Math.min(n, start + table.maxChars);
      let token: string | undefined;
      for (; end > start; end--) {
        const piece =
          offsets === null ? word.slice(start, end) : word.slice(offsets[start], offsets[end]);
        token = table.tokens.get(piece);
        if (token !== undefined) break;
      }
      if (token === undefined) {
        out.length = mark; // the whole word becomes one [UNK]
        out.push(this.unkToken);
        return;
      }
      out.push(token);
      start = end;
    }
  }
}
