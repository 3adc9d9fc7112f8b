// eval_results.txt's values from inference outputs, worked out by hand: accuracy and the task's
// GLUE metric, eval_loss as the mean per-example loss, `loss` as the mean of batch losses.
import { describe, expect, it } from 'vitest';
import { evalResults } from '../../src/train/runners/classifier_eval.js';
import { packFeatures } from '../../src/train/runners/classifier_data.js';
import { evalResultLines } from '../../src/train/results.js';

// 4 examples, labels 1, 0, 1, 1; predictions (argmax) 1, 1, 0, 1 → tp 2, fp 1, fn 1, tn 0
const table = packFeatures(
  [1, 0, 1, 1].map((labelId) => ({
    inputIds: [101, 102],
    inputMask: [1, 1],
    segmentIds: [0, 0],
    labelId,
    isRealExample: true,
  })),
  2,
);
const out = {
  perExampleLoss: new Float64Array([0.1, 0.9, 1.2, 0.2]),
  batchLosses: [0.5, 0.7, 0.2], // batches of 2, 1, 1 (not the per-example mean)
  probabilities: new Float64Array([0.3, 0.7, 0.4, 0.6, 0.8, 0.2, 0.1, 0.9]),
};

describe('evalResults', () => {
  it('MRPC/QQP: accuracy 2/4, F1 = 2·2/(2·2+1+1) = 2/3, eval_loss 0.6, loss 0.4667', () => {
    for (const task of ['MRPC', 'qqp'])
      expect(evalResultLines(evalResults(task, false, out, table, 2, 343))).toEqual([
        'eval_accuracy = 0.5',
        'eval_f1 = 0.6666667',
        'eval_loss = 0.6',
        'global_step = 343',
        'loss = 0.46666667',
      ]);
  });
  it('CoLA: Matthews = (2·0 − 1·1)/√(3·3·1·1) = −1/3', () => {
    const r = evalResults('cola', false, out, table, 2, 1);
    expect(r.eval_mcc).toEqual({ float32: -1 / 3 });
    expect(r.eval_f1).toBeUndefined();
  });
  it('other classification tasks report accuracy only', () => {
    expect(Object.keys(evalResults('rte', false, out, table, 2, 1)).sort()).toEqual([
      'eval_accuracy',
      'eval_loss',
      'global_step',
      'loss',
    ]);
  });
  it('STS-B: Pearson and Spearman of the predicted scores, no accuracy', () => {
    const scores = { ...out, probabilities: new Float64Array([2, 1, 3, 4]) };
    const r = evalResults('sts-b', true, scores, table, 1, 9);
    expect(r.eval_accuracy).toBeUndefined();
    // labels [1,0,1,1] vs scores [2,1,3,4]: dx = [0.25,−0.75,0.25,0.25], dy = [−0.5,−1.5,0.5,1.5]
    // Σdxdy = 1.5, Σdx² = 0.75, Σdy² = 5 → r = 1.5/√3.75
    expect((r.eval_pearson as { float32: number }).float32).toBeCloseTo(1.5 / Math.sqrt(3.75), 12);
    expect(r.eval_spearman).toBeDefined();
  });
});
