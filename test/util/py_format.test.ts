import { describe, expect, it } from 'vitest';
import {
  npFloat32Str,
  pyFloatRepr,
  pyJsonFloat,
  pyJsonString,
  pyRound,
  pyRoundTo,
} from '../../src/util/py_format.js';

describe('pyFloatRepr matches Python 3 repr(float)', () => {
  it.each([
    [0.1, '0.1'],
    [1e-5, '1e-05'],
    [1e-4, '0.0001'],
    [0.00012345, '0.00012345'],
    [1e16, '1e+16'],
    [1e15, '1000000000000000.0'],
    [1.2345678901234568e17, '1.2345678901234568e+17'],
    [100, '100.0'],
    [-0, '-0.0'],
    [0, '0.0'],
    [-2.5, '-2.5'],
    [1.5e-7, '1.5e-07'],
    [0.123457, '0.123457'],
    [Infinity, 'inf'],
  ])('%s -> %s', (x, want) => {
    expect(pyFloatRepr(x)).toBe(want);
  });
  it('json.dumps spells infinities and NaN as JavaScript does', () => {
    expect(pyJsonFloat(-Infinity)).toBe('-Infinity');
    expect(pyJsonFloat(NaN)).toBe('NaN');
  });
});

describe('npFloat32Str matches numpy str(np.float32(x))', () => {
  it.each([
    [0.6838235, '0.6838235'],
    [0.72794116, '0.72794116'],
    [0.845588, '0.845588'],
    [0.65160865, '0.65160865'],
    [1, '1.0'],
    [0, '0.0'],
    [1e-5, '1e-05'],
    [1.5e-5, '1.5e-05'],
    [0.0001, '1e-04'], // float32(1e-4) is just below 1e-4, so numpy switches to scientific
    [0.00025, '0.00025'],
    [343, '343.0'],
    [1e16, '1e+16'],
    [-0.1, '-0.1'],
  ])('%s -> %s', (x, want) => {
    expect(npFloat32Str(x)).toBe(want);
  });
});

describe('pyRound is Python 3 banker rounding', () => {
  it.each([
    [0.5, 0],
    [1.5, 2],
    [2.5, 2],
    [4.5, 4],
    [-0.5, -0],
    [-1.5, -2],
    [2.4999, 2],
    [19.2, 19],
  ])('round(%s) == %s', (x, want) => {
    expect(pyRound(x)).toBe(want);
  });
  it('round(x, 6) rounds the exact binary value half-even', () => {
    expect(pyRoundTo(0.1234565, 6)).toBe(0.123456); // 0.1234565 is below the tie in binary
    expect(pyRoundTo(2.675, 2)).toBe(2.67);
    expect(pyRoundTo(-0.0000004, 6)).toBe(-0);
    expect(pyRoundTo(0.9999996, 6)).toBe(1);
    expect(Object.is(pyRoundTo(-0, 6), -0)).toBe(true);
    expect(Object.is(pyRoundTo(-1e-9, 6), -0)).toBe(true);
    expect(pyRoundTo(3.4e38, 6)).toBe(3.4e38);
    expect(pyRoundTo(1e21 + 65536, 6)).toBe(1e21 + 65536);
  });
});

describe('pyJsonString matches json.dumps(s) with ensure_ascii', () => {
  it.each([
    ['plain', '"plain"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['\n\t\u0001', '"\\n\\t\\u0001"'],
    ['caf\u00e9 \u007f', '"caf\\u00e9 \\u007f"'],
    ['\u{1F600}', '"\\ud83d\\ude00"'],
  ])('%j', (s, want) => {
    expect(pyJsonString(s)).toBe(want);
  });
});
