// run_classifier's defaults in a module of their own: the CLI's flag table reads them without
// loading the runner.
import { silentLogger } from '../../util/log.js';
import type { RunClassifierOptions } from './run_classifier.js';

/**
 * run_classifier.py's flag defaults and bert-ts's (seed 12345, every core, per-batch padding, no
 * log), so that a program names only what it changes:
 *   runClassifier({ ...RUN_CLASSIFIER_DEFAULTS, taskName: 'MRPC', dataDir, vocabFile,
 *                   bertConfigFile, outputDir, doTrain: true, doEval: true })
 * `bert run_classifier`'s flags take their defaults from here.
 */
export const RUN_CLASSIFIER_DEFAULTS = {
  initCheckpoint: null,
  doLowerCase: true,
  maxSeqLength: 128,
  doTrain: false,
  doEval: false,
  doPredict: false,
  trainBatchSize: 32,
  evalBatchSize: 8,
  predictBatchSize: 8,
  learningRate: 5e-5,
  numTrainEpochs: 3.0,
  warmupProportion: 0.1,
  saveCheckpointsSteps: 1000,
  seed: 12345,
  padToMaxSeqLength: false,
  logger: silentLogger,
  bar: null,
} as const satisfies Partial<RunClassifierOptions>;
