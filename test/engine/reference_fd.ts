// Central finite differences in float64 for the gradient checks of the reference kernels and of
// the whole model: loss L(x) = Σ w·f(x) for fixed random weights w, dL/dx_j ≈ (L(x+h) − L(x−h))/2h.
import { Rng } from '../../src/util/rng.js';

/** max |got − want| / (max |want| + 1e-30) over one tensor: the relative error the checks quote. */
export function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let maxDiff = 0;
  let maxWant = 0;
  for (let i = 0; i < want.length; i++) {
    maxDiff = Math.max(maxDiff, Math.abs(got[i]! - want[i]!));
    maxWant = Math.max(maxWant, Math.abs(want[i]!));
  }
  if (got.length !== want.length) return Infinity;
  return maxDiff / (maxWant + 1e-30);
}

/** A Float64Array of n uniform values in [lo, hi) from a seed. */
export function randomArray(n: number, seed: number, lo = -1, hi = 1): Float64Array {
  const out = new Float64Array(n);
  new Rng(seed).fillUniform(out, lo, hi);
  return out;
}

/** Σ w·out. */
export function weightedSum(out: ArrayLike<number>, w: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += out[i]! * w[i]!;
  return s;
}

/**
 * dL/dx by central differences, perturbing x in place (and restoring it); `loss` recomputes
 * the scalar from the current x.
 */
export function numericGradient(x: Float64Array, loss: () => number, h = 1e-5): Float64Array {
  const g = new Float64Array(x.length);
  for (let j = 0; j < x.length; j++) {
    const saved = x[j]!;
    x[j] = saved + h;
    const plus = loss();
    x[j] = saved - h;
    const minus = loss();
    x[j] = saved;
    g[j] = (plus - minus) / (2 * h);
  }
  return g;
}

/** What a backward added to a gradient buffer that started at `before`. */
export function added(after: Float64Array, before: Float64Array): Float64Array {
  return after.map((v, i) => v - before[i]!);
}
