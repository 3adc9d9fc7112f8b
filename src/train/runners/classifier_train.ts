// run_classifier's do_train: train.tf_record, num_train_steps = int(N / batch · epochs) and
// num_warmup_steps = int(steps · warmup_proportion), the seeded repeat → shuffle(100) → batch
// order, one forward/backward of BERT + the classifier head per step (dropout on, masks seeded
// by (seed, step) so a resumed run repeats them), the shared loop, and the loss/LR plot.
import { join } from 'node:path';
import { dropoutHash } from '../../engine/dropout_hash.js';
import { classifierForwardBackward } from '../../model/classifier_model.js';
import { UsageError } from '../../util/errors.js';
import { writeFileAtomicSync } from '../../util/fs.js';
import { AdamWeightDecay } from '../adam_weight_decay.js';
import { trainingOrder } from '../batches.js';
import { restoreTrainingCheckpoint } from '../checkpoint_io.js';
import { slotViews, storeViews } from '../model_weights.js';
import { trainLoop, type ScalarSink } from '../loop.js';
import { trainingCurveSvg } from '../plot.js';
import { trainSteps } from '../schedule.js';
import { writeAndReadFeatures, type FeatureTable } from './classifier_data.js';
import type { ClassifierRun } from './run_classifier.js';

export const PLOT_FILE = 'training_curve.svg';

function trainFeatures(run: ClassifierRun): FeatureTable {
  const { o } = run;
  const examples = run.processor.getTrainExamples(o.dataDir);
  if (examples.length === 0)
    throw new UsageError(`${o.dataDir}: no training examples for task ${o.taskName}`);
  const path = join(o.outputDir, 'train.tf_record');
  return writeAndReadFeatures(examples, run.labels, o.maxSeqLength, run.tokenizer, path, o.logger);
}

/** Trains; returns the global step reached and whether training ran to num_train_steps. */
export function trainClassifier(
  run: ClassifierRun,
  events: ScalarSink,
): { globalStep: number; finished: boolean } {
  const { o, m } = run;
  const table = trainFeatures(run);
  const bs = o.trainBatchSize;
  const schedule = trainSteps(table.count, bs, o.numTrainEpochs, o.warmupProportion);
  o.logger.info('***** Running training *****');
  o.logger.info(`  Num examples = ${table.count}`);
  o.logger.info(`  Batch size = ${bs}`);
  o.logger.info(`  Num steps = ${schedule.numTrainSteps}`);
  const optimizer = new AdamWeightDecay(run.k, m.layout.entries, m.layout.size);
  const views = storeViews(m.store);
  const slots = slotViews(optimizer, m.layout);
  const startStep =
    run.resumeFrom === null ? 0 : restoreTrainingCheckpoint(run.resumeFrom, views, slots);
  const order = trainingOrder(table.count, schedule.numTrainSteps, bs, o.seed);
  const result = trainLoop({
    kernels: run.k,
    params: m.store.params,
    grads: m.store.grads,
    namedParams: () => views,
    optimizer,
    schedule: { initLr: o.learningRate, ...schedule },
    startStep,
    saveCheckpointsSteps: o.saveCheckpointsSteps,
    outputDir: o.outputDir,
    logger: o.logger,
    tty: o.tty,
    events,
    stopAtStep: o.stopAtStep,
    computeGradients: (step) => {
      const b = run.asm.assemble(table, order.subarray(step * bs, (step + 1) * bs));
      const opts = { training: true, seed: dropoutHash(o.seed >>> 0, step) };
      const r = classifierForwardBackward(m, b.batch, b.labels, opts);
      return { loss: r.loss, tokens: b.tokens };
    },
  });
  if (result.curve.length > 0)
    writeFileAtomicSync(join(o.outputDir, PLOT_FILE), trainingCurveSvg(result.curve, o.taskName));
  return { globalStep: result.globalStep, finished: result.globalStep >= schedule.numTrainSteps };
}
