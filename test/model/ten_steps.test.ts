// llm.c's last check: ten training steps against PyTorch (refgen/model/make_fixture.py). Each step
// is what run_classifier's trainer does — forward with dropout (step seed = step), classifier
// loss, backward, clip_by_global_norm(1.0), AdamWeightDecay (no bias correction, decay off for
// LayerNorm/bias) at create_optimizer's learning rate (warm-up 2 of 10 steps, linear decay).
// The ten losses and the final weights are compared (relative error per tensor, as elsewhere).
import { forwardBackward } from '../../src/model/task_model.js';
import { describe, expect, it } from 'vitest';
import { createKernels, createReferenceKernels } from '../../src/engine/index.js';
import type { FloatArray, Kernels } from '../../src/engine/kernels.js';
import { createClassifierModel } from '../../src/model/classifier_model.js';
import { AdamWeightDecay, globalNormClip } from '../../src/train/adam_weight_decay.js';
import { learningRate } from '../../src/train/schedule.js';
import { relativeError } from '../engine/reference_fd.js';
import { fixtureBatch, loadFixtureParams, PYTORCH_FIXTURE, readModelFixture } from './fixture.js';

const fx = readModelFixture(PYTORCH_FIXTURE);
const fb = fx.batch;
const batch = fixtureBatch(fb);
const labels = Int32Array.from(fb.labels);
const schedule = { initLr: 1e-2, numTrainSteps: 10, numWarmupSteps: 2 };

/** Ten steps from the fixture weights; returns the losses and the final parameters by name. */
function trainTen<A extends FloatArray>(k: Kernels<A>) {
  const m = createClassifierModel(k, fx.config, {
    numLabels: fx.numLabels,
    maxBatch: 3,
    maxSeq: 7,
    seed: 1,
  });
  loadFixtureParams(m.store, (name) => fx.find(`param/${name}`));
  const adam = new AdamWeightDecay(k, m.layout.entries, m.layout.size);
  const losses: number[] = [];
  for (let step = 0; step < 10; step++) {
    m.model.zeroGrad();
    losses.push(forwardBackward(m, batch, labels, { training: true, seed: step }).loss);
    const clip = globalNormClip(k, m.store.grads, m.layout.size, 1.0);
    adam.apply(m.store.params, m.store.grads, learningRate(schedule, step), clip.scale);
  }
  return {
    losses,
    params: new Map([...m.store.namedParameters()].map((p) => [p.name, Float64Array.from(p.view)])),
  };
}

/**
 * Final weights: the key biases are left out — their gradient is rounding noise on both sides
 * (softmax ignores them), which Adam's m/√v turns into ±lr steps of random sign; they cannot
 * change the loss.
 */
function finalWeightErrors(params: Map<string, Float64Array>): [string, number][] {
  return [...params]
    .filter(([name]) => !name.endsWith('attention/self/key/bias'))
    .map(([name, got]) => [name, relativeError(got, fx.get(`train10/param/${name}`))]);
}

describe('ten training steps vs PyTorch (dropout on, clip 1.0, AdamWeightDecay, warm-up + decay)', () => {
  it('the learning rates are create_optimizer’s (0 at step 0), bit for bit', () => {
    const lrs = Array.from({ length: 10 }, (_, s) => learningRate(schedule, s));
    expect(lrs).toEqual(Array.from(fx.get('train10/lrs')));
  });

  it('reference f64: the ten losses and the final weights within 1e-8 relative', () => {
    const { losses, params } = trainTen(createReferenceKernels('f64'));
    expect(relativeError(losses, fx.get('train10/losses'))).toBeLessThan(1e-8);
    expect(finalWeightErrors(params).filter(([, e]) => !(e < 1e-8))).toEqual([]);
  });

  it('WebAssembly f32 (2 threads): the ten losses within 1e-3 relative', async () => {
    const k = await createKernels({ threads: 2 });
    try {
      const { losses } = trainTen(k);
      expect(relativeError(losses, fx.get('train10/losses'))).toBeLessThan(1e-3);
    } finally {
      await k.dispose();
    }
  });
});
