// Metrics against values worked out by hand (the arithmetic is in the comments) and against
// the real MRPC dev set's majority baseline. Tolerance 1e-12 unless stated.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  accuracy,
  argmaxRows,
  averageRanks,
  f1,
  matthewsCorrelation,
  mean,
  pearson,
  spearman,
} from '../../src/train/metrics.js';
import { npFloat32Str } from '../../src/util/py_format.js';
import { SHARED } from '../shared.js';

// tp = 4 (positions 0,3,6,7), fp = 1 (1), fn = 1 (4), tn = 2 (2,5)
const PRED = [1, 1, 0, 1, 0, 0, 1, 1];
const GOLD = [1, 0, 0, 1, 1, 0, 1, 1];

describe('classification metrics', () => {
  it('accuracy = 6/8', () => expect(accuracy(PRED, GOLD)).toBe(0.75));
  it('F1 = 2·4 / (2·4 + 1 + 1) = 0.8', () => expect(f1(PRED, GOLD)).toBeCloseTo(0.8, 12));
  it('Matthews = (4·2 − 1·1) / √(5·5·3·3) = 7/15', () =>
    expect(matthewsCorrelation(PRED, GOLD)).toBeCloseTo(7 / 15, 12));
  it('is 0 when a class is never predicted (sklearn zero division)', () => {
    expect(matthewsCorrelation([1, 1, 1], [1, 0, 1])).toBe(0);
    expect(f1([0, 0], [0, 0])).toBe(0);
  });
  it('mean and argmax (first index on ties)', () => {
    expect(mean([1, 2, 6])).toBe(3);
    expect(Array.from(argmaxRows([0.2, 0.8, 0.5, 0.5, 0.9, 0.1], 3, 2))).toEqual([1, 0, 0]);
  });
  it('on the real MRPC dev set, the majority class gives 0.6838235 and F1 558/687', () => {
    const rows = readFileSync(join(SHARED, 'glue/MRPC/dev.tsv'), 'utf8').split('\n').slice(1);
    const labels = rows.filter((r) => r !== '').map((r) => Number(r.split('\t')[0]));
    const ones = labels.map(() => 1);
    expect(labels.length).toBe(408);
    expect(npFloat32Str(accuracy(ones, labels))).toBe('0.6838235'); // 279/408
    expect(f1(ones, labels)).toBeCloseTo(558 / 687, 12); // 2·279 / (2·279 + 129)
    expect(matthewsCorrelation(ones, labels)).toBe(0);
  });
});

describe('correlations', () => {
  const x = [1, 2, 3, 4, 5];
  const y = [2, 4, 5, 4, 5];
  it('Pearson: Σdxdy = 6, Σdx² = 10, Σdy² = 6 → 6/√60', () =>
    expect(pearson(x, y)).toBeCloseTo(6 / Math.sqrt(60), 12));
  it('average ranks of ties: [2,4,5,4,5] → [1, 2.5, 4.5, 2.5, 4.5]', () =>
    expect(Array.from(averageRanks(y))).toEqual([1, 2.5, 4.5, 2.5, 4.5]));
  it('Spearman = Pearson of ranks = 7/√90 (scipy: 0.7378647873726218)', () => {
    expect(spearman(x, y)).toBeCloseTo(7 / Math.sqrt(90), 12);
    expect(spearman(x, y)).toBeCloseTo(0.7378647873726218, 12);
  });
  it('is 0 for a constant side', () => expect(pearson([1, 1, 1], [1, 2, 3])).toBe(0));
});
