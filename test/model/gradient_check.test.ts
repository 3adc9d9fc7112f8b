// The whole model's analytic gradients — every parameter tensor, through the classifier head's
// loss — against central finite differences in float64 with the reference kernels. The tiny
// config (tiny.ts) has a padded position. With dropout on, the masks are a function of the seed,
// so the loss is a deterministic, differentiable function of the parameters and the check holds.
import { forwardBackward } from '../../src/model/task_model.js';
import { describe, expect, it } from 'vitest';
import { createReferenceKernels } from '../../src/engine/reference/index.js';
import { createClassifierModel } from '../../src/model/classifier_model.js';
import { Rng } from '../../src/util/rng.js';
import { numericGradient, relativeError } from '../engine/reference_fd.js';
import { tinyBatch, tinyConfig } from './tiny.js';

const k = createReferenceKernels('f64');

function checkAllGradients(dropout: number, regression: boolean): Map<string, number> {
  const m = createClassifierModel(k, tinyConfig(dropout), {
    numLabels: regression ? 1 : 3,
    maxBatch: 3,
    maxSeq: 6,
    seed: 11,
    regression,
  });
  // Random LayerNorm gammas/betas and biases too, so no gradient is trivially symmetric.
  const rng = new Rng(5);
  for (let i = 0; i < m.store.params.length; i++) m.store.params[i]! += 0.2 * rng.normal();
  const batch = tinyBatch();
  const labels = regression ? Float64Array.from([0.7, -1.3]) : Int32Array.from([2, 0]);
  const opts = { training: dropout > 0, seed: 1234 };
  m.model.zeroGrad();
  forwardBackward(m, batch, labels, opts);
  const loss = () => m.head.forward(m.model.forward(batch, opts), labels, opts).loss;
  const errors = new Map<string, number>();
  for (const p of m.store.namedParameters()) {
    const fd = numericGradient(p.view, loss);
    // The key bias adds q·b to every score of a query row, and softmax ignores a constant shift:
    // its true gradient is exactly 0, so compare absolute values (FD noise is ~1e-11).
    const zeroGradient = p.name.endsWith('attention/self/key/bias');
    errors.set(p.name, zeroGradient ? maxAbs(p.grad) + maxAbs(fd) : relativeError(p.grad, fd));
  }
  return errors;
}

function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!));
  return m;
}

describe('whole-model gradient check (f64, every parameter, relative error < 1e-6; key biases |g| < 1e-6)', () => {
  it.each([
    ['classification, dropout off', 0, false],
    ['classification, dropout 0.2 with a fixed seed', 0.2, false],
    ['regression (num_labels 1, MSE), dropout off', 0, true],
  ])('%s', (_title, dropout, regression) => {
    const errors = checkAllGradients(dropout, regression);
    expect(errors.size).toBe(5 + 16 * 2 + 2 + 2); // embeddings, 2 layers, pooler, head
    const bad = [...errors].filter(([, e]) => !(e < 1e-6));
    expect(bad).toEqual([]);
  });
});
