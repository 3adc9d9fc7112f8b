// The llm.c test (test_gpt2.c): a small BERT + classifier head computed by PyTorch in plain ops
// following modeling.py (refgen/model/make_fixture.py), with its weights loaded by TF name; every
// layer output, the pooled output, logits, loss and every parameter gradient compared.
// Metric per tensor: max |got − want| / (max |want| + 1e-30).
import { forwardBackward } from '../../src/model/task_model.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FloatArray, Kernels } from '../../src/engine/kernels.js';
import { createKernels, createReferenceKernels, nativeAvailable } from '../../src/engine/index.js';
import { createClassifierModel } from '../../src/model/classifier_model.js';
import { BertModel } from '../../src/model/bert_model.js';
import { relativeError } from '../engine/reference_fd.js';
import { fixtureBatch, loadFixtureParams, PYTORCH_FIXTURE, readModelFixture } from './fixture.js';

const fx = readModelFixture(PYTORCH_FIXTURE);
const fb = fx.batch;
const batch = fixtureBatch(fb);
const labels = Int32Array.from(fb.labels);

/** Runs forward + backward on kernel set k and returns relative errors per compared tensor. */
function compare<A extends FloatArray>(
  k: Kernels<A>,
  run: string,
  training: boolean,
): Map<string, number> {
  const m = createClassifierModel(k, fx.config, {
    numLabels: fx.numLabels,
    maxBatch: 4,
    maxSeq: 9,
    seed: 1,
  });
  const loaded = loadFixtureParams(m.store, (name) => fx.find(`param/${name}`));
  expect(loaded).toEqual(m.layout.entries.map((e) => e.name));
  m.model.zeroGrad();
  const opts = { training, seed: fb.train_seed };
  // The classifier model runs the last layer for token 0 only (outputs 'pooled'); the layer
  // outputs come from a full model over the same parameters, the rest from the shortcut.
  const limits = { maxBatch: 4, maxSeq: 9, outputs: 'all-layers' } as const;
  const outputs = new BertModel(k, fx.config, m.store, limits).forward(batch, opts);
  const got = new Map<string, ArrayLike<number>>([
    ['embedding_output', outputs.embeddingOutput],
    ['pooled', outputs.pooled],
  ]);
  outputs.layers.forEach((l, i) => got.set(`layer_${i}`, Float64Array.from(l)));
  got.set('embedding_output', Float64Array.from(outputs.embeddingOutput));
  got.set('pooled', Float64Array.from(outputs.pooled));
  m.model.zeroGrad();
  const r = forwardBackward(m, batch, labels, opts);
  got.set('logits', r.logits).set('per_example_loss', r.perExampleLoss).set('loss', [r.loss]);
  for (const p of m.store.namedParameters()) got.set(`grad/${p.name}`, p.grad);
  const errors = new Map<string, number>();
  for (const name of fx.names.filter((n) => n.startsWith(`${run}/`))) {
    const key = name.slice(run.length + 1);
    const g = got.get(key);
    errors.set(key, g === undefined ? Infinity : tensorError(key, g, fx.get(name), run));
  }
  return errors;
}

/**
 * relativeError, except for the attention key biases: their true gradient is exactly 0 (softmax
 * ignores the constant q·b a key bias adds to a query row), so both sides hold rounding noise;
 * that noise is measured against the scale of the same layer's query-bias gradient instead.
 */
function tensorError(key: string, got: ArrayLike<number>, want: Float64Array, run: string): number {
  if (!key.endsWith('attention/self/key/bias')) return relativeError(got, want);
  const scale = fx.get(`${run}/${key.replace('/key/', '/query/')}`);
  let diff = 0;
  for (let i = 0; i < want.length; i++) diff = Math.max(diff, Math.abs(got[i]! - want[i]!));
  return diff / scale.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
}

function expectAllBelow(errors: Map<string, number>, tol: number, minCount: number): void {
  expect(errors.size).toBeGreaterThanOrEqual(minCount);
  expect([...errors].filter(([, e]) => !(e < tol))).toEqual([]);
}

describe('BertModel + classifier vs PyTorch (hidden 32, 2 layers, 4 heads, I 37, V 99, B 3, T 7, padded rows)', () => {
  const GRADS = 41; // 5 embeddings + 2·16 per layer + 2 pooler + 2 head

  it('reference f64, dropout off: every output and gradient within 1e-9 relative', () => {
    expectAllBelow(compare(createReferenceKernels('f64'), 'f64', false), 1e-9, GRADS + 7);
  });

  it('reference f32, dropout off: against PyTorch float32 within 1e-5 relative', () => {
    expectAllBelow(compare(createReferenceKernels('f32'), 'f32', false), 1e-5, GRADS + 7);
  });

  it('reference f64, dropout on (seed 42, masks from the shared hash): within 1e-9 relative', () => {
    expectAllBelow(compare(createReferenceKernels('f64'), 'f64_dropout', true), 1e-9, GRADS + 4);
  });
});

const FAST_SETS = (['wasm', ...(nativeAvailable() ? ['native' as const] : [])] as const).flatMap(
  (backend) => [1, 2].map((threads) => [backend, threads] as const),
);

describe.each(FAST_SETS)('the same fixture on the %s kernels, %i thread(s)', (backend, threads) => {
  let k: Kernels<Float32Array>;
  beforeAll(async () => {
    k = await createKernels({ threads, backend });
  });
  afterAll(async () => {
    await k.dispose();
  });

  it('dropout off: against PyTorch float32 within 1e-4 relative', () => {
    expectAllBelow(compare(k, 'f32', false), 1e-4, 41 + 7);
  });

  it('dropout on: the same masks as PyTorch float64 with the shared hash, within 1e-4 relative', () => {
    expectAllBelow(compare(k, 'f64_dropout', true), 1e-4, 41 + 4);
  });
});
