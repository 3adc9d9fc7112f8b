// run_pretraining's heads against an independent implementation: refgen/model/make_fixture.py
// computes get_masked_lm_output + get_next_sentence_output in plain PyTorch ops on the fixture's
// small BERT (gather_indexes, dense + tanh-GELU + LayerNorm, logits against the tied word
// embeddings + output_bias, Σ(w·nll)/(Σw + 1e-5); NSP on the pooled output) and autograd's
// gradient of MLM + NSP for every tensor, the tied embedding's included. Here the same weights
// are loaded by TF name and the losses and all 46 gradients compared, on the float64 and float32
// reference kernels and on the WebAssembly kernels at 2 threads.
// Metric per tensor: max |got − want| / (max |want| + 1e-30); the key biases (true gradient 0):
// max |got| + max |want|.
import { forwardBackward } from '../../src/model/task_model.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKernels, createReferenceKernels } from '../../src/engine/index.js';
import type { FloatArray, Kernels } from '../../src/engine/kernels.js';
import { createPretrainingModel } from '../../src/model/pretraining_model.js';
import { relativeError } from '../engine/reference_fd.js';
import { fixtureBatch, loadFixtureParams, PYTORCH_FIXTURE, readModelFixture } from './fixture.js';

const fx = readModelFixture(PYTORCH_FIXTURE);
const fb = fx.batch;
const pt = fx.pretraining!;
const batch = fixtureBatch(fb);
const labels = {
  maskedLmPositions: Int32Array.from(pt.masked_lm_positions),
  maskedLmIds: Int32Array.from(pt.masked_lm_ids),
  maskedLmWeights: Float32Array.from(pt.masked_lm_weights),
  nextSentenceLabels: Int32Array.from(pt.next_sentence_labels),
};

/** Losses and gradients on kernel set k, relative errors against the fixture's float64 run. */
function compare<A extends FloatArray>(k: Kernels<A>): Map<string, number> {
  const m = createPretrainingModel(k, fx.config, {
    maxBatch: 4,
    maxSeq: 9,
    maxPredictions: pt.max_predictions_per_seq,
    seed: 1,
  });
  const loaded = loadFixtureParams(
    m.store,
    (name) => fx.find(`pretrain_f64/param/${name}`) ?? fx.find(`param/${name}`),
  );
  expect(loaded).toEqual(m.layout.entries.map((e) => e.name));
  m.model.zeroGrad();
  const r = forwardBackward(m, batch, labels, { training: false, seed: 0 });
  const errors = new Map<string, number>([
    ['masked_lm_loss', relativeError([r.maskedLmLoss], fx.get('pretrain_f64/masked_lm_loss'))],
    [
      'next_sentence_loss',
      relativeError([r.nextSentenceLoss], fx.get('pretrain_f64/next_sentence_loss')),
    ],
  ]);
  for (const p of m.store.namedParameters()) {
    const want = fx.get(`pretrain_f64/grad/${p.name}`);
    // The key bias's true gradient is exactly 0 (softmax ignores a constant shift): both sides
    // hold rounding noise, so compare its absolute size with the scale of the other gradients.
    const zero = p.name.endsWith('attention/self/key/bias');
    errors.set(
      `grad/${p.name}`,
      zero ? maxAbs(p.grad) + maxAbs(want) : relativeError(p.grad, want),
    );
  }
  return errors;
}

function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!));
  return m;
}

function worst(errors: Map<string, number>): [string, number] {
  return [...errors].reduce((a, b) => (b[1] > a[1] || Number.isNaN(b[1]) ? b : a));
}

describe('pre-training heads vs PyTorch (make_fixture.py)', () => {
  it('the fixture has the heads: losses, 46 gradients, 7 cls/* tensors', () => {
    expect(fx.names.filter((n) => n.startsWith('pretrain_f64/grad/'))).toHaveLength(46);
    expect(fx.names.filter((n) => n.startsWith('pretrain_f64/param/cls/'))).toHaveLength(7);
  });
  it('reference f64: losses and every gradient within 1e-9 relative', () => {
    const errors = compare(createReferenceKernels('f64'));
    expect(errors.size).toBe(48);
    expect(worst(errors)[1]).toBeLessThan(1e-9);
  });
  it('reference f32: within 1e-5; the float32 PyTorch losses agree too', () => {
    const errors = compare(createReferenceKernels('f32'));
    expect(worst(errors)[1]).toBeLessThan(1e-5);
    const f32 = fx.get('pretrain_f32/masked_lm_loss')[0]!;
    expect(Math.abs(f32 - fx.get('pretrain_f64/masked_lm_loss')[0]!)).toBeLessThan(1e-5);
  });
  describe('WebAssembly kernels, 2 threads', () => {
    let k: Kernels<Float32Array>;
    beforeAll(async () => {
      k = await createKernels({ threads: 2 });
    });
    afterAll(async () => {
      await k.dispose();
    });
    it('losses and every gradient within 1e-4 relative', () => {
      const errors = compare(k);
      expect(worst(errors)[1]).toBeLessThan(1e-4);
    });
  });
});
