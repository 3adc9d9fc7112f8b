// Reading create_pretraining_data's input: which files (`--input_file`, a comma list of globs, as
// tf.gfile.Glob expands them, see tf_glob.ts) and their lines exactly as TF's GFile.readline
// delivers them.
//
// GFile in text mode (tensorflow/core/lib/io/buffered_inputstream.cc ReadLineHelper, then
// compat.as_str_any): a line ends at "\n" only, every "\r" byte anywhere in the line is dropped,
// and the bytes are decoded as strict UTF-8 (invalid bytes raise UnicodeDecodeError in Python; here
// a FormatError naming the file, line and byte). The script then `strip()`s each line with Python's
// idea of whitespace, which is not JavaScript's `trim()` (pyStrip, from util/unicode).
import { closeSync, readSync, statSync } from '../../host/fs.js';
import { FormatError, UsageError } from '../../util/errors.js';
import { openInputFile } from '../../util/fs.js';
import { tfGlob } from './tf_glob.js';
import { concatBytes } from '../../util/bytes.js';
import { encodeUtf8 } from '../../util/utf8.js';

/**
 * The files of `--input_file`: each comma-separated pattern expanded as tf.gfile.Glob does (`*`,
 * `?`, `[...]`, `\\`; TF's order, which is the directory's own listing order, not sorted), the
 * patterns in order. Unlike the original, a pattern that matches nothing is an error rather than
 * silently no input.
 */
export function expandInputPatterns(spec: string): string[] {
  const files: string[] = [];
  for (const pattern of spec.split(',')) {
    if (pattern === '') throw new UsageError(`--input_file '${spec}': empty file name in the list`);
    const found = tfGlob(pattern);
    if (found.length === 0) throw new UsageError(`--input_file: no file matches '${pattern}'`);
    for (const f of found) checkReadableFile(f);
    files.push(...found);
  }
  return files;
}

function checkReadableFile(path: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new UsageError(`--input_file: ${path} does not exist`);
  }
  if (!isFile) throw new UsageError(`--input_file: ${path} is not a file`);
}

const NEWLINE = 0x0a;
const CR = 0x0d;
const CHUNK = 1 << 20;
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const LENIENT_UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** One line of an input file: its 1-based number and its text (no "\n", no "\r"). */
export interface InputLine {
  readonly line: number;
  readonly text: string;
}

/** The lines of `path` as GFile.readline gives them, read in 1 MiB chunks. */
export function* readGfileLines(path: string): Generator<InputLine> {
  const { fd } = openInputFile(path, 'text file');
  try {
    let pending: Uint8Array[] = [];
    let lineStart = 0; // byte offset of the current line in the file
    let lineNo = 1;
    let position = 0;
    const buf = new Uint8Array(CHUNK);
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, position);
      if (n === 0) break;
      position += n;
      let from = 0;
      for (let nl = buf.indexOf(NEWLINE, from); nl >= 0 && nl < n; nl = buf.indexOf(NEWLINE, from)) {
        pending.push(buf.slice(from, nl));
        yield { line: lineNo, text: decodeLine(pending, path, lineNo, lineStart) };
        lineStart = position - n + nl + 1;
        lineNo++;
        pending = [];
        from = nl + 1;
      }
      if (from < n) pending.push(buf.slice(from, n));
    }
    // A last line without "\n" still counts, unless it is empty once its "\r"s are dropped: TF's
    // ReadLine then reports the end of the file, not an empty line.
    if (pending.some((part) => part.some((b) => b !== CR)))
      yield { line: lineNo, text: decodeLine(pending, path, lineNo, lineStart) };
  } finally {
    closeSync(fd);
  }
}

function decodeLine(parts: Uint8Array[], path: string, lineNo: number, offset: number): string {
  const bytes = parts.length === 1 ? parts[0]! : concatBytes(parts);
  const noCr = bytes.includes(CR) ? bytes.filter((b) => b !== CR) : bytes;
  try {
    return STRICT_UTF8.decode(noCr);
  } catch {
    throw new FormatError(
      `${path}: line ${lineNo} (byte ${offset + firstInvalidUtf8(bytes)}): invalid UTF-8`,
      'the original script fails on it too (UnicodeDecodeError); re-encode the file as UTF-8',
    );
  }
}

/** Offset of the first byte that is not valid UTF-8 (for the error message). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  // Lenient decoding turns each invalid sequence into U+FFFD; the first U+FFFD that is not a real
  // one (bytes EF BF BD) marks the spot, and the text before it re-encodes to its byte offset.
  const text = LENIENT_UTF8.decode(bytes);
  for (let k = text.indexOf('\ufffd'); k >= 0; k = text.indexOf('\ufffd', k + 1)) {
    const off = encodeUtf8(text.slice(0, k)).length;
    if (!(bytes[off] === 0xef && bytes[off + 1] === 0xbf && bytes[off + 2] === 0xbd)) return off;
  }
  return bytes.length;
}
