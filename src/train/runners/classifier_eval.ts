// run_classifier's evaluation and prediction: the dev or test features in order, batches of
// eval_batch_size / predict_batch_size (the last one short: drop_remainder is TPU-only), the
// model without dropout, then metric_fn's metrics — eval_accuracy = tf.metrics.accuracy,
// eval_loss = tf.metrics.mean(per_example_loss), the Estimator's `loss` = mean of the batch
// losses, global_step — plus the task's GLUE metric (bert-ts addition): eval_f1 for MRPC and
// QQP, eval_mcc (Matthews) for CoLA, eval_pearson / eval_spearman for STS-B.
import type { FloatArray } from '../../engine/kernels.js';
import type { ClassifierModel } from '../../model/classifier_model.js';
import { forward } from '../../model/task_model.js';
import {
  accuracy,
  argmaxRows,
  f1,
  matthewsCorrelation,
  mean,
  pearson,
  spearman,
} from '../metrics.js';
import type { EvalResults } from '../results.js';
import { inOrderBatches } from '../sequence_batch.js';
import type { BatchAssembler, FeatureTable } from './classifier_data.js';

export interface InferenceOutputs {
  /** Loss of every example (N). */
  readonly perExampleLoss: Float64Array;
  /** Mean loss of every batch. */
  readonly batchLosses: number[];
  /** (N, numOut) class probabilities, or (N, 1) predicted scores for regression. */
  readonly probabilities: Float64Array;
}

/** Runs the model over every example of `t` in order, dropout off. */
export function runInference<A extends FloatArray>(
  m: ClassifierModel<A>,
  asm: BatchAssembler<A>,
  t: FeatureTable,
  batchSize: number,
  numOut: number,
): InferenceOutputs {
  const perExampleLoss = new Float64Array(t.count);
  const probabilities = new Float64Array(t.count * numOut);
  const batchLosses: number[] = [];
  const opts = { training: false, seed: 0 };
  for (const idx of inOrderBatches(t.count, batchSize)) {
    const { batch, labels } = asm.assemble(t, idx);
    const r = forward(m, batch, labels, opts);
    perExampleLoss.set(r.perExampleLoss.subarray(0, idx.length), idx[0]!);
    probabilities.set(r.probabilities.subarray(0, idx.length * numOut), idx[0]! * numOut);
    batchLosses.push(r.loss);
  }
  return { perExampleLoss, batchLosses, probabilities };
}

/** The GLUE metric beside accuracy, by task name (lower case). */
function taskMetrics(task: string, predictions: Int32Array, labels: Float64Array): EvalResults {
  switch (task) {
    case 'mrpc':
    case 'qqp':
      return { eval_f1: { float32: f1(predictions, labels) } };
    case 'cola':
      return { eval_mcc: { float32: matthewsCorrelation(predictions, labels) } };
    default:
      return {};
  }
}

/** eval_results.txt's values for an evaluation at `globalStep`. */
export function evalResults(
  task: string,
  regression: boolean,
  out: InferenceOutputs,
  t: FeatureTable,
  numOut: number,
  globalStep: number,
): EvalResults {
  const common: EvalResults = {
    eval_loss: { float32: mean(out.perExampleLoss) },
    loss: { float32: mean(out.batchLosses) },
    global_step: { int64: globalStep },
  };
  if (regression) {
    return {
      ...common,
      eval_pearson: { float32: pearson(out.probabilities, t.labels) },
      eval_spearman: { float32: spearman(out.probabilities, t.labels) },
    };
  }
  const predictions = argmaxRows(out.probabilities, t.count, numOut);
  return {
    ...common,
    eval_accuracy: { float32: accuracy(predictions, t.labels) },
    ...taskMetrics(task.toLowerCase(), predictions, t.labels),
  };
}

/**
 * bert-ts addition: when eval_accuracy is exactly the dev set's majority-class rate (MRPC: 279 of
 * 408 are '1', 0.6838), a note saying so — a model that predicts one class for everything gets
 * it, and the original says nothing. Null otherwise (and for regression).
 */
export function majorityClassNote(
  out: InferenceOutputs,
  t: FeatureTable,
  labels: readonly string[],
): string | null {
  const n = labels.length;
  if (n === 0 || t.count === 0) return null;
  const predictions = argmaxRows(out.probabilities, t.count, n);
  const counts = new Array<number>(n).fill(0);
  for (const l of t.labels) counts[l]!++;
  const major = counts.indexOf(Math.max(...counts));
  let right = 0;
  for (let i = 0; i < t.count; i++) if (predictions[i] === t.labels[i]) right++;
  if (right !== counts[major]) return null;
  const name = labels[major]!;
  const rate = `eval_accuracy ${(right / t.count).toFixed(4)} equals the majority-class rate (${right} of ${t.count} dev examples are '${name}')`;
  if (!predictions.every((p) => p === major))
    return `${rate}: no better than answering '${name}' every time`;
  return (
    `${rate} and every prediction is '${name}': the model has learned nothing beyond the most frequent label — ` +
    'start from a pre-trained checkpoint (--init_checkpoint=models/uncased_L-2_H-128_A-2_brown/bert_model.ckpt) or try another --learning_rate'
  );
}
