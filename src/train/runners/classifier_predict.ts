// run_classifier's do_eval and do_predict: eval.tf_record / predict.tf_record written and read
// back, the model run in order without dropout, then eval_results.txt (+ the same lines logged
// under `***** Eval results *****` and TensorBoard scalars in output_dir/eval) or
// test_results.tsv (one line of class probabilities per test example).
import { join } from 'pathe';
import type { InputExample } from '../../data/glue/processor.js';
import { recordLimits } from '../../data/record_checks.js';
import { check } from '../../util/errors.js';
import { reportEvalResults } from '../estimator.js';
import { writeTestResults } from '../results.js';
import { writeAndReadFeatures, type FeatureTable } from './classifier_data.js';
import { evalResults, majorityClassNote, runInference } from './classifier_eval.js';
import type { ClassifierRun } from './run_classifier.js';

function features(run: ClassifierRun, examples: InputExample[], file: string): FeatureTable {
  const { o } = run;
  const path = join(o.outputDir, file);
  const limits = recordLimits(run.est.m.model.config);
  const { labels, tokenizer } = run;
  return writeAndReadFeatures(examples, labels, o.maxSeqLength, tokenizer, path, o.logger, limits);
}

function logRun(run: ClassifierRun, title: string, count: number, batchSize: number): void {
  const log = run.o.logger;
  log.info(title);
  // No TPU padding examples on the CPU: actual = all.
  log.info(`  Num examples = ${count} (${count} actual, 0 padding)`);
  log.info(`  Batch size = ${batchSize}`);
}

/** Evaluates on the dev set; returns the majority-class note, if eval_accuracy calls for one. */
export function evaluateClassifier(run: ClassifierRun): string | null {
  const { o, est } = run;
  const table = features(run, run.examples.dev!, 'eval.tf_record');
  logRun(run, '***** Running evaluation *****', table.count, o.evalBatchSize);
  const out = runInference(est.m, run.asm, table, o.evalBatchSize, run.numOut);
  const regression = run.processor.isRegression;
  const results = evalResults(o.taskName, regression, out, table, run.numOut, est.globalStep);
  reportEvalResults(est, results);
  return majorityClassNote(out, table, regression ? [] : run.labels);
}

export function predictClassifier(run: ClassifierRun): void {
  const { o } = run;
  const table = features(run, run.examples.test!, 'predict.tf_record');
  logRun(run, '***** Running prediction*****', table.count, o.predictBatchSize);
  const out = runInference(run.est.m, run.asm, table, o.predictBatchSize, run.numOut);
  check(out.probabilities.length === table.count * run.numOut, () => 'internal: prediction count');
  writeTestResults(
    join(o.outputDir, 'test_results.tsv'),
    out.probabilities,
    table.count,
    run.numOut,
  );
}
