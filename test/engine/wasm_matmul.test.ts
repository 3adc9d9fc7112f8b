// The wasm matmul (every transpose, bias, accumulation) and biasBackward against the float64
// reference, on sizes that are not multiples of the SIMD width or of the 4×8 tile, sizes that
// cross the KC = 512 / NC = 256 packing blocks, BERT-Tiny shapes, and the column split.
import { describe, it } from 'vitest';
import { expectClose, f64, randomF32, ref64, rng, kernelSets } from './wasm_helpers.js';

const SETS = kernelSets();

// [M, K, N]
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [4, 4, 8],
  [17, 129, 33],
  [129, 17, 65],
  [5, 300, 301], // K and N cross the packing blocks
  [3, 40, 700], // few rows, many columns: split by columns on 2 threads
  [64, 600, 130], // the dW = Xᵀ·dY shape: long K
  [9, 1100, 40], // K across two KC blocks
  [256, 128, 128], // BERT-Tiny dense layers (fewer rows, same inner shapes)
  [128, 512, 128],
];

describe.each(SETS)('matmul [%s]', (_name, kernels) => {
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      const what = `transA=${transA} transB=${transB}`;
      it.each(SHAPES)(
        `${what} M=%i K=%i N=%i, bias, += : |got−ref| ≤ 1e-5 + 1e-5·|ref|`,
        (M, K, N) => {
          const k = kernels();
          const r = rng(M * 7919 + K * 31 + N);
          const a = randomF32(k, M * K, r);
          const b = randomF32(k, K * N, r);
          const bias = randomF32(k, N, r);
          for (const accumulate of [false, true]) {
            for (const withBias of [false, true]) {
              const out = randomF32(k, M * N, r);
              const want = f64(out);
              const bi = withBias ? bias : null;
              k.matmul(out, a, b, bi, M, K, N, transA, transB, accumulate);
              ref64.matmul(
                want,
                f64(a),
                f64(b),
                bi && f64(bi),
                M,
                K,
                N,
                transA,
                transB,
                accumulate,
              );
              // Float32 dot products of length K: the error grows like √K·ε·Σ|a·b|.
              expectClose(out, want, 1e-5 * Math.sqrt(K), 1e-5);
            }
          }
        },
      );
    }
  }
});

describe.each(SETS)('biasBackward [%s]', (_name, kernels) => {
  it.each([
    [1, 1],
    [7, 3],
    [33, 17],
    [4096, 128],
    [200, 513],
  ])('M=%i N=%i from nonzero dBias: |got−ref| ≤ 1e-4 + 1e-5·|ref|', (M, N) => {
    const k = kernels();
    const r = rng(M + N);
    const dOut = randomF32(k, M * N, r);
    const dBias = randomF32(k, N, r);
    const want = f64(dBias);
    k.biasBackward(dBias, dOut, M, N);
    ref64.biasBackward(want, f64(dOut), M, N);
    expectClose(dBias, want, 1e-4 + 1e-6 * M, 1e-5);
  });
});
