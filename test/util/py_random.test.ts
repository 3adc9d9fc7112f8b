// PyRandom against streams drawn from CPython's own `random` module (refgen/py_random/gen.py).
// Every comparison is exact: the streams decide create_pretraining_data's instances.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PyRandom, seedKey } from '../../src/util/py_random.js';
import { pyFloatRepr as repr } from '../../src/util/py_format.js';
import { REPO } from '../shared.js';

interface SeedStreams {
  seed: string;
  random: string[];
  randint: { a: string; b: string; values: string[] }[];
  getrandbits: { k: number; values: string[] }[];
  shuffle: { n: number; result: number[] }[];
  choice: string[];
  mixed: (string | number | number[])[];
  words: number[];
}

const FIXTURE = join(REPO, 'test/fixtures/py_random/streams.json');
const { seeds } = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { seeds: SeedStreams[] };
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

describe.each(seeds.map((s) => [s.seed, s] as const))('random.Random(%s)', (seedText, s) => {
  const seed = BigInt(seedText);
  it('gives the same 1300 raw 32-bit words (three state twists)', () => {
    const rng = new PyRandom(seed);
    expect(s.words.map(() => rng.genrandUint32())).toEqual(s.words);
  });
  it('random() gives the same 100 floats, bit for bit', () => {
    const rng = new PyRandom(seed);
    expect(s.random.map(() => repr(rng.random()))).toEqual(s.random);
  });
  it('getrandbits(k) for k in 0..100 matches', () => {
    for (const { k, values } of s.getrandbits) {
      const rng = new PyRandom(seed);
      expect(
        values.map(() => String(rng.getrandbits(k))),
        `k=${k}`,
      ).toEqual(values);
    }
  });
  it('randint(a, b) matches on small, 2^32, 2^53 and 2^70 ranges', () => {
    for (const { a, b, values } of s.randint) {
      const [A, B] = [BigInt(a), BigInt(b)];
      const rng = new PyRandom(seed);
      const safe = -SAFE <= A && B < SAFE;
      const draw = safe
        ? (): string => String(rng.randint(Number(A), Number(B)))
        : (): string => String(rng.randintBig(A, B));
      expect(values.map(draw), `randint(${a}, ${b})`).toEqual(values);
      const big = new PyRandom(seed);
      expect(values.map(() => String(big.randintBig(A, B)))).toEqual(values);
    }
  });
  it('shuffle (applied twice) gives the same permutations', () => {
    for (const { n, result } of s.shuffle) {
      const rng = new PyRandom(seed);
      const x = Array.from({ length: n }, (_, i) => i);
      rng.shuffle(x);
      rng.shuffle(x);
      expect(x, `n=${n}`).toEqual(result);
    }
  });
  it('choice matches', () => {
    const rng = new PyRandom(seed);
    const seq = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    expect(s.choice.map(() => rng.choice(seq))).toEqual(s.choice);
  });
  it('an interleaved random/randint/shuffle stream matches', () => {
    const rng = new PyRandom(seed);
    const got: (string | number | number[])[] = [];
    for (let i = 0; i < s.mixed.length / 3; i++) {
      got.push(repr(rng.random()), rng.randint(0, i));
      const y = Array.from({ length: i % 7 }, (_, j) => j);
      rng.shuffle(y);
      got.push(y);
    }
    expect(got).toEqual(s.mixed);
  });
});

describe('seeding and errors', () => {
  it('splits |seed| into 32-bit words, least significant first', () => {
    expect(seedKey(0)).toEqual([0]);
    expect(seedKey(12345)).toEqual([12345]);
    expect(seedKey(-12345)).toEqual([12345]);
    expect(seedKey(2n ** 40n + 7n)).toEqual([7, 256]);
  });
  it('rejects what Python rejects: empty ranges, empty choice, negative bits', () => {
    const rng = new PyRandom(1);
    expect(() => rng.randint(2, 1)).toThrow('empty range for randrange() (2, 2, 0)');
    expect(() => rng.choice([])).toThrow('Cannot choose from an empty sequence');
    expect(() => rng.getrandbits(-1)).toThrow('getrandbits(-1)');
    expect(() => new PyRandom(0.5)).toThrow('random seed 0.5');
  });
});
