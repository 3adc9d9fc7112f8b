// Python 3.11's Unicode semantics (src/util/unicode.ts) checked for every code point of planes
// 0-3 and 14-16 against hashes made by Python (refgen/tokenization/codepoints.py), and the
// individual helpers against values printed by python3 3.11. Exact equality throughout.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BasicTokenizer } from '../../src/tokenization/basic.js';
import {
  isUnassignedInUnicode14,
  pyIsSpace,
  pyLower,
  pyNfd,
  pyRemoveMn,
  pySplit,
  pyStrip,
} from '../../src/util/unicode.js';
import { REPO } from '../shared.js';

interface Blocks {
  template: string;
  block: number;
  hashes: Record<string, string>;
}
const blocks = JSON.parse(
  readFileSync(join(REPO, 'test/fixtures/tokenization/codepoint_blocks.json'), 'utf8'),
) as Blocks;

const lower = new BasicTokenizer(true);
const cased = new BasicTokenizer(false);

function blockHash(first: number): string {
  const h = createHash('sha256');
  for (let cp = first; cp < first + blocks.block; cp++) {
    const text = blocks.template.replaceAll('{c}', String.fromCodePoint(cp));
    const rec = `${lower.tokenize(text).join('\x1f')}\x1e${cased.tokenize(text).join('\x1f')}\x1d`;
    h.update(Buffer.from(rec, 'utf16le'));
  }
  return h.digest('hex').slice(0, 16);
}

describe('every code point tokenizes as in Python 3.11', () => {
  it(`${Object.keys(blocks.hashes).length} blocks of 256 code points: same SHA-256`, () => {
    const bad: string[] = [];
    for (const [first, want] of Object.entries(blocks.hashes))
      if (blockHash(parseInt(first, 16)) !== want) bad.push(`U+${first.toUpperCase()}`);
    expect(bad, 'blocks whose tokenization differs from Python').toEqual([]);
  });
});

describe('Python str and unicodedata helpers', () => {
  it('str.isspace(): exactly the 29 code points Python lists', () => {
    const spaces: number[] = [];
    for (let cp = 0; cp < 0x110000; cp++) if (pyIsSpace(cp)) spaces.push(cp);
    expect(spaces.map((c) => c.toString(16)).join(' ')).toBe(
      '9 a b c d 1c 1d 1e 1f 20 85 a0 1680 2000 2001 2002 2003 2004 2005 2006 2007 2008 2009 200a ' +
        '2028 2029 202f 205f 3000',
    );
  });

  it('str.strip() and str.split() use that set (U+2028 yes, U+200B no)', () => {
    expect(pyStrip('\u2028\u3000 a b\u0085\u001f')).toBe('a b');
    expect(pyStrip('\u200ba\ufeff')).toBe('\u200ba\ufeff');
    expect(pySplit('  a\u2028b\u00a0\u00a0c\u200bd  ')).toEqual(['a', 'b', 'c\u200bd']);
    expect(pySplit('')).toEqual([]);
  });

  it('str.lower(): İ → i̇, final sigma by context, ß kept, ʕ cased as in Unicode 14', () => {
    expect(pyLower('\u0130')).toBe('i\u0307');
    expect(pyLower('ΟΔΟΣ ΟΔΟΣΑ Σ')).toBe('οδος οδοσα σ');
    expect(pyLower('STRAẞE ß')).toBe('straße ß');
    expect(pyLower('\u0295\u03a3')).toBe('\u0295\u03c2'); // Node alone says σ (ʕ is Lo there)
    expect(pyLower('A\u03a3\u{1171e}B')).toBe('a\u03c3\u{1171e}b'); // U+1171E case-ignorable in 14
    expect(pyLower('\u1c89')).toBe('\u1c89'); // assigned in Unicode 16: Python 3.11 keeps it
  });

  it('NFD and Mn removal leave code points unassigned in 14.0 alone', () => {
    expect(pyRemoveMn(pyNfd('Crème Brûlée'))).toBe('Creme Brulee');
    expect(pyRemoveMn(pyNfd('\u{105c9}'))).toBe('\u{105c9}'); // decomposes in Node (Unicode 16)
    expect(pyRemoveMn('a\u0897b\u{1171e}c')).toBe('a\u0897bc'); // U+0897 is Mn only since 16
    expect(isUnassignedInUnicode14(0x378)).toBe(true);
    expect(isUnassignedInUnicode14(0x377)).toBe(false);
    expect(isUnassignedInUnicode14(0x10ffff)).toBe(true);
  });
});
