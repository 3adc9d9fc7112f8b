// Documents for pre-training, as create_training_instances builds them: a stripped blank line
// starts a new document, every other line is tokenized (FullTokenizer) and, if it yields any
// token, appended to the current document as one "sentence"; empty documents are dropped.
//
// Sentences are kept as token ids (Int32Array), not strings: every decision of the original that
// looks at a token string ("[CLS]"/"[SEP]" candidates, "##" pieces for whole-word masking, the
// random replacement word) is a fixed property of the vocabulary entry, so it is looked up by id
// (PretrainingVocab). That keeps a large corpus in a fraction of the memory.
import { FormatError } from '../../util/errors.js';
import { pyStrip } from '../../util/unicode.js';
import { readGfileLines } from './input_files.js';

/** What create_pretraining_data needs from a tokenizer; FullTokenizer satisfies it. */
export interface PretrainingTokenizer {
  tokenize(text: string): string[];
  readonly vocab: {
    readonly tokenToId: ReadonlyMap<string, number>;
    readonly idToToken: readonly string[];
  };
}

/** A sentence is its token ids; a document is its sentences. */
export type Sentence = Int32Array;
export type Document = Sentence[];

/** The vocabulary facts the algorithm uses, by id. */
export interface PretrainingVocab {
  readonly clsId: number;
  readonly sepId: number;
  readonly maskId: number;
  /** Ids of `list(tokenizer.vocab.keys())`: distinct tokens in order of first appearance. */
  readonly randomWordIds: Int32Array;
  /** 1 where the token starts with "##" (a word continuation, for whole-word masking). */
  readonly isContinuation: Uint8Array;
  readonly idToToken: readonly string[];
  readonly tokenToId: ReadonlyMap<string, number>;
}

function requireId(tokenToId: ReadonlyMap<string, number>, token: string): number {
  const id = tokenToId.get(token);
  if (id === undefined)
    throw new FormatError(
      `vocab file: no '${token}' entry`,
      'create_pretraining_data needs [CLS], [SEP] and [MASK] in the vocabulary',
    );
  return id;
}

/**
 * The vocabulary as the original uses it. Python's dict keeps a duplicated token at its first
 * position with its last id, and a Map built by `set` in file order does the same, so the keys
 * of `tokenToId` in order are exactly `list(tokenizer.vocab.keys())`.
 */
export function pretrainingVocab(tokenizer: PretrainingTokenizer): PretrainingVocab {
  const { tokenToId, idToToken } = tokenizer.vocab;
  const isContinuation = new Uint8Array(idToToken.length);
  idToToken.forEach((t, id) => (isContinuation[id] = t.startsWith('##') ? 1 : 0));
  return {
    clsId: requireId(tokenToId, '[CLS]'),
    sepId: requireId(tokenToId, '[SEP]'),
    maskId: requireId(tokenToId, '[MASK]'),
    randomWordIds: Int32Array.from(tokenToId.values()),
    isContinuation,
    idToToken,
    tokenToId,
  };
}

/** Token ids of one sentence; a token missing from the vocabulary names the file and line. */
function sentenceIds(tokens: string[], vocab: PretrainingVocab, where: string): Sentence {
  const ids = new Int32Array(tokens.length);
  tokens.forEach((t, i) => {
    const id = vocab.tokenToId.get(t);
    if (id === undefined)
      throw new FormatError(`${where}: token '${t}' is not in the vocabulary`, 'is [UNK] in it?');
    ids[i] = id;
  });
  return ids;
}

/**
 * Appends the documents of one input file to `documents` (whose last element is the document
 * being filled, continued across files as in the original) and returns it.
 */
export function readDocumentsInto(
  documents: Document[],
  path: string,
  tokenizer: PretrainingTokenizer,
  vocab: PretrainingVocab,
): Document[] {
  if (documents.length === 0) documents.push([]);
  for (const { line, text } of readGfileLines(path)) {
    const stripped = pyStrip(text);
    if (stripped === '') {
      documents.push([]); // (the original also tokenizes the empty line, which yields nothing)
      continue;
    }
    const tokens = tokenizer.tokenize(stripped);
    if (tokens.length > 0) documents.at(-1)!.push(sentenceIds(tokens, vocab, `${path}: line ${line}`));
  }
  return documents;
}

/** All documents of the given files in order, empty ones dropped (not yet shuffled). */
export function readDocuments(
  paths: readonly string[],
  tokenizer: PretrainingTokenizer,
  vocab: PretrainingVocab,
): Document[] {
  const documents: Document[] = [[]];
  for (const path of paths) readDocumentsInto(documents, path, tokenizer, vocab);
  return documents.filter((d) => d.length > 0);
}
