import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CSV_FIELD_SIZE_LIMIT, readTsv } from '../../src/data/tsv.js';
import { FormatError } from '../../src/util/errors.js';
import { REPO, SHARED } from '../shared.js';

// From refgen/tsv_rows.py: Python's csv.reader over GFile-style lines.
const CASES = JSON.parse(
  readFileSync(join(REPO, 'test/data/fixtures/tsv_cases.json'), 'utf8'),
) as { name: string; hex: string; rows: string[][] }[];

const dir = mkdtempSync(join(tmpdir(), 'tsv-'));
function fileWith(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('readTsv equals csv.reader(delimiter="\\t", quotechar=None) over tf.gfile lines', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const path = fileWith('case.tsv', Buffer.from(c.hex, 'hex'));
    expect(readTsv(path).map((r) => r.fields)).toEqual(c.rows);
    expect(readTsv(path).map((r) => r.index)).toEqual(c.rows.map((_, i) => i));
  });
});

describe('readTsv on the real GLUE MRPC files', () => {
  it('train.tsv: 3669 rows of 5 fields, BOM gone from the header, 455 quoted sentences kept', () => {
    const rows = readTsv(join(SHARED, 'glue/MRPC/train.tsv'));
    expect(rows.length).toBe(3669);
    expect(rows.every((r) => r.fields.length === 5)).toBe(true);
    expect(rows[0]!.fields).toEqual(['Quality', '#1 ID', '#2 ID', '#1 String', '#2 String']);
    const quoted = rows.slice(1).filter((r) => r.fields[3]!.startsWith('"') || r.fields[4]!.startsWith('"'));
    expect(quoted.length).toBe(455);
    expect(rows[1]!.fields.slice(0, 3)).toEqual(['1', '702876', '702977']);
  });

  it('test.tsv: header without BOM and 1725 rows', () => {
    const rows = readTsv(join(SHARED, 'glue/MRPC/test.tsv'));
    expect(rows.length).toBe(1726);
    expect(rows[0]!.fields).toEqual(['index', '#1 ID', '#2 ID', '#1 String', '#2 String']);
    expect(rows.at(-1)!.fields[0]).toBe('1724');
  });
});

describe('readTsv errors', () => {
  it('a field over the csv limit names file, line and column', () => {
    const path = fileWith('big.tsv', `a\tb\nc\t${'x'.repeat(CSV_FIELD_SIZE_LIMIT + 1)}\n`);
    expect(() => readTsv(path)).toThrow(FormatError);
    expect(() => readTsv(path)).toThrow(
      `${path}: line 2: field 1 is larger than the csv field limit (131072 characters)`,
    );
    // Exactly at the limit is fine, counted in code points (astral characters are one each).
    const ok = fileWith('ok.tsv', `${'\u{1f600}'.repeat(CSV_FIELD_SIZE_LIMIT)}\n`);
    expect(readTsv(ok)[0]!.fields[0]!.length).toBe(2 * CSV_FIELD_SIZE_LIMIT);
  });

  it('a missing file is a format error naming it', () => {
    const path = join(dir, 'nope.tsv');
    expect(() => readTsv(path)).toThrow(FormatError);
    expect(() => readTsv(path)).toThrow(`${path}: cannot read the TSV file: no such file`);
  });
});
