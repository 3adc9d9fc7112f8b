// Reference AdamWeightDecay step (optimization.AdamWeightDecayOptimizer.apply_gradients): Adam
// without bias correction, decoupled weight decay added to the update. Shapes: all (n).
import type { FloatArray } from '../kernels.js';

/**
 * Updates param, m, v in place: g = gradScale·grad; u = m/(√v + ε) + wd·param inside the decay
 * runs (sorted pairs [start, end)), m/(√v + ε) elsewhere; param −= lr·u.
 */
export function adamWeightDecay(
  param: FloatArray,
  grad: FloatArray,
  m: FloatArray,
  v: FloatArray,
  n: number,
  decayRuns: Int32Array,
  lr: number,
  beta1: number,
  beta2: number,
  eps: number,
  wd: number,
  gradScale: number,
): void {
  let run = 0;
  for (let i = 0; i < n; i++) {
    while (run < decayRuns.length && decayRuns[run + 1]! <= i) run += 2;
    const decays = run < decayRuns.length && decayRuns[run]! <= i;
    const g = gradScale * grad[i]!;
    const mi = beta1 * m[i]! + (1 - beta1) * g;
    const vi = beta2 * v[i]! + (1 - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    // No bias correction: optimization.py leaves it out on purpose.
    const update = mi / (Math.sqrt(vi) + eps) + (decays ? wd * param[i]! : 0);
    param[i] = param[i]! - lr * update;
  }
}
