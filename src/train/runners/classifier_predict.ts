// run_classifier's do_eval and do_predict: eval.tf_record / predict.tf_record written and read
// back, the model run in order without dropout, then eval_results.txt (+ the same lines logged
// under `***** Eval results *****` and TensorBoard scalars in output_dir/eval) or
// test_results.tsv (one line of class probabilities per test example).
import { join } from 'node:path';
import { EventFileWriter } from '../../formats/events.js';
import type { InputExample } from '../../data/glue/processor.js';
import { check } from '../../util/errors.js';
import { evalResultLines, writeEvalResults, writeTestResults } from '../results.js';
import { writeAndReadFeatures, type FeatureTable } from './classifier_data.js';
import { evalResults, runInference } from './classifier_eval.js';
import type { ClassifierRun } from './run_classifier.js';

function features(run: ClassifierRun, examples: InputExample[], file: string): FeatureTable {
  const { o } = run;
  const path = join(o.outputDir, file);
  return writeAndReadFeatures(examples, run.labels, o.maxSeqLength, run.tokenizer, path, o.logger);
}

function logRun(run: ClassifierRun, title: string, count: number, batchSize: number): void {
  const log = run.o.logger;
  log.info(title);
  // No TPU padding examples on the CPU: actual = all.
  log.info(`  Num examples = ${count} (${count} actual, 0 padding)`);
  log.info(`  Batch size = ${batchSize}`);
}

export function evaluateClassifier(run: ClassifierRun, eventsDir: string): void {
  const { o } = run;
  const table = features(run, run.processor.getDevExamples(o.dataDir), 'eval.tf_record');
  logRun(run, '***** Running evaluation *****', table.count, o.evalBatchSize);
  const out = runInference(run.m, run.asm, table, o.evalBatchSize, run.numOut);
  const results = evalResults(
    o.taskName,
    run.processor.isRegression,
    out,
    table,
    run.numOut,
    run.globalStep,
  );
  writeEvalResults(join(o.outputDir, 'eval_results.txt'), results);
  o.logger.info('***** Eval results *****');
  for (const line of evalResultLines(results)) o.logger.info(`  ${line}`);
  const events = new EventFileWriter(eventsDir);
  try {
    for (const [key, v] of Object.entries(results))
      if ('float32' in v) events.addScalar(key, v.float32, run.globalStep);
  } finally {
    events.close();
  }
}

export function predictClassifier(run: ClassifierRun): void {
  const { o } = run;
  const table = features(run, run.processor.getTestExamples(o.dataDir), 'predict.tf_record');
  logRun(run, '***** Running prediction*****', table.count, o.predictBatchSize);
  const out = runInference(run.m, run.asm, table, o.predictBatchSize, run.numOut);
  check(out.probabilities.length === table.count * run.numOut, () => 'internal: prediction count');
  writeTestResults(
    join(o.outputDir, 'test_results.tsv'),
    out.probabilities,
    table.count,
    run.numOut,
  );
}
