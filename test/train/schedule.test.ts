// The learning-rate schedule of optimization.create_optimizer, values worked out by hand for
// the seed's MRPC run (N = 343 steps, 34 warm-up steps, lr 2e-5). Tolerance: float32 rounding
// (relative 1e-6).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { learningRate, trainSteps } from '../../src/train/schedule.js';
import { SHARED } from '../shared.js';

const MRPC = { initLr: 2e-5, numTrainSteps: 343, numWarmupSteps: 34 };

function close(got: number, want: number): void {
  expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-6 * Math.abs(want));
}

describe('trainSteps', () => {
  it('gives 343 steps and 34 warm-up steps for the real MRPC train.tsv (3668 rows)', () => {
    const lines = readFileSync(join(SHARED, 'glue/MRPC/train.tsv'), 'utf8').split('\n');
    const examples = lines.slice(1).filter((l) => l !== '').length;
    expect(examples).toBe(3668);
    // int(3668 / 32 * 3.0) = int(343.875) = 343; int(343 * 0.1) = int(34.3) = 34
    expect(trainSteps(examples, 32, 3.0, 0.1)).toEqual({ numTrainSteps: 343, numWarmupSteps: 34 });
  });
  it('truncates like Python int()', () => {
    expect(trainSteps(10, 3, 1.0, 0.5)).toEqual({ numTrainSteps: 3, numWarmupSteps: 1 });
    expect(trainSteps(5, 32, 3.0, 0.1)).toEqual({ numTrainSteps: 0, numWarmupSteps: 0 });
  });
});

describe('learningRate (relative error ≤ 1e-6)', () => {
  it('is 0 at step 0: the first update only moves the Adam slots', () => {
    expect(learningRate(MRPC, 0)).toBe(0);
  });
  it('warms up linearly: step 1 → 2e-5·1/34, step 33 → 2e-5·33/34', () => {
    close(learningRate(MRPC, 1), 5.882352941176471e-7);
    close(learningRate(MRPC, 33), (2e-5 * 33) / 34);
  });
  it('decays from step 0, so it drops at the end of warm-up: step 34 → 2e-5·309/343', () => {
    close(learningRate(MRPC, 34), (2e-5 * 309) / 343);
    close(learningRate(MRPC, 35), 1.7959183673469387e-5); // 2e-5·308/343
    expect(learningRate(MRPC, 34)).toBeLessThan(learningRate(MRPC, 33));
  });
  it('reaches 2e-5/343 at the last step and 0 at N and beyond', () => {
    // 1 − 342/343 loses digits in float32 (as in TF): |error| ≤ 2^-24 / (1/343) ≈ 2e-5 relative
    const last = learningRate(MRPC, 342);
    expect(Math.abs(last - 5.830903790087464e-8)).toBeLessThanOrEqual(3e-5 * 5.830903790087464e-8);
    expect(learningRate(MRPC, 343)).toBe(0);
    expect(learningRate(MRPC, 400)).toBe(0);
  });
  it('without warm-up starts at init_lr', () => {
    expect(learningRate({ ...MRPC, numWarmupSteps: 0 }, 0)).toBe(Math.fround(2e-5));
  });
});
