// A small seeded pseudo-random generator for weight initialisation and tests. TF's own generator
// (Philox behind tf.truncated_normal) is not reproduced — the released checkpoints carry their
// weights — so only the distribution matters: xoshiro128** (Blackman & Vigna), 32-bit state words
// seeded from one integer through splitmix32, doubles from 53 random bits, normals by Box–Muller.

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) >>> 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

export class Rng {
  private readonly s: Uint32Array;

  constructor(seed: number) {
    const st = { s: seed >>> 0 };
    this.s = new Uint32Array([splitmix32(st), splitmix32(st), splitmix32(st), splitmix32(st)]);
  }

  /** A uniform uint32 (xoshiro128**). */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1]!, 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1]! << 9) >>> 0;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** A standard normal draw (Box–Muller; the second value is not kept, for simplicity). */
  normal(): number {
    const u1 = 1 - this.uniform(); // (0, 1]: log stays finite
    const u2 = this.uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /**
   * tf.truncated_normal(stddev): a normal draw re-drawn while beyond two standard deviations
   * (modeling.create_initializer).
   */
  truncatedNormal(stddev: number): number {
    for (;;) {
      const z = this.normal();
      if (Math.abs(z) <= 2) return z * stddev;
    }
  }

  /** Fills `out` with uniform values in [lo, hi). */
  fillUniform(out: Float32Array | Float64Array, lo: number, hi: number): void {
    for (let i = 0; i < out.length; i++) out[i] = lo + (hi - lo) * this.uniform();
  }
}
