// inspect_checkpoint prints tensors as numpy's str(ndarray): held to numpy's own text
// (test/fixtures/inspect/numpy_str.json, made by refgen/inspect/make_numpy_str.py).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { numpyStr } from '../../src/formats/checkpoint/np_print.js';
import type { Tensor } from '../../src/formats/checkpoint/tensor.js';
import { REPO } from '../shared.js';

interface Case {
  dtype: string;
  shape: number[];
  values: (string | boolean)[];
  str: string;
}
const CASES = JSON.parse(
  readFileSync(join(REPO, 'test/fixtures/inspect/numpy_str.json'), 'utf8'),
) as Record<string, Case>;

/** Python's repr of a float back to a number ('inf', '-inf', 'nan' included). */
const num = (x: string | boolean): number =>
  ({ inf: Infinity, '-inf': -Infinity, nan: NaN })[String(x)] ?? Number(x);

function tensor(c: Case): Tensor {
  const { shape } = c;
  const v = c.values;
  switch (c.dtype) {
    case 'float32':
      return { name: 'x', dtype: 'float32', shape, data: Float32Array.from(v, num) };
    case 'float64':
      return { name: 'x', dtype: 'float64', shape, data: Float64Array.from(v, num) };
    case 'int64':
      return {
        name: 'x',
        dtype: 'int64',
        shape,
        data: BigInt64Array.from(v, (x) => BigInt(x as string)),
      };
    case 'int32':
      return { name: 'x', dtype: 'int32', shape, data: Int32Array.from(v, (x) => Number(x)) };
    case 'bool':
      return { name: 'x', dtype: 'bool', shape, data: Uint8Array.from(v, (x) => (x ? 1 : 0)) };
    default:
      throw new Error(`fixture dtype ${c.dtype}`);
  }
}

describe('numpyStr equals numpy str(ndarray) exactly', () => {
  it.each(Object.keys(CASES))('%s', (name) => {
    const c = CASES[name]!;
    expect(numpyStr(tensor(c))).toBe(c.str);
  });
});
