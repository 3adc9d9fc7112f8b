// Reference AdamWeightDecay step (optimization.AdamWeightDecayOptimizer.apply_gradients): Adam
// without bias correction, decoupled weight decay added to the update. Shapes: all (n).
import type { FloatArray } from '../kernels.js';

/** Updates param, m, v in place: u = m/(√v + ε) + wd·param; param −= lr·u. */
export function adamWeightDecay(
  param: FloatArray,
  grad: FloatArray,
  m: FloatArray,
  v: FloatArray,
  n: number,
  lr: number,
  beta1: number,
  beta2: number,
  eps: number,
  wd: number,
): void {
  for (let i = 0; i < n; i++) {
    const g = grad[i]!;
    const mi = beta1 * m[i]! + (1 - beta1) * g;
    const vi = beta2 * v[i]! + (1 - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    // No bias correction: optimization.py leaves it out on purpose.
    const update = mi / (Math.sqrt(vi) + eps) + wd * param[i]!;
    param[i] = param[i]! - lr * update;
  }
}
