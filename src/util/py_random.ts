// Python's `random.Random(seed)`, reproduced call for call, so that a script seeded like its Python
// original draws the same numbers: create_pretraining_data's instances depend on every draw.
//
// Mirrors CPython's Modules/_randommodule.c (MT19937, seeding through init_by_array, random(),
// getrandbits()) and Lib/random.py (_randbelow_with_getrandbits, randrange, randint, shuffle,
// choice), which are the same in Python 3.2 through 3.12 for the calls used here. No npm package
// reproduces Python's seeding and _randbelow (generic MT19937 packages seed with init_genrand and
// draw integers differently), hence this file.
import { UsageError } from './errors.js';

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** The 32-bit words of |seed|, least significant first; [0] for 0 (CPython's random_seed). */
export function seedKey(seed: number | bigint): number[] {
  if (typeof seed === 'number' && !Number.isSafeInteger(seed))
    throw new UsageError(`random seed ${seed} is not an integer Python would accept exactly`);
  let s = BigInt(seed);
  if (s < 0n) s = -s;
  const key: number[] = [];
  while (s > 0n) {
    key.push(Number(s & 0xffffffffn));
    s >>= 32n;
  }
  return key.length > 0 ? key : [0];
}

export class PyRandom {
  private readonly mt = new Uint32Array(N);
  private mti = N + 1;

  /** `random.Random(seed)` for an integer seed. */
  constructor(seed: number | bigint) {
    this.seed(seed);
  }

  /** `rng.seed(n)` for an integer n: init_by_array on the 32-bit words of |n|. */
  seed(seed: number | bigint): void {
    this.initByArray(seedKey(seed));
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1]!;
      mt[i] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + i) >>> 0;
    }
    this.mti = N;
  }

  private initByArray(key: readonly number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1]!;
      mt[i] = ((mt[i]! ^ Math.imul(prev ^ (prev >>> 30), 1664525)) + key[j]! + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1]!;
      mt[i] = ((mt[i]! ^ Math.imul(prev ^ (prev >>> 30), 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
    }
    mt[0] = 0x80000000; // MSB is 1, assuring a non-zero initial array
  }

  /** Refills the 624-word state (the "twist"). */
  private twist(): void {
    const mt = this.mt;
    for (let kk = 0; kk < N; kk++) {
      const y = (mt[kk]! & UPPER_MASK) | (mt[(kk + 1) % N]! & LOWER_MASK);
      mt[kk] = mt[(kk + M) % N]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    this.mti = 0;
  }

  /** The next tempered 32-bit output, as an unsigned number. */
  genrandUint32(): number {
    if (this.mti >= N) this.twist();
    let y = this.mt[this.mti++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** `random()`: a float in [0, 1) with 53 random bits (27 from one word, 26 from the next). */
  random(): number {
    const a = this.genrandUint32() >>> 5;
    const b = this.genrandUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** `getrandbits(k)`: k random bits; words are drawn least significant first. */
  getrandbits(k: number): bigint {
    checkBits(k);
    if (k <= 32) return BigInt(this.bits32(k));
    let r = 0n;
    let shift = 0n;
    for (let left = k; left > 0; left -= 32, shift += 32n) {
      let w = this.genrandUint32();
      if (left < 32) w >>>= 32 - left; // keep the most significant bits, as CPython does
      r |= BigInt(w) << shift;
    }
    return r;
  }

  /** getrandbits(k) for k ≤ 32 as a number (the common, fast case). */
  private bits32(k: number): number {
    return k === 0 ? 0 : this.genrandUint32() >>> (32 - k);
  }

  /** getrandbits(k) for k ≤ 53 as a number: exact, since the result is below 2^53. */
  private bits53(k: number): number {
    if (k <= 32) return this.bits32(k);
    const lo = this.genrandUint32();
    const hi = this.genrandUint32() >>> (64 - k);
    return hi * 4294967296 + lo;
  }

  /** `_randbelow(n)`: uniform in [0, n) by rejection on getrandbits(n.bit_length()). */
  randbelow(n: number): number {
    if (!Number.isSafeInteger(n) || n <= 0)
      throw new UsageError(`_randbelow(${n}): needs a positive safe integer`);
    const k = bitLength(n);
    let r = this.bits53(k);
    while (r >= n) r = this.bits53(k);
    return r;
  }

  /** `_randbelow(n)` for integers of any size. */
  randbelowBig(n: bigint): bigint {
    if (n <= 0n) throw new UsageError(`_randbelow(${n}): needs a positive integer`);
    const k = n.toString(2).length;
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return r;
  }

  /** `randrange(start, stop)`: uniform in [start, stop). */
  randrange(start: number, stop: number): number {
    const width = stop - start;
    if (!(width > 0))
      throw new UsageError(`empty range for randrange() (${start}, ${stop}, ${width})`);
    return start + this.randbelow(width);
  }

  /** `randint(a, b)`: uniform in [a, b], both ends included. */
  randint(a: number, b: number): number {
    return this.randrange(a, b + 1);
  }

  /** `randint(a, b)` for integers of any size. */
  randintBig(a: bigint, b: bigint): bigint {
    const width = b + 1n - a;
    if (width <= 0n)
      throw new UsageError(`empty range for randrange() (${a}, ${b + 1n}, ${width})`);
    return a + this.randbelowBig(width);
  }

  /** `shuffle(x)` in place: Fisher–Yates from the end, j = _randbelow(i + 1). */
  shuffle<T>(x: T[]): void {
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.randbelow(i + 1);
      const t = x[i]!;
      x[i] = x[j]!;
      x[j] = t;
    }
  }

  /** `choice(seq)`: seq[_randbelow(len(seq))]. */
  choice<T>(seq: readonly T[]): T {
    if (seq.length === 0) throw new UsageError('Cannot choose from an empty sequence');
    return seq[this.randbelow(seq.length)]!;
  }
}

function checkBits(k: number): void {
  if (!Number.isSafeInteger(k) || k < 0)
    throw new UsageError(`getrandbits(${k}): number of bits must be a non-negative integer`);
}

/** Python's int.bit_length() for a positive safe integer. */
function bitLength(n: number): number {
  return n < 4294967296 ? 32 - Math.clz32(n) : 32 + (32 - Math.clz32(Math.floor(n / 4294967296)));
}
