// run_pretraining's do_eval: max_eval_steps batches of eval_batch_size read in order from the
// input files (repeated, drop_remainder), the model without dropout, and metric_fn's streaming
// metrics — masked_lm_accuracy (tf.metrics.accuracy weighted by masked_lm_weights),
// masked_lm_loss (tf.metrics.mean of the per-position loss, same weights), next_sentence_accuracy,
// next_sentence_loss — plus the Estimator's `loss` (the mean of the batches' total losses) and
// global_step, into eval_results.txt, the log, and TensorBoard scalars under output_dir/eval.
import type { PretrainingEvalSums } from '../../model/heads/pretraining.js';
import { forward } from '../../model/task_model.js';
import { reportEvalResults } from '../estimator.js';
import type { EvalResults } from '../results.js';
import { evalBatches } from './pretraining_data.js';
import type { PretrainingRun } from './run_pretraining.js';

/** Runs the eval batches; returns the metrics eval_results.txt holds. */
export function pretrainingEvalResults(run: PretrainingRun): EvalResults {
  const { o, table } = run;
  const { m } = run.est;
  const total: PretrainingEvalSums = {
    mlmCorrect: 0,
    mlmWeight: 0,
    mlmLoss: 0,
    nspCorrect: 0,
    nspCount: 0,
    nspLoss: 0,
  };
  let lossSum = 0;
  const opts = { training: false, seed: 0 };
  for (const idx of evalBatches(table.count, o.evalBatchSize, o.maxEvalSteps)) {
    const b = run.batcher.assemble(table, idx);
    lossSum += forward(m, b.batch, b.labels, opts).loss;
    const s = m.head.evalSums();
    for (const key of Object.keys(total) as (keyof PretrainingEvalSums)[]) total[key] += s[key];
  }
  // tf.metrics divide by the total weight, returning 0 when it is 0 (div_no_nan).
  const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
  return {
    global_step: { int64: run.est.globalStep },
    loss: { float32: ratio(lossSum, o.maxEvalSteps) },
    masked_lm_accuracy: { float32: ratio(total.mlmCorrect, total.mlmWeight) },
    masked_lm_loss: { float32: ratio(total.mlmLoss, total.mlmWeight) },
    next_sentence_accuracy: { float32: ratio(total.nspCorrect, total.nspCount) },
    next_sentence_loss: { float32: ratio(total.nspLoss, total.nspCount) },
  };
}

export function evaluatePretraining(run: PretrainingRun): EvalResults {
  const { o } = run;
  o.logger.info('***** Running evaluation *****');
  o.logger.info(`  Batch size = ${o.evalBatchSize}`);
  const results = pretrainingEvalResults(run);
  reportEvalResults(run.est, results);
  return results;
}
