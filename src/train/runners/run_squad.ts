// run_squad.py's main(): validate_flags_or_throw, the tokenizer, the SQuAD files (read and checked
// up front: a bad predict_file fails before hours of training, naming the file and question),
// BERT + the span head (cls/squad/*) and its weights through the shared Estimator
// (train/estimator.ts), then training (squad_train.ts) and prediction (squad_predict.ts) with the
// original's files in output_dir.
import { checkTokenizerFits, recordLimits } from '../../data/record_checks.js';
import { readSquadExamples, type SquadExample } from '../../data/squad/examples.js';
import { readSquadFile, type SquadFile } from '../../data/squad/squad_json.js';
import { BertConfig } from '../../model/config.js';
import type { SquadHead } from '../../model/heads/squad.js';
import { createSquadModel } from '../../model/squad_model.js';
import { FullTokenizer } from '../../tokenization/full.js';
import { validateCaseMatchesCheckpoint } from '../../tokenization/validate_case.js';
import { UsageError } from '../../util/errors.js';
import {
  checkCounts,
  checkEstimatorOptions,
  checkTrainedModelExists,
  warnUntrainedHead,
  withEstimator,
  type Estimator,
  type EstimatorOptions,
} from '../estimator.js';
import { SquadBatcher } from './squad_data.js';
import { predictSquad } from './squad_predict.js';
import { trainSquad } from './squad_train.js';

export interface RunSquadOptions extends EstimatorOptions {
  readonly vocabFile: string;
  readonly bertConfigFile: string;
  readonly trainFile: string | null;
  readonly predictFile: string | null;
  readonly doLowerCase: boolean;
  readonly docStride: number;
  readonly maxQueryLength: number;
  readonly doTrain: boolean;
  readonly doPredict: boolean;
  readonly trainBatchSize: number;
  readonly predictBatchSize: number;
  readonly learningRate: number;
  readonly numTrainEpochs: number;
  readonly warmupProportion: number;
  readonly nBestSize: number;
  readonly maxAnswerLength: number;
  readonly verboseLogging: boolean;
  readonly version2WithNegative: boolean;
  readonly nullScoreDiffThreshold: number;
}

/** What training and prediction share. */
export interface SquadRun {
  readonly o: RunSquadOptions;
  readonly est: Estimator<SquadHead<Float32Array>>;
  readonly tokenizer: FullTokenizer;
  readonly batcher: SquadBatcher;
}

/** validate_flags_or_throw, and the counts the original would loop or crash on. */
function validateFlags(o: RunSquadOptions, config: BertConfig): void {
  validateCaseMatchesCheckpoint(o.doLowerCase, o.initCheckpoint);
  if (!o.doTrain && !o.doPredict)
    throw new UsageError('At least one of `do_train` or `do_predict` must be True.');
  if (o.doTrain && !o.trainFile)
    throw new UsageError('If `do_train` is True, then `train_file` must be specified.');
  if (o.doPredict && !o.predictFile)
    throw new UsageError('If `do_predict` is True, then `predict_file` must be specified.');
  checkEstimatorOptions(o, config);
  if (o.maxSeqLength <= o.maxQueryLength + 3)
    throw new UsageError(
      `The max_seq_length (${o.maxSeqLength}) must be greater than max_query_length (${o.maxQueryLength}) + 3`,
    );
  const positive = {
    train_batch_size: o.trainBatchSize,
    predict_batch_size: o.predictBatchSize,
    save_checkpoints_steps: o.saveCheckpointsSteps,
    doc_stride: o.docStride,
    max_query_length: o.maxQueryLength,
    n_best_size: o.nBestSize,
    max_answer_length: o.maxAnswerLength,
  };
  checkCounts(positive, o.numTrainEpochs, o.warmupProportion);
  checkTrainedModelExists(o, o.doTrain);
}

interface SquadInputs {
  readonly train: SquadExample[] | null;
  readonly predict: { file: SquadFile; examples: SquadExample[] } | null;
}

function readInputs(o: RunSquadOptions): SquadInputs {
  const v2 = o.version2WithNegative;
  const train = o.doTrain
    ? readSquadExamples(readSquadFile(o.trainFile!), true, v2, o.logger)
    : null;
  if (!o.doPredict) return { train, predict: null };
  const file = readSquadFile(o.predictFile!);
  return { train, predict: { file, examples: readSquadExamples(file, false, v2, o.logger) } };
}

/** run_squad.py end to end; resolves when training and/or prediction wrote their files. */
export async function runSquad(o: RunSquadOptions): Promise<void> {
  const config = BertConfig.fromJsonFile(o.bertConfigFile);
  validateFlags(o, config);
  const inputs = readInputs(o);
  const tokenizer = FullTokenizer.fromFile(o.vocabFile, o.doLowerCase);
  checkTokenizerFits(tokenizer.vocab, recordLimits(config), true); // the paragraph is segment 1
  const maxBatch = Math.max(o.doTrain ? o.trainBatchSize : 0, o.doPredict ? o.predictBatchSize : 0);
  const build = { maxBatch, maxSeq: o.maxSeqLength, seed: o.seed, inference: !o.doTrain };
  await withEstimator(
    o,
    (k) => createSquadModel(k, config, build),
    (est) => {
      if (!o.doTrain)
        warnUntrainedHead(est, 'SQuAD', ['cls/squad/output_weights', 'cls/squad/output_bias']);
      const batcher = new SquadBatcher(est.k, maxBatch, o.maxSeqLength, o.padToMaxSeqLength);
      const run: SquadRun = { o, est, tokenizer, batcher };
      if (inputs.train !== null && !trainSquad(run, inputs.train)) return; // stopped (stopAtStep)
      if (inputs.predict !== null) predictSquad(run, inputs.predict.file, inputs.predict.examples);
    },
  );
}
