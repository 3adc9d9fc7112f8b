// create_pretraining_data's input reading: GFile's lines, Python's strip(), tf.gfile.Glob's lists.
import { mkdirSync, mkdtempSync, opendirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandInputPatterns, readGfileLines } from '../../src/data/pretraining/input_files.js';
import { fnmatchRegExp, tfGlob } from '../../src/data/pretraining/tf_glob.js';
import { pyStrip } from '../../src/util/unicode.js';
import { REPO, SHARED } from '../shared.js';

const EDGE = join(REPO, 'test/fixtures/pretraining/edge_cases.txt');
const SAMPLE = join(SHARED, 'text/sample_text.txt');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'cpd-input-'));
}

describe('pyStrip (Python str.strip) on the lines create_pretraining_data meets', () => {
  it('removes what Python removes and keeps what it keeps', () => {
    expect(pyStrip('\x1c\x1d')).toBe('');
    expect(pyStrip('\x85 a b\u3000')).toBe('a b');
    expect(pyStrip('\ufeff')).toBe('\ufeff'); // trim() would remove the BOM
    expect(pyStrip('\u200b x \u200b')).toBe('\u200b x \u200b');
    expect(pyStrip(' \t\x0b\x0c\u2028x\u2029\u202f\u205f\u1680')).toBe('x');
  });
});

describe('readGfileLines (TF GFile.readline)', () => {
  it('reads sample_text.txt as its 33 lines, the first with its non-ASCII characters', () => {
    const lines = [...readGfileLines(SAMPLE)];
    expect(lines).toHaveLength(33);
    expect(lines[0]!.text.startsWith('This text is included to make sure Unicode is handled')).toBe(
      true,
    );
    expect(lines[0]!.text).toContain('力加勝北区ᴵᴺᵀᵃছজটডণত');
    expect(lines.filter((l) => pyStrip(l.text) === '').map((l) => l.line)).toEqual([4, 18]);
  });
  it('splits on \\n only, drops every \\r, keeps a last line without \\n', () => {
    const texts = [...readGfileLines(EDGE)].map((l) => l.text);
    expect(texts).toHaveLength(27);
    expect(texts[0]!.startsWith('\ufeffThe first line')).toBe(true);
    expect(texts[2]).toBe(
      'A carriage return in the middle of a line is removed too, joining the two halves.',
    );
    expect(texts.at(-1)).toBe(
      'And another sentence to keep the document going for a while longer than the others.',
    );
  });
  it('reads lines across 1 MiB chunk boundaries intact', () => {
    const dir = tempDir();
    const long = 'y'.repeat((1 << 20) - 3);
    writeFileSync(join(dir, 'big.txt'), `ab\n${long}\r\nz\u00e9\n\n`);
    const lines = [...readGfileLines(join(dir, 'big.txt'))];
    expect(lines.map((l) => l.text.length)).toEqual([2, long.length, 2, 0]);
    expect(lines[2]!.text).toBe('z\u00e9');
    // A final "\r" without "\n" is the end of the file for TF, not one more (empty) line.
    writeFileSync(join(dir, 'cr.txt'), 'a\r\n\r\nb\n\r');
    expect([...readGfileLines(join(dir, 'cr.txt'))].map((l) => l.text)).toEqual(['a', '', 'b']);
  });
  it('names the file, line and byte of invalid UTF-8 (Python raises UnicodeDecodeError)', () => {
    const dir = tempDir();
    const path = join(dir, 'bad.txt');
    writeFileSync(path, Buffer.from([0x61, 0x0a, 0x62, 0xef, 0xbf, 0xbd, 0x63, 0xc3, 0x28, 0x0a]));
    expect(() => [...readGfileLines(path)]).toThrow(`${path}: line 2 (byte 7): invalid UTF-8`);
  });
});

const FNMATCH = JSON.parse(
  readFileSync(join(REPO, 'test/fixtures/pretraining/fnmatch.json'), 'utf8'),
) as { cases: [string, string, boolean][] };

/** The directory's entries in the file system's own (unsorted) order, as readdir gives them. */
function rawOrder(dir: string): string[] {
  const d = opendirSync(dir);
  const names: string[] = [];
  for (let e = d.readSync(); e !== null; e = d.readSync()) names.push(e.name);
  d.closeSync();
  return names;
}

describe('tf.gfile.Glob', () => {
  it(`matches as glibc fnmatch(FNM_PATHNAME) on ${FNMATCH.cases.length} pattern/path pairs`, () => {
    const wrong = FNMATCH.cases.filter(([p, s, want]) => fnmatchRegExp(p).test(s) !== want);
    expect(wrong).toEqual([]);
  });
  it('lists files in the directory order, breadth-first, like TF (not sorted)', () => {
    const dir = tempDir();
    const names = Array.from({ length: 40 }, (_, i) => `f${(i * 7919) % 1000}.txt`);
    for (const f of names) writeFileSync(join(dir, f), 'x\n');
    writeFileSync(join(dir, 'other.md'), 'x\n');
    const want = rawOrder(dir)
      .filter((f) => f.endsWith('.txt'))
      .map((f) => join(dir, f));
    expect(tfGlob(join(dir, '*.txt'))).toEqual(want);
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'a', 'x1.txt'), 'x\n');
    writeFileSync(join(dir, 'b', 'x2.txt'), 'x\n');
    const subdirs = rawOrder(dir).filter((f) => f === 'a' || f === 'b');
    expect(tfGlob(join(dir, '?/x*.txt'))).toEqual(
      subdirs.map((d) => join(dir, d, d === 'a' ? 'x1.txt' : 'x2.txt')),
    );
  });
  it('keeps the comma list in order; a relative pattern gets TF\'s "./" prefix', () => {
    const dir = tempDir();
    for (const f of ['b.txt', 'a.txt', '.c.txt', 'd.md']) writeFileSync(join(dir, f), 'x\n');
    const got = expandInputPatterns(`${join(dir, 'd.md')},${join(dir, '[ab].tx?')}`);
    expect(got[0]).toBe(join(dir, 'd.md'));
    expect(got.slice(1).sort()).toEqual([join(dir, 'a.txt'), join(dir, 'b.txt')]);
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      expect(tfGlob('*.md')).toEqual(['./d.md']);
      expect(tfGlob('d.md')).toEqual(['d.md']);
    } finally {
      process.chdir(cwd);
    }
  });
  it('rejects a pattern that matches nothing, a missing file, a directory, an empty name', () => {
    const dir = tempDir();
    expect(() => expandInputPatterns(join(dir, '*.nothing'))).toThrow(/no file matches/);
    expect(() => expandInputPatterns(join(dir, 'missing.txt'))).toThrow(/no file matches/);
    mkdirSync(join(dir, 'sub.txt'));
    expect(() => expandInputPatterns(join(dir, '*.txt'))).toThrow(/sub\.txt is not a file/);
    expect(() => expandInputPatterns(`${SAMPLE},`)).toThrow(/empty file name/);
  });
});
