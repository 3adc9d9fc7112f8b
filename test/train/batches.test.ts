// The training batch order: tf.data's repeat → shuffle(buffer_size=100) → batch(drop_remainder)
// reproduced with a seeded generator, checked for the seed's MRPC shape (3668 examples,
// 343 batches of 32).
import { describe, expect, it } from 'vitest';
import { batchSeqLength, trainingOrder } from '../../src/train/batches.js';

describe('trainingOrder (MRPC: 3668 examples, 343 × 32)', () => {
  const order = trainingOrder(3668, 343, 32, 12345);
  it('holds exactly 343 full batches (drop_remainder)', () => expect(order.length).toBe(10976));
  it('is a function of the seed', () => {
    expect(trainingOrder(3668, 343, 32, 12345)).toEqual(order);
    const other = trainingOrder(3668, 343, 32, 1);
    let same = 0;
    for (let i = 0; i < order.length; i++) if (other[i] === order[i]) same++;
    expect(same).toBeLessThan(order.length / 20);
  });
  it('never emits an example more than 100 places ahead of the stream (a 100-slot buffer)', () => {
    for (let i = 0; i < 3568; i++) expect(order[i]!).toBeLessThan(i + 100);
  });
  it('draws each example 2 to 4 times (10976 drawn, 10976 + 100 read: positions < 72 read 4 times)', () => {
    const counts = new Int32Array(3668);
    for (const i of order) counts[i]!++;
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < 3668; i++) expect(counts[i]!).toBeLessThanOrEqual(i < 72 ? 4 : 3);
  });
  it('works when the set is smaller than the buffer (64 examples)', () => {
    const small = trainingOrder(64, 6, 32, 7);
    const counts = new Int32Array(64);
    for (const i of small) counts[i]!++;
    expect(small.length).toBe(192);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(192);
    expect(Math.max(...small)).toBe(63);
  });
});

describe('batchSeqLength', () => {
  it('pads to the longest example unless asked to pad to max_seq_length', () => {
    expect(batchSeqLength([12, 47, 30], 128, false)).toBe(47);
    expect(batchSeqLength([12, 47, 30], 128, true)).toBe(128);
  });
});
