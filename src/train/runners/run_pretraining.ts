// run_pretraining.py's main(): the input files (comma list of globs), BERT + the masked-LM and
// next-sentence heads and their weights through the shared Estimator (train/estimator.ts),
// training for num_train_steps (checkpoints with Google's names, Adam slots and global_step;
// events; the loss curve), then evaluation over max_eval_steps batches of the same files into
// eval_results.txt (global_step, loss, masked_lm_accuracy, masked_lm_loss,
// next_sentence_accuracy, next_sentence_loss).
//
// Training order: the original reads a single file as repeat → shuffle(100) → batch (drop
// remainder); with several files it also shuffles the file list and interleaves 4 of them. Here
// the files are concatenated in the order given, then the same seeded repeat → shuffle(100) →
// batch (train/batches.ts). create_pretraining_data already shuffles the instances of each file.
import { recordLimits } from '../../data/record_checks.js';
import { BertConfig } from '../../model/config.js';
import type { PretrainingHead } from '../../model/heads/pretraining.js';
import { createPretrainingModel } from '../../model/pretraining_model.js';
import {
  checkEstimatorOptions,
  trainEstimator,
  withEstimator,
  type Estimator,
  type EstimatorOptions,
} from '../estimator.js';
import { evaluatePretraining } from './pretraining_eval.js';
import {
  PretrainingBatcher,
  readPretrainingRecords,
  type PretrainingTable,
} from './pretraining_data.js';

export interface RunPretrainingOptions extends EstimatorOptions {
  /** The input files, globs already expanded (the CLI's --input_file). */
  readonly inputFiles: readonly string[];
  readonly doTrain: boolean;
  readonly doEval: boolean;
  readonly bertConfigFile: string;
  readonly maxPredictionsPerSeq: number;
  readonly trainBatchSize: number;
  readonly evalBatchSize: number;
  readonly learningRate: number;
  readonly numTrainSteps: number;
  readonly numWarmupSteps: number;
  readonly maxEvalSteps: number;
}

/** What training and evaluation share. */
export interface PretrainingRun {
  readonly o: RunPretrainingOptions;
  readonly est: Estimator<PretrainingHead<Float32Array>>;
  readonly table: PretrainingTable;
  readonly batcher: PretrainingBatcher;
}

/** Trains to num_train_steps; returns whether it got there. */
function trainPretraining(run: PretrainingRun): boolean {
  const { o, table } = run;
  o.logger.info('***** Running training *****');
  o.logger.info(`  Batch size = ${o.trainBatchSize}`);
  return trainEstimator(run.est, {
    numExamples: table.count,
    batchSize: o.trainBatchSize,
    learningRate: o.learningRate,
    numTrainSteps: o.numTrainSteps,
    numWarmupSteps: o.numWarmupSteps,
    plotTitle: 'pretraining',
    batch: (indices) => run.batcher.assemble(table, indices),
    onStep: (r, step, events) => {
      events.addScalar('masked_lm_loss', r.maskedLmLoss, step);
      events.addScalar('next_sentence_loss', r.nextSentenceLoss, step);
    },
  });
}

/** run_pretraining.py end to end; resolves when training and/or evaluation wrote their files. */
export async function runPretraining(o: RunPretrainingOptions): Promise<void> {
  const config = BertConfig.fromJsonFile(o.bertConfigFile);
  checkEstimatorOptions(o, config);
  o.logger.info('*** Input Files ***');
  for (const f of o.inputFiles) o.logger.info(`  ${f}`);
  const table = readPretrainingRecords(
    o.inputFiles,
    o.maxSeqLength,
    o.maxPredictionsPerSeq,
    recordLimits(config),
  );
  const maxBatch = Math.max(o.doTrain ? o.trainBatchSize : 0, o.doEval ? o.evalBatchSize : 0);
  const build = {
    maxBatch,
    maxSeq: o.maxSeqLength,
    maxPredictions: o.maxPredictionsPerSeq,
    seed: o.seed,
    inference: !o.doTrain,
  };
  await withEstimator(
    o,
    (k) => createPretrainingModel(k, config, build),
    (est) => {
      const batcher = new PretrainingBatcher(est.k, maxBatch, o.maxSeqLength, o.padToMaxSeqLength);
      const run: PretrainingRun = { o, est, table, batcher };
      if (o.doTrain && !trainPretraining(run)) return; // stopped early (stopAtStep): as if killed
      if (o.doEval) evaluatePretraining(run);
    },
  );
}
