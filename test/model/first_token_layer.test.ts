// The classifier shortcut (outputs 'pooled': the last layer for token 0 only) against the full
// computation over the same parameters: pooled output, logits, loss and every parameter gradient,
// dropout off and on (the masks of the kept rows are drawn at the full layout's indices).
import { forwardBackward } from '../../src/model/task_model.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKernels, createReferenceKernels } from '../../src/engine/index.js';
import type { FloatArray, Kernels } from '../../src/engine/kernels.js';
import { ConfigError } from '../../src/util/errors.js';
import { createClassifierModel } from '../../src/model/classifier_model.js';
import { Rng } from '../../src/util/rng.js';
import { relativeError } from '../engine/reference_fd.js';
import { tinyBatch, tinyConfig } from './tiny.js';

const LABELS = Int32Array.from([2, 0]);

/** Pooled output, logits, loss and every gradient of one forward + backward, by name. */
function run<A extends FloatArray>(
  k: Kernels<A>,
  outputs: 'pooled' | 'all-layers',
  dropout: number,
): Map<string, Float64Array> {
  const m = createClassifierModel(k, tinyConfig(dropout), {
    numLabels: 3,
    maxBatch: 3,
    maxSeq: 6,
    seed: 11,
    outputs,
  });
  const rng = new Rng(5);
  for (let i = 0; i < m.store.params.length; i++) m.store.params[i]! += 0.2 * rng.normal();
  const opts = { training: dropout > 0, seed: 77 };
  m.model.zeroGrad();
  const pooled = Float64Array.from(m.model.forward(tinyBatch(), opts).pooled);
  m.model.zeroGrad();
  const r = forwardBackward(m, tinyBatch(), LABELS, opts);
  const got = new Map<string, Float64Array>([
    ['pooled', pooled],
    ['logits', Float64Array.from(r.logits)],
    ['loss', Float64Array.from([r.loss])],
  ]);
  for (const p of m.store.namedParameters()) got.set(`grad/${p.name}`, Float64Array.from(p.grad));
  return got;
}

/** Names whose shortcut result differs from the full one by tol or more (relative). */
function mismatches<A extends FloatArray>(k: Kernels<A>, dropout: number, tol: number): string[] {
  const full = run(k, 'all-layers', dropout);
  const short = run(k, 'pooled', dropout);
  expect(short.size).toBe(3 + 5 + 16 * 2 + 2 + 2);
  const bad: string[] = [];
  for (const [name, want] of full) {
    const got = short.get(name)!;
    // The key bias's true gradient is exactly 0 (softmax ignores a constant shift): both sides
    // hold rounding noise, so compare it in absolute terms.
    const zero = name.endsWith('attention/self/key/bias');
    const err = zero ? maxAbsDiff(got, want) : relativeError(got, want);
    if (!(err < tol)) bad.push(`${name}: ${err}`);
  }
  return bad;
}

function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe("outputs 'pooled' (last layer for token 0 only) equals the full computation", () => {
  const k = createReferenceKernels('f64');

  it.each([
    ['dropout off', 0],
    ['dropout 0.2', 0.2],
  ])('reference f64, %s: pooled, logits, loss and every gradient within 1e-12', (_t, p) => {
    expect(mismatches(k, p, 1e-12)).toEqual([]);
  });

  it('the dropout-on run differs from dropout off (the masks are really applied)', () => {
    expect(run(k, 'pooled', 0.2).get('loss')![0]).not.toBeCloseTo(
      run(k, 'pooled', 0).get('loss')![0]!,
      6,
    );
  });

  it('has no sequence output, and says so', () => {
    const m = createClassifierModel(k, tinyConfig(0), {
      numLabels: 3,
      maxBatch: 3,
      maxSeq: 6,
      seed: 1,
    });
    const out = m.model.forward(tinyBatch(), { training: false, seed: 0 });
    expect(out.layers.length).toBe(1);
    expect(() => out.sequence).toThrow(ConfigError);
    expect(() => out.sequence).toThrow("BertModel: built with outputs 'pooled'");
  });
});

describe('the same on the WebAssembly kernels (2 threads)', () => {
  let k: Kernels<Float32Array>;
  beforeAll(async () => {
    k = await createKernels({ threads: 2 });
  });
  afterAll(async () => {
    await k.dispose();
  });

  it.each([
    ['dropout off', 0],
    ['dropout 0.2', 0.2],
  ])('%s: within 1e-5 relative (key biases 1e-5 absolute)', (_t, p) => {
    expect(mismatches(k, p, 1e-5)).toEqual([]);
  });
});
