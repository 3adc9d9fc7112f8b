// The host-neutral byte helpers against what Node's Buffer gave before them (the core may no
// longer use Buffer): sstable key order (Buffer.compare), concatenation, and UTF-8 both ways.
import { describe, expect, it } from 'vitest';
import { compareBytes, concatBytes } from '../../src/util/bytes.js';
import { decodeUtf8, encodeUtf8 } from '../../src/util/utf8.js';
import { rng } from '../engine/wasm_helpers.js';

/** `n` random byte strings of length 0..maxLen over a small alphabet (many shared prefixes). */
function randomStrings(n: number, maxLen: number, alphabet: number[]): Uint8Array[] {
  const r = rng(7);
  const pick = (k: number): number => Math.min(k - 1, Math.floor(r(0, k)));
  return Array.from({ length: n }, () =>
    Uint8Array.from({ length: pick(maxLen + 1) }, () => alphabet[pick(alphabet.length)]!),
  );
}

describe('compareBytes', () => {
  it('orders byte strings as Buffer.compare does (unsigned bytes, then the shorter first)', () => {
    const all = randomStrings(300, 5, [0x00, 0x01, 0x61, 0x7f, 0x80, 0xc3, 0xff]);
    let checked = 0;
    for (const a of all.slice(0, 60))
      for (const b of all) {
        expect(compareBytes(a, b)).toBe(Buffer.compare(a, b));
        checked++;
      }
    expect(checked).toBe(18000);
    expect(compareBytes(new Uint8Array([0x7f]), new Uint8Array([0x80]))).toBe(-1); // unsigned
    expect(compareBytes(new Uint8Array([1]), new Uint8Array([1, 0]))).toBe(-1);
  });
});

describe('concatBytes', () => {
  it('equals Buffer.concat', () => {
    const parts = randomStrings(20, 7, [1, 2, 3, 250]);
    expect(Buffer.from(concatBytes(parts)).equals(Buffer.concat(parts))).toBe(true);
    expect(concatBytes([])).toEqual(new Uint8Array(0));
  });
});

describe('decodeUtf8 / encodeUtf8', () => {
  it('decode as Buffer#toString("utf8"): U+FFFD per maximal bad subpart, a BOM kept', () => {
    const inputs = [
      ...randomStrings(500, 8, [0x41, 0x80, 0xbf, 0xc2, 0xe0, 0xed, 0xf0, 0xf4, 0xf8, 0xff]),
      new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), // BOM + "{}"
      new Uint8Array([0xef, 0xbf, 0xbd]), // a real U+FFFD
    ];
    for (const b of inputs) expect(decodeUtf8(b)).toBe(Buffer.from(b).toString('utf8'));
    expect(decodeUtf8(inputs.at(-2)!)).toBe('\ufeff{}');
  });

  it('encode as Buffer.from(text, "utf8"), lone surrogates as U+FFFD', () => {
    for (const text of ['', 'abc', 'é€😀', 'a\ud800b', '\udc00', 'x\ud83d'])
      expect(Buffer.from(encodeUtf8(text)).equals(Buffer.from(text, 'utf8'))).toBe(true);
  });
});
