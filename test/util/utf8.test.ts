import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertToUnicode, decodeUtf8Ignore } from '../../src/util/utf8.js';
import { REPO } from '../shared.js';

// [input hex, Python's bytes.decode('utf-8', 'ignore') as UTF-8 hex], from refgen/utf8_ignore.py.
const CASES = JSON.parse(
  readFileSync(join(REPO, 'test/data/fixtures/utf8_ignore.json'), 'utf8'),
) as [string, string][];

const fromHex = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));

describe('decodeUtf8Ignore (exact, against Python 3.11)', () => {
  it(`equals bytes.decode('utf-8', 'ignore') on all ${CASES.length} reference cases`, () => {
    expect(CASES.length).toBe(424);
    for (const [input, want] of CASES)
      expect([
        input,
        Buffer.from(decodeUtf8Ignore(fromHex(input)), 'utf8').toString('hex'),
      ]).toEqual([input, want]);
  });

  it('drops stray bytes but keeps a real U+FFFD and a leading BOM', () => {
    expect(decodeUtf8Ignore(fromHex('61e282'))).toBe('a');
    expect(decodeUtf8Ignore(fromHex('e28261'))).toBe('a');
    expect(decodeUtf8Ignore(fromHex('efbfbd80'))).toBe('\ufffd');
    expect(decodeUtf8Ignore(fromHex('efbbbf51'))).toBe('\ufeffQ');
    expect(decodeUtf8Ignore(fromHex('eda080f09f9880'))).toBe('\u{1f600}');
  });

  it('convertToUnicode passes strings through and decodes bytes', () => {
    expect(convertToUnicode('caf\u00e9\ufffd')).toBe('caf\u00e9\ufffd');
    expect(convertToUnicode(fromHex('636166c3a9ff'))).toBe('caf\u00e9');
  });
});
