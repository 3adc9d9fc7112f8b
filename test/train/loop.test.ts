// The shared training loop on a problem small enough to follow: optimization_test.py's
// quadratic, loss = mean((x − w)²) over 3 weights + a bias, 10 steps with warm-up 2, checkpoints
// every 4 steps. Checked: which checkpoints exist, that a run stopped at step 6 and resumed
// ends bit-identical to an uninterrupted one, the loss curve, and the NaN stop.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createReferenceKernels } from '../../src/engine/reference/index.js';
import { AdamWeightDecay, type ParamEntry } from '../../src/train/adam_weight_decay.js';
import { latestCheckpoint, restoreTrainingCheckpoint } from '../../src/train/checkpoint_io.js';
import { trainLoop, type TrainLoopOptions } from '../../src/train/loop.js';
import { collectingLogger, silentLogger } from '../../src/util/log.js';

const ENTRIES: ParamEntry[] = [
  { name: 'w', offset: 0, size: 3, decay: true },
  { name: 'b', offset: 3, size: 1, decay: false },
];
const X = [0.4, 0.2, -0.5];

function setup(outputDir: string, overrides: Partial<TrainLoopOptions<Float32Array>> = {}) {
  const k = createReferenceKernels('f32');
  const params = k.alloc(4);
  params.set([0.1, -0.2, -0.1, 0.3]);
  const grads = k.alloc(4);
  const optimizer = new AdamWeightDecay(k, ENTRIES, 4);
  const views = () => [
    { name: 'w', shape: [3], data: params.subarray(0, 3) },
    { name: 'b', shape: [1], data: params.subarray(3, 4) },
  ];
  const o: TrainLoopOptions<Float32Array> = {
    kernels: k,
    params,
    grads,
    namedParams: views,
    optimizer,
    schedule: { initLr: 0.2, numTrainSteps: 10, numWarmupSteps: 2 },
    startStep: 0,
    saveCheckpointsSteps: 4,
    outputDir,
    logger: silentLogger,
    bar: null,
    events: null,
    computeGradients: () => {
      // loss = mean over i of (x_i − w_i − b)²
      let loss = 0;
      for (let i = 0; i < 3; i++) {
        const r = X[i]! - params[i]! - params[3]!;
        loss += (r * r) / 3;
        grads[i]! += (-2 * r) / 3;
        grads[3]! += (-2 * r) / 3;
      }
      return { loss, tokens: 3 };
    },
    ...overrides,
  };
  return { o, params, optimizer, views };
}

describe('trainLoop', () => {
  it('saves at 0, every 4 steps and at the end; the loss falls', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bert-loop-'));
    const { o } = setup(dir);
    const r = trainLoop(o);
    expect(r.globalStep).toBe(10);
    const idx = readdirSync(dir).filter((f) => f.endsWith('.index'));
    expect(idx.sort()).toEqual([
      'model.ckpt-0.index',
      'model.ckpt-10.index',
      'model.ckpt-4.index',
      'model.ckpt-8.index',
    ]);
    expect(r.curve.map((p) => p.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(r.curve[0]!.lr).toBe(0); // warm-up starts at 0
    expect(r.curve[1]!.lr).toBeCloseTo(0.1, 7); // 0.2 · 1/2
    expect(r.curve[9]!.loss).toBeLessThan(r.curve[0]!.loss / 2);
    const tsv = readFileSync(join(dir, 'training_curve.tsv'), 'utf8').trim().split('\n');
    expect(tsv).toHaveLength(11);
  });

  it('a run stopped at step 6 and resumed from model.ckpt-4 ends bit-identical', () => {
    const full = setup(mkdtempSync(join(tmpdir(), 'bert-loop-')));
    trainLoop(full.o);
    const dir = mkdtempSync(join(tmpdir(), 'bert-loop-'));
    const first = setup(dir, { stopAtStep: 6 });
    expect(trainLoop(first.o).globalStep).toBe(6);
    expect(latestCheckpoint(dir)).toBe(join(dir, 'model.ckpt-4'));
    // "the same command again": fresh state restored from the latest checkpoint
    const again = setup(dir);
    const slots = [...again.optimizer.namedSlots()].map((s) => ({ ...s, shape: [s.entry.size] }));
    const start = restoreTrainingCheckpoint(latestCheckpoint(dir)!, again.views(), slots);
    expect(start).toBe(4);
    const r = trainLoop({ ...again.o, startStep: start });
    expect(r.globalStep).toBe(10);
    expect(Array.from(again.params)).toEqual(Array.from(full.params));
    expect(Array.from(again.optimizer.m)).toEqual(Array.from(full.optimizer.m));
    expect(r.curve.map((p) => p.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('skips training when the checkpoint is already at num_train_steps', () => {
    const log = collectingLogger();
    const { o } = setup(mkdtempSync(join(tmpdir(), 'bert-loop-')), { startStep: 10, logger: log });
    expect(trainLoop(o).globalStep).toBe(10);
    expect(log.lines).toContain('INFO:Skipping training since max_steps has already saved.');
  });

  it('stops on a NaN loss like NanTensorHook', () => {
    const { o } = setup(mkdtempSync(join(tmpdir(), 'bert-loop-')), {
      computeGradients: (step) => ({ loss: step === 3 ? NaN : 1, tokens: 1 }),
    });
    expect(() => trainLoop(o)).toThrow('Model diverged with loss = NaN at step 3.');
  });
});
