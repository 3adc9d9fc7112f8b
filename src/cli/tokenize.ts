// `bert tokenize --vocab_file=V [--do_lower_case=true|false]`: FullTokenizer as a filter. Reads
// JSON lines {"text": "..."} on stdin and writes {"tokens": [...], "ids": [...]} per line to
// stdout, in order, as the input arrives (one chunk in memory at a time, so any input size works).
// A line that is not such an object stops the run with an error naming the line (exit 1); the
// answers for the lines before it have been written.
import { once } from 'node:events';
import { fstatSync } from 'node:fs';
import { bool, str } from './flags.js';
import { defineScript } from './script.js';
import { FullTokenizer } from '../tokenization/full.js';
import { BertError, FormatError } from '../util/errors.js';
import { inputFileError } from '../util/fs.js';

const FLAGS = {
  vocab_file: str({
    required: true,
    help: 'The vocabulary file that the BERT model was trained on.',
  }),
  do_lower_case: bool(
    true,
    'Whether to lower case the input text. Should be True for uncased models and False for cased models.',
  ),
} as const;

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const FLUSH_BYTES = 1 << 16;

/** The text of one input line, or a FormatError naming the line. */
function parseLine(bytes: Uint8Array, lineNo: number): string {
  const where = `<stdin>: line ${lineNo}`;
  let line: string;
  try {
    line = STRICT_UTF8.decode(bytes);
    if (lineNo === 1) line = line.replace(/^\ufeff/, ''); // a UTF-8 BOM opening the input
  } catch {
    throw new FormatError(`${where}: invalid UTF-8`);
  }
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new FormatError(`${where}: not JSON (${why})`, 'each line must be {"text": "..."}');
  }
  const text = typeof value === 'object' && value !== null ? Reflect.get(value, 'text') : null;
  if (typeof text !== 'string')
    throw new FormatError(
      `${where}: expected an object with a string "text", found ${line.slice(0, 80)}`,
      'each line must be {"text": "..."}',
    );
  return text;
}

/** One output line: the tokens of `text` and their ids. */
function answer(tokenizer: FullTokenizer, text: string, lineNo: number): string {
  const tokens = tokenizer.tokenize(text);
  try {
    return JSON.stringify({ tokens, ids: tokenizer.convertTokensToIds(tokens) }) + '\n';
  } catch (e) {
    if (e instanceof BertError) throw new FormatError(`<stdin>: line ${lineNo}: ${e.message}`);
    throw e;
  }
}

/**
 * The chunks of standard input, named '<stdin>' in errors as a file's path would be: stdin
 * redirected from a directory (which Node reads as empty) or a read error is a FormatError.
 */
async function* stdinChunks(): AsyncGenerator<Buffer> {
  const name = '<stdin>';
  if (fstatSync(0).isDirectory())
    throw new FormatError(`${name}: cannot read the input: it is a directory`);
  try {
    for await (const chunk of process.stdin) yield chunk as Buffer;
  } catch (e) {
    throw inputFileError(e, name, 'input');
  }
}

/** Tokenizes stdin line by line; `out` gets the answers in order, with back-pressure. */
export async function tokenizeStream(
  tokenizer: FullTokenizer,
  input: AsyncIterable<Buffer>,
  out: NodeJS.WritableStream,
): Promise<void> {
  let pending = ''; // answers not yet written
  let partial: Buffer[] = []; // the unfinished last line of the input so far
  let lineNo = 0;
  const flush = async (): Promise<void> => {
    if (pending !== '' && !out.write(pending)) await once(out, 'drain');
    pending = '';
  };
  const take = (bytes: Uint8Array): void => {
    lineNo++;
    pending += answer(tokenizer, parseLine(bytes, lineNo), lineNo);
  };
  try {
    for await (const chunk of input) {
      let start = 0;
      for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
        const piece = chunk.subarray(start, nl);
        take(partial.length > 0 ? Buffer.concat([...partial, piece]) : piece);
        partial = [];
        start = nl + 1;
        if (pending.length >= FLUSH_BYTES) await flush();
      }
      if (start < chunk.length) partial.push(chunk.subarray(start));
      await flush();
    }
    if (partial.length > 0) take(Buffer.concat(partial)); // a last line without "\n"
  } finally {
    await flush(); // the answers before a bad line are still written
  }
}

export default defineScript({
  name: 'tokenize',
  summary: 'JSON lines {"text"} on stdin → {"tokens", "ids"} on stdout (tokenization.py)',
  flags: FLAGS,
  async main(f) {
    const tokenizer = FullTokenizer.fromFile(f.vocab_file!, f.do_lower_case);
    await tokenizeStream(tokenizer, stdinChunks(), process.stdout);
  },
});
