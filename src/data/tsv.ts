// The TSV reader of run_classifier.py's DataProcessor._read_tsv: `tf.gfile.Open(path, "r")`
// iterated line by line into `csv.reader(f, delimiter="\t", quotechar=None)`.
//
// What that pipeline does, byte for byte (checked with Python 3.11 and TF's
// BufferedInputStream::ReadLineHelper):
// - lines end at "\n" only, and TF's readline drops every "\r" byte anywhere in a line (so "\r\n"
//   endings and stray "\r"s vanish; csv never sees one);
// - a line is split on tabs only: quotes are ordinary characters (455 MRPC train rows start with
//   '"'), there is no escape character, spaces are kept;
// - an empty line is a row with no fields ([]), not one empty field;
// - a field longer than csv.field_size_limit() (131072 characters) is an error.
// Text is decoded as UTF-8 dropping invalid bytes (convert_to_unicode). A UTF-8 BOM at the start
// of the file is dropped; Python would keep it as U+FEFF in line 0's first field, which no
// processor reads as data (MRPC's BOM sits on its header).
import { FormatError } from '../util/errors.js';
import { readInputFile } from '../util/fs.js';
import { decodeUtf8Ignore } from '../util/utf8.js';

/** Python's csv.field_size_limit() default. */
export const CSV_FIELD_SIZE_LIMIT = 131072;

/** One line of a TSV file: its 0-based index (Python's enumerate) and its fields. */
export interface TsvRow {
  readonly index: number;
  readonly fields: string[];
}

const CR = 0x0d;

/** The file's bytes without any "\r", as TF's readline delivers them. */
function dropCarriageReturns(bytes: Uint8Array): Uint8Array {
  if (!bytes.includes(CR)) return bytes;
  return bytes.filter((b) => b !== CR);
}

/** Code points in `s`, counted only when the UTF-16 length could exceed the limit. */
function exceedsFieldLimit(s: string): boolean {
  if (s.length <= CSV_FIELD_SIZE_LIMIT) return false;
  let n = 0;
  for (const _ of s) if (++n > CSV_FIELD_SIZE_LIMIT) return true;
  return false;
}

/** Splits decoded text into rows exactly as GFile + csv.reader(delimiter="\t", quotechar=None). */
export function parseTsv(text: string, path: string): TsvRow[] {
  const lines = text.split('\n');
  // A final "\n" ends the last line; it does not start an empty one.
  if (lines.at(-1) === '') lines.pop();
  if (lines[0]?.startsWith('\ufeff')) lines[0] = lines[0].slice(1);
  return lines.map((line, index) => {
    const fields = line === '' ? [] : line.split('\t');
    fields.forEach((f, col) => {
      if (exceedsFieldLimit(f))
        throw new FormatError(
          `${path}: line ${index + 1}: field ${col} is larger than the csv field limit (${CSV_FIELD_SIZE_LIMIT} characters)`,
        );
    });
    return { index, fields };
  });
}

/** Reads a TSV file as run_classifier's _read_tsv does. */
export function readTsv(path: string): TsvRow[] {
  const bytes = readInputFile(path, 'TSV file', "is --data_dir the task's folder?");
  return parseTsv(decodeUtf8Ignore(dropCarriageReturns(bytes)), path);
}
