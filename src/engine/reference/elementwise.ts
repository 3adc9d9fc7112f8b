// Reference elementwise kernels: residual add, gradient accumulation, global norm.
import type { FloatArray } from '../kernels.js';

/** out(n) = a + b. */
export function add(out: FloatArray, a: FloatArray, b: FloatArray, n: number): void {
  for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!;
}

/** dst(n) += src. */
export function accumulate(dst: FloatArray, src: FloatArray, n: number): void {
  for (let i = 0; i < n; i++) dst[i] = dst[i]! + src[i]!;
}

/** x(n) = 0. */
export function zero(x: FloatArray, n: number): void {
  x.fill(0, 0, n);
}

/** Σ x² over n elements, in float64. */
export function sumSquares(x: FloatArray, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i]! * x[i]!;
  return sum;
}
