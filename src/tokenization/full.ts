// FullTokenizer of tokenization.py: BasicTokenizer, then WordpieceTokenizer on every word, and the
// token↔id conversions over the vocabulary.
//
//   new FullTokenizer(vocab).tokenize("UNwant\u00E9d,running")
//     → ["un", "##want", "##ed", ",", "runn", "##ing"]
import { BasicTokenizer } from './basic.js';
import { Vocab } from './vocab.js';
import { WordpieceTokenizer } from './wordpiece.js';

export class FullTokenizer {
  readonly basicTokenizer: BasicTokenizer;
  readonly wordpieceTokenizer: WordpieceTokenizer;

  /** FullTokenizer(vocab_file, do_lower_case). */
  static fromFile(vocabFile: string, doLowerCase = true): FullTokenizer {
    return new FullTokenizer(Vocab.fromFile(vocabFile), doLowerCase);
  }

  constructor(
    readonly vocab: Vocab,
    readonly doLowerCase = true,
  ) {
    this.basicTokenizer = new BasicTokenizer(doLowerCase);
    this.wordpieceTokenizer = new WordpieceTokenizer(vocab);
  }

  /** The word pieces of `text` (strings of the vocabulary, or [UNK]). */
  tokenize(text: string): string[] {
    const out: string[] = [];
    for (const word of this.basicTokenizer.tokenize(text))
      this.wordpieceTokenizer.tokenizeWord(word, out);
    return out;
  }

  /** convert_tokens_to_ids: an unknown token is an UnknownTokenError (no [UNK] fallback). */
  convertTokensToIds(tokens: readonly string[]): number[] {
    return tokens.map((t) => this.vocab.idOf(t));
  }

  /** convert_ids_to_tokens: an unknown id is an UnknownTokenError. */
  convertIdsToTokens(ids: readonly number[]): string[] {
    return ids.map((id) => this.vocab.tokenOf(id));
  }
}
