// run_pretraining's heads (masked LM over gathered positions with the tied word embeddings, next
// sentence on the pooled output) on the fixture encoder against PyTorch written after
// run_pretraining.get_masked_lm_output / get_next_sentence_output (refgen/model/make_fixture.py):
// both losses and every gradient, the tied embedding's included, padded predictions (weight 0)
// included. Metric per tensor: max |got − want| / max |want|.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createKernels, createReferenceKernels } from '../../src/engine/index.js';
import type { FloatArray, Kernels } from '../../src/engine/kernels.js';
import type { BertBatch } from '../../src/model/bert_model.js';
import {
  createPretrainingModel,
  pretrainingForwardBackward,
} from '../../src/model/pretraining_model.js';
import { relativeError } from '../engine/reference_fd.js';
import { REPO } from '../shared.js';
import { readModelFixture } from './fixture.js';

const fx = readModelFixture(join(REPO, 'test', 'fixtures', 'model', 'bert_pytorch.bin'));
const fb = fx.batch;
const pt = fx.pretraining!;
const batch: BertBatch = {
  batchSize: fb.batch_size,
  seqLength: fb.seq_length,
  inputIds: Int32Array.from(fb.input_ids),
  inputMask: Int32Array.from(fb.input_mask),
  segmentIds: Int32Array.from(fb.segment_ids),
};
const labels = {
  maskedLmPositions: Int32Array.from(pt.masked_lm_positions),
  maskedLmIds: Int32Array.from(pt.masked_lm_ids),
  maskedLmWeights: Float32Array.from(pt.masked_lm_weights),
  nextSentenceLabels: Int32Array.from(pt.next_sentence_labels),
};

function run<A extends FloatArray>(k: Kernels<A>) {
  const m = createPretrainingModel(k, fx.config, {
    maxBatch: 3,
    maxSeq: 7,
    maxPredictions: pt.max_predictions_per_seq,
    seed: 1,
  });
  const loaded = m.store.loadFromNamedTensors(
    (n) => fx.find(`param/${n}`) ?? fx.find(`pretrain_f64/param/${n}`),
  );
  expect(loaded).toEqual(m.layout.entries.map((e) => e.name));
  m.model.zeroGrad();
  const r = pretrainingForwardBackward(m, batch, labels, { training: false, seed: 0 });
  return { r, grads: [...m.store.namedParameters()] };
}

describe('pre-training heads vs PyTorch (P 3 with padded predictions, NSP labels 0/1)', () => {
  it('reference f64: masked LM loss, next sentence loss and every gradient within 1e-9 relative', () => {
    const { r, grads } = run(createReferenceKernels('f64'));
    expect(relativeError([r.maskedLmLoss], fx.get('pretrain_f64/masked_lm_loss'))).toBeLessThan(
      1e-12,
    );
    expect(
      relativeError([r.nextSentenceLoss], fx.get('pretrain_f64/next_sentence_loss')),
    ).toBeLessThan(1e-12);
    expect(grads.length).toBe(39 + 7);
    const bad = grads
      .filter((p) => !p.name.endsWith('attention/self/key/bias')) // exactly 0: rounding noise only
      .map((p) => [p.name, relativeError(p.grad, fx.get(`pretrain_f64/grad/${p.name}`))] as const)
      .filter(([, e]) => !(e < 1e-9));
    expect(bad).toEqual([]);
  });

  it('reference f32 and WebAssembly (2 threads): both losses within 1e-5 of PyTorch float32', async () => {
    const wasm = await createKernels({ threads: 2 });
    try {
      for (const k of [createReferenceKernels('f32'), wasm]) {
        const { r } = run(k);
        expect(relativeError([r.maskedLmLoss], fx.get('pretrain_f32/masked_lm_loss'))).toBeLessThan(
          1e-5,
        );
        expect(
          relativeError([r.nextSentenceLoss], fx.get('pretrain_f32/next_sentence_loss')),
        ).toBeLessThan(1e-5);
      }
    } finally {
      await wasm.dispose();
    }
  });
});
