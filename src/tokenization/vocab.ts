// The WordPiece vocabulary: tokenization.py's load_vocab plus its token↔id lookups.
//
// load_vocab reads the file line by line (GFile splits at "\n" only and drops every "\r"),
// strips each line with str.strip() (every str.isspace() character, e.g. the Chinese vocab's line
// 344 is U+2028 and becomes the empty token), and gives each line its 0-based line number as id. A token that occurs
// twice keeps the later id; the earlier id then has no token (Python's inv_vocab lacks it).
// Lookups are plain dict lookups: an unknown token or id is an error, as Python's KeyError.
import { BertError, FormatError } from '../util/errors.js';
import { readInputFile } from '../util/fs.js';
import { pyStrip } from '../util/unicode.js';

/** A token or id that is not in the vocabulary (Python raises KeyError). */
export class UnknownTokenError extends BertError {}

export class Vocab {
  /** Token → id (a repeated token maps to its last line). */
  readonly tokenToId: Map<string, number>;
  /** Id → the stripped line of that id, for every line of the file. */
  readonly idToToken: string[];

  /** `tokens[i]` is the token of id i (already stripped); `source` names it in errors. */
  constructor(
    tokens: readonly string[],
    readonly source = '<in-memory vocab>',
  ) {
    this.idToToken = [...tokens];
    this.tokenToId = new Map();
    tokens.forEach((t, id) => this.tokenToId.set(t, id));
  }

  /** load_vocab(vocab_file). Invalid UTF-8 is an error, as in Python's text-mode GFile. */
  static fromFile(path: string): Vocab {
    const bytes = readInputFile(path, 'vocab file');
    return new Vocab(decodeLines(bytes, path).map(pyStrip), path);
  }

  /** The number of ids (lines of the file): the embedding table has this many rows. */
  get size(): number {
    return this.idToToken.length;
  }

  /** vocab[token]. */
  idOf(token: string): number {
    const id = this.tokenToId.get(token);
    if (id === undefined)
      throw new UnknownTokenError(
        `token ${JSON.stringify(token)} is not in the vocabulary ${this.source}`,
      );
    return id;
  }

  /** inv_vocab[id]. */
  tokenOf(id: number): string {
    const token = this.idToToken[id];
    if (token === undefined || this.tokenToId.get(token) !== id)
      throw new UnknownTokenError(
        `id ${id} is not in the vocabulary ${this.source} (${this.size} lines` +
          (token === undefined ? ')' : `; line ${id + 1} repeats ${JSON.stringify(token)})`),
      );
    return token;
  }
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The lines GFile.readline() returns: split at "\n" (a final "\n" ends the last line), with every
 * "\r" deleted wherever it is (TF's BufferedInputStream::ReadLine never appends one).
 */
function decodeLines(bytes: Uint8Array, path: string): string[] {
  let text: string;
  try {
    text = STRICT_UTF8.decode(bytes);
  } catch {
    throw invalidUtf8(bytes, path);
  }
  const lines = text.replaceAll('\r', '').split('\n');
  if (lines[lines.length - 1] === '') lines.pop(); // readline() returns '' only at the end
  return lines;
}

/** The error for the first line that is not UTF-8, naming its line number and byte offset. */
function invalidUtf8(bytes: Uint8Array, path: string): FormatError {
  let start = 0;
  let line = 1;
  for (; start < bytes.length; line++) {
    let end = bytes.indexOf(0x0a, start);
    if (end < 0) end = bytes.length;
    try {
      STRICT_UTF8.decode(bytes.subarray(start, end));
    } catch {
      return new FormatError(
        `${path}: line ${line} (byte ${start}): invalid UTF-8`,
        'a vocab file is UTF-8 text, one token per line',
      );
    }
    start = end + 1;
  }
  return new FormatError(`${path}: invalid UTF-8 after line ${line - 1}`);
}
