// run_squad's span head: every parameter's gradient (through the head) against float64 finite
// differences on the tiny model, the losses, logits and gradients against PyTorch written after
// run_squad.create_model/compute_loss (refgen/model/make_fixture.py), and bad positions.
import { forwardBackward } from '../../src/model/task_model.js';
import { describe, expect, it } from 'vitest';
import { createKernels, createReferenceKernels } from '../../src/engine/index.js';
import type { FloatArray, Kernels } from '../../src/engine/kernels.js';
import { createSquadModel } from '../../src/model/squad_model.js';
import { ShapeError } from '../../src/util/errors.js';
import { Rng } from '../../src/util/rng.js';
import { numericGradient, relativeError } from '../engine/reference_fd.js';
import { fixtureBatch, loadFixtureParams, PYTORCH_FIXTURE, readModelFixture } from './fixture.js';
import { tinyBatch, tinyConfig } from './tiny.js';

const k64 = createReferenceKernels('f64');

function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]!));
  return m;
}

/**
 * relativeError, except where the true gradient is exactly 0 — a shift every softmax ignores:
 * the key biases, cls/squad/output_bias (it moves all start, or all end, logits alike) and the
 * last layer's LayerNorm beta (it moves every token's logit by the same W·beta). There both sides
 * hold rounding noise, so |got| and |want| must stay below `zero` (the error is their sum / zero ·
 * 1e-6, so the same < 1e-6 bound applies).
 */
function gradientError(got: ArrayLike<number>, want: ArrayLike<number>, zero: number): number {
  if (maxAbs(want) >= zero) return relativeError(got, want);
  return ((maxAbs(got) + maxAbs(want)) / zero) * 1e-6;
}

describe('SQuAD head gradient check (f64, every parameter, relative error < 1e-6; exact zeros |g| < 1e-9)', () => {
  it.each([0, 0.2])('dropout %s (fixed seed)', (dropout) => {
    const m = createSquadModel(k64, tinyConfig(dropout), { maxBatch: 2, maxSeq: 5, seed: 4 });
    const rng = new Rng(8);
    for (let i = 0; i < m.store.params.length; i++) m.store.params[i]! += 0.2 * rng.normal();
    const batch = tinyBatch();
    const labels = {
      startPositions: Int32Array.from([1, 0]),
      endPositions: Int32Array.from([3, 4]),
    };
    const opts = { training: dropout > 0, seed: 99 };
    m.model.zeroGrad();
    forwardBackward(m, batch, labels, opts);
    const loss = () => m.head.forward(m.model.forward(batch, opts), labels, opts).loss;
    const bad: [string, number][] = [];
    for (const p of m.store.namedParameters()) {
      const e = gradientError(p.grad, numericGradient(p.view, loss), 1e-9);
      if (!(e < 1e-6)) bad.push([p.name, e]);
    }
    expect(bad).toEqual([]);
  });

  it('a position outside the sequence is a ShapeError naming it', () => {
    const m = createSquadModel(k64, tinyConfig(0), { maxBatch: 2, maxSeq: 5, seed: 4 });
    const out = m.model.forward(tinyBatch(), { training: false, seed: 0 });
    const labels = {
      startPositions: Int32Array.from([1, 5]),
      endPositions: Int32Array.from([3, 4]),
    };
    expect(() => m.head.forward(out, labels, { training: false, seed: 0 })).toThrow(
      new ShapeError('squad head: start_positions[1] = 5 is outside [0, 5)'),
    );
  });
});

const fx = readModelFixture(PYTORCH_FIXTURE);
const sq = fx.squad!;
const fb = fx.batch;
const batch = fixtureBatch(fb);
const labels = {
  startPositions: Int32Array.from(sq.start_positions),
  endPositions: Int32Array.from(sq.end_positions),
};

function run<A extends FloatArray>(k: Kernels<A>) {
  const m = createSquadModel(k, fx.config, { maxBatch: 3, maxSeq: 7, seed: 1 });
  const loaded = loadFixtureParams(
    m.store,
    (n) => fx.find(`param/${n}`) ?? fx.find(`squad_f64/param/${n}`),
  );
  expect(loaded.length).toBe(m.layout.entries.length);
  m.model.zeroGrad();
  const r = forwardBackward(m, batch, labels, { training: false, seed: 0 });
  return { r, m };
}

describe('SQuAD head vs PyTorch (B 3, T 7, padded rows, no logit masking as the original)', () => {
  it('reference f64: loss, start/end logits and gradients within 1e-9 relative', () => {
    const { r, m } = run(k64);
    expect(relativeError([r.loss], fx.get('squad_f64/loss'))).toBeLessThan(1e-12);
    expect(relativeError(r.startLogits, fx.get('squad_f64/start_logits'))).toBeLessThan(1e-9);
    expect(relativeError(r.endLogits, fx.get('squad_f64/end_logits'))).toBeLessThan(1e-9);
    const names = fx.names.filter((n) => n.startsWith('squad_f64/grad/')).map((n) => n.slice(15));
    expect(names.length).toBe(5);
    for (const name of names) {
      const e = gradientError(m.store.grad(name), fx.get(`squad_f64/grad/${name}`), 1e-12);
      expect(e, name).toBeLessThan(1e-9);
    }
  });

  it('reference f32 and WebAssembly (2 threads): the loss within 1e-5 of PyTorch float32', async () => {
    const wasm = await createKernels({ threads: 2 });
    try {
      for (const k of [createReferenceKernels('f32'), wasm])
        expect(relativeError([run(k).r.loss], fx.get('squad_f32/loss'))).toBeLessThan(1e-5);
    } finally {
      await wasm.dispose();
    }
  });
});
