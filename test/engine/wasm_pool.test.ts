// The pool and the memory behind the wasm kernels: thread-count independence, idle workers that
// sleep, dispose, memory growth, and the argument checks that guard the shared memory.
import { describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { createKernels } from '../../src/engine/index.js';
import { Pool } from '../../src/engine/pool.js';
import { createSharedMemory } from '../../src/engine/wasm_memory.js';
import { expectSame, randomF32, rng, wasmSets } from './wasm_helpers.js';

const SETS = wasmSets();
const [[, one], [, two], [, plain]] = SETS;

describe('results do not depend on the thread count', () => {
  it('matmul (rows and columns split), biasBackward, layernorm backward, sumSquares: bit for bit', () => {
    const outs = [one(), two()].map((k) => {
      const r = rng(11);
      const [M, K, N] = [256, 96, 200];
      const a = randomF32(k, M * K, r);
      const b = randomF32(k, K * N, r);
      const c = k.alloc(M * N);
      k.matmul(c, a, b, null, M, K, N, false, true, false);
      const narrow = k.alloc(3 * 2000);
      k.matmul(narrow, a, randomF32(k, K * 2000, r), null, 3, K, 2000, false, false, false);
      const dBias = k.alloc(N);
      k.biasBackward(dBias, c, M, N);
      const [mean, rstd, gamma] = [k.alloc(M), k.alloc(M), randomF32(k, N, r)];
      k.layernormForward(c, mean, rstd, c, gamma, gamma, M, N);
      const [dInp, dGamma, dBeta] = [k.alloc(M * N), k.alloc(N), k.alloc(N)];
      k.layernormBackward(dInp, dGamma, dBeta, c, c, mean, rstd, gamma, M, N);
      return { c, narrow, dBias, dInp, dGamma, dBeta, sum: k.sumSquares(c, M * N) };
    });
    const [x, y] = outs as [(typeof outs)[0], (typeof outs)[0]];
    for (const key of ['c', 'narrow', 'dBias', 'dInp', 'dGamma', 'dBeta'] as const)
      expectSame(x[key], y[key]);
    expect(x.sum).toBe(y.sum);
  });
});

describe('the two builds (relaxed SIMD with fused multiply-adds, plain SIMD)', () => {
  it('matmul and gelu (through exp) agree within float32 rounding; LayerNorm is bit for bit the same', () => {
    expect(two().name).toBe('wasm-relaxed-simd x2');
    expect(plain().name).toBe('wasm-simd x2');
    const outs = [two(), plain()].map((k) => {
      const r = rng(5);
      const [M, K, N] = [256, 512, 130];
      const [a, b] = [randomF32(k, M * K, r, -4, 4), randomF32(k, K * N, r)];
      const c = k.alloc(M * N);
      k.matmul(c, a, b, randomF32(k, N, r), M, K, N, false, false, false);
      const g = k.alloc(M * K);
      k.activationForward('gelu', g, a, M * K);
      const [ln, mean, rstd, gamma] = [k.alloc(M * K), k.alloc(M), k.alloc(M), randomF32(k, K, r)];
      k.layernormForward(ln, mean, rstd, a, gamma, gamma, M, K);
      return { c, g, ln };
    });
    const [x, y] = outs as [(typeof outs)[0], (typeof outs)[0]];
    expectSame(x.ln, y.ln);
    const worst = (p: Float32Array, q: Float32Array, rel: number) => {
      let w = 0;
      for (let i = 0; i < p.length; i++)
        w = Math.max(w, Math.abs(p[i]! - q[i]!) / (1 + rel * Math.abs(q[i]!)));
      return w;
    };
    expect(worst(x.c, y.c, 0)).toBeLessThan(1e-5 * Math.sqrt(512));
    expect(worst(x.g, y.g, 1e6)).toBeLessThan(1e-6);
  });
});

describe('the pool', () => {
  it('an idle pool sleeps: < 100 ms of CPU in 400 ms after a burst of kernels', async () => {
    const k = two();
    const a = randomF32(k, 1 << 20, rng(1));
    for (let i = 0; i < 20; i++) k.zero(a, 1 << 20);
    await sleep(100);
    const before = process.cpuUsage();
    await sleep(400);
    const used = process.cpuUsage(before);
    expect((used.user + used.system) / 1000).toBeLessThan(100);
  });

  it('dispose() ends the workers; a kernel call afterwards is an error', async () => {
    const k = await createKernels({ threads: 2, backend: 'wasm' });
    // Node 20's V8 has relaxed SIMD behind a flag the engine turns on; later Node ships it.
    expect(k.name).toBe('wasm-relaxed-simd x2');
    const a = k.alloc(1 << 18).fill(2);
    k.accumulate(a, a, 1 << 18);
    expect(a[12345]).toBe(4);
    await k.dispose();
    expect(() => k.accumulate(a, a, 1 << 18)).toThrow('internal: kernel call after dispose()');
  });

  it('threads outside [1, 48] is a ConfigError', async () => {
    await expect(createKernels({ threads: 0 })).rejects.toThrow(
      'kernel threads 0: expected an integer in [1, 48]',
    );
  });
});

describe('the shared memory', () => {
  it('grows past its first 16 MiB while earlier buffers stay valid', () => {
    const k = two();
    const small = k.alloc(1000).fill(3);
    const big = k.alloc(24 << 20); // 96 MiB
    big[big.length - 1] = 1;
    const out = k.alloc(1000);
    k.add(out, small, small, 1000);
    expect(out[999]).toBe(6);
    k.accumulate(big, big, big.length);
    expect(big[big.length - 1]).toBe(2);
  });

  it('refuses buffers from elsewhere: a plain Float32Array, another kernel set', () => {
    const [k1, k2] = [one(), two()];
    const mine = k1.alloc(8);
    expect(() => k1.add(mine, mine, new Float32Array(8), 8)).toThrow(
      'internal: a buffer not allocated by this kernel set',
    );
    expect(() => k1.add(mine, mine, k2.alloc(8), 8)).toThrow('not allocated by this kernel set');
  });

  it('a buffer smaller than its shape is a ShapeError naming kernel and buffer', () => {
    const k = one();
    const [a, b, c] = [k.alloc(6), k.alloc(6), k.alloc(5)];
    expect(() => k.matmul(c, a, b, null, 2, 3, 3, false, false, false)).toThrow(
      'matmul: out has 5 elements, the shapes need 6',
    );
  });
});

/**
 * A two-function module written out in bytes: ok(start, end, scratch) does nothing and
 * boom(start, end, scratch) traps (`unreachable`) unless start = 0 — a kernel that fails.
 */
const TRAP_MODULE = Uint8Array.from([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // \0asm, version 1
  ...[0x01, 0x07, 0x01, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x00], // type 0: (i32, i32, i32) → ()
  ...[0x02, 0x12, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79], // import env.memory
  ...[0x02, 0x03, 0x01, 0x80, 0x80, 0x04], // shared memory, 1 to 65536 pages
  ...[0x03, 0x03, 0x02, 0x00, 0x00], // two functions of type 0
  ...[0x07, 0x0d, 0x02, 0x02, 0x6f, 0x6b, 0x00, 0x00, 0x04, 0x62, 0x6f, 0x6f, 0x6d, 0x00, 0x01],
  ...[0x0a, 0x0d, 0x02, 0x02, 0x00, 0x0b, 0x08, 0x00, 0x20, 0x00, 0x04, 0x40, 0x00, 0x0b, 0x0b],
]);

describe('a kernel that fails', () => {
  it('throws from run(), on whichever thread it failed, and leaves the pool usable', async () => {
    const module = new WebAssembly.Module(TRAP_MODULE);
    const memory = createSharedMemory(1);
    const { exports } = await WebAssembly.instantiate(module, { env: { memory } });
    const fns = [exports.ok, exports.boom].map((f) => {
      if (typeof f !== 'function') throw new Error('export missing');
      return (...a: number[]) => f(...a);
    });
    const pool = await Pool.create(module, memory, ['ok', 'boom'], fns, 2);
    try {
      for (let i = 0; i < 5; i++) {
        expect(() => pool.run(1, [], { total: 16, per: 1 })).toThrow(
          /unreachable|failed on worker 1/,
        );
        pool.run(0, [], { total: 16, per: 1 });
      }
    } finally {
      await pool.dispose();
    }
  });
});
