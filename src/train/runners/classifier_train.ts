// run_classifier's do_train: train.tf_record, num_train_steps = int(N / batch · epochs) and
// num_warmup_steps = int(steps · warmup_proportion), then the shared Estimator's training
// (train/estimator.ts) over batches of BERT + the classifier head.
import { join } from 'pathe';
import { recordLimits } from '../../data/record_checks.js';
import { trainEstimator } from '../estimator.js';
import { trainSteps } from '../schedule.js';
import { writeAndReadFeatures, type FeatureTable } from './classifier_data.js';
import type { ClassifierRun } from './run_classifier.js';

function trainFeatures(run: ClassifierRun): FeatureTable {
  const { o } = run;
  const examples = run.examples.train!;
  const path = join(o.outputDir, 'train.tf_record');
  const limits = recordLimits(run.est.m.model.config);
  const { labels, tokenizer } = run;
  return writeAndReadFeatures(examples, labels, o.maxSeqLength, tokenizer, path, o.logger, limits);
}

/** Trains; returns whether training ran to num_train_steps. */
export function trainClassifier(run: ClassifierRun): boolean {
  const { o } = run;
  const table = trainFeatures(run);
  const bs = o.trainBatchSize;
  const schedule = trainSteps(table.count, bs, o.numTrainEpochs, o.warmupProportion);
  o.logger.info('***** Running training *****');
  o.logger.info(`  Num examples = ${table.count}`);
  o.logger.info(`  Batch size = ${bs}`);
  o.logger.info(`  Num steps = ${schedule.numTrainSteps}`);
  return trainEstimator(run.est, {
    numExamples: table.count,
    batchSize: bs,
    learningRate: o.learningRate,
    ...schedule,
    plotTitle: o.taskName,
    batch: (indices) => run.asm.assemble(table, indices),
  });
}
