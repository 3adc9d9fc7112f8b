import { describe, expect, it } from 'vitest';
import { parsePyFloat } from '../../src/data/py_float.js';

// [text, Python 3.11's float(text) (repr, 'nan', or null for ValueError)], from python3 -c.
const CASES: [string, number | 'nan' | null][] = [
  ['5.000', 5],
  [' 3.8 ', 3.8],
  ['1_0', 10],
  ['1__0', null],
  ['_1', null],
  ['1_', null],
  ['.5', 0.5],
  ['5.', 5],
  ['.', null],
  ['1e5', 100000],
  ['1E-3', 0.001],
  ['1e', null],
  ['1e_5', null],
  ['inf', Infinity],
  ['-Infinity', -Infinity],
  ['NaN', 'nan'],
  ['+nan', 'nan'],
  ['0x10', null],
  ['', null],
  ['  ', null],
  ['1.5.2', null],
  ['1,5', null],
  ['+.5e+3', 500],
  ['infinit', null],
  ['-0', -0],
];

describe('parsePyFloat equals Python float() (exact)', () => {
  it.each(CASES)('%j -> %s', (text, want) => {
    const got = parsePyFloat(text);
    if (want === 'nan') expect(got).toBeNaN();
    else expect(got).toBe(want);
  });
  it('known gap: Unicode digits, which Python accepts ("١٢" is 12.0), are rejected', () => {
    expect(parsePyFloat('\u0661\u0662')).toBeNull();
  });
});
