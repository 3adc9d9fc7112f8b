// run_squad's do_train: the training examples pre-shuffled with Python's random.Random(12345)
// (as the original, to need only a small shuffle buffer), converted into windows and written to
// train.tf_record, read back, and trained by the shared Estimator for num_train_steps =
// int(len(examples) / train_batch_size · num_train_epochs) — counted in questions, not windows.
import { join } from 'pathe';
import type { SquadExample } from '../../data/squad/examples.js';
import { convertExamplesToFeatures, type SquadFeatures } from '../../data/squad/features.js';
import { readSquadRecords, SquadFeatureWriter } from '../../data/squad/squad_tfrecord.js';
import { recordLimits } from '../../data/record_checks.js';
import { UsageError } from '../../util/errors.js';
import { PyRandom } from '../../util/py_random.js';
import { trainEstimator } from '../estimator.js';
import { trainSteps } from '../schedule.js';
import { squadTable } from './squad_data.js';
import type { SquadRun } from './run_squad.js';

/** convert_examples_to_features into `path` (removed again if anything fails). */
export function writeSquadRecords(
  run: SquadRun,
  examples: readonly SquadExample[],
  file: string,
  isTraining: boolean,
  keep?: (f: SquadFeatures) => void,
) {
  const { o } = run;
  const writer = new SquadFeatureWriter(join(o.outputDir, file), isTraining);
  try {
    const options = {
      maxSeqLength: o.maxSeqLength,
      docStride: o.docStride,
      maxQueryLength: o.maxQueryLength,
      isTraining,
    };
    convertExamplesToFeatures(
      examples,
      run.tokenizer,
      options,
      (f) => {
        keep?.(f);
        writer.processFeature(f);
      },
      o.logger,
    );
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
  return writer;
}

/** The records `writer` wrote, read back as input_fn_builder does, checked against the model. */
export function readBack(run: SquadRun, writer: SquadFeatureWriter, isTraining: boolean) {
  const limits = recordLimits(run.est.m.model.config);
  return squadTable(readSquadRecords(writer.path, run.o.maxSeqLength, isTraining, limits));
}

/** Trains; returns whether training ran to num_train_steps. */
export function trainSquad(run: SquadRun, trainExamples: SquadExample[]): boolean {
  const { o } = run;
  if (trainExamples.length === 0) throw new UsageError(`${o.trainFile}: no training examples`);
  const bs = o.trainBatchSize;
  const schedule = trainSteps(trainExamples.length, bs, o.numTrainEpochs, o.warmupProportion);
  new PyRandom(12345).shuffle(trainExamples);
  const writer = writeSquadRecords(run, trainExamples, 'train.tf_record', true);
  o.logger.info('***** Running training *****');
  o.logger.info(`  Num orig examples = ${trainExamples.length}`);
  o.logger.info(`  Num split examples = ${writer.numFeatures}`);
  o.logger.info(`  Batch size = ${bs}`);
  o.logger.info(`  Num steps = ${schedule.numTrainSteps}`);
  const table = readBack(run, writer, true);
  return trainEstimator(run.est, {
    numExamples: table.count,
    batchSize: bs,
    learningRate: o.learningRate,
    ...schedule,
    plotTitle: 'squad',
    batch: (indices) => run.batcher.assemble(table, indices),
  });
}
