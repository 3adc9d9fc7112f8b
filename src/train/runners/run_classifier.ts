// run_classifier.py's main(): the checks, the tokenizer and processor, the model (BERT + the
// classifier head) and its weights through the shared Estimator (train/estimator.ts), then
// training, evaluation and prediction with the original's files in output_dir (REFERENCE.md §1.4),
// plus bert_config.json, vocab.txt and bert_ts.json so output_dir loads as a model folder.
// Every input (config, vocab, the TSVs of every requested phase, the weights) is read and checked
// before output_dir is created or written: a refused run leaves nothing behind.
import { existsSync } from '../../host/fs.js';
import { join } from 'pathe';
import { getProcessor } from '../../data/glue/registry.js';
import type { DataProcessor, InputExample } from '../../data/glue/processor.js';
import { checkTokenizerFits, recordLimits } from '../../data/record_checks.js';
import { modelMeta, writeModelFiles } from '../../formats/model_folder.js';
import { BertConfig } from '../../model/config.js';
import { createClassifierModel } from '../../model/classifier_model.js';
import { CLASSIFIER_HEAD_TENSORS, type ClassifierHead } from '../../model/heads/classifier.js';
import { FullTokenizer } from '../../tokenization/full.js';
import { validateCaseMatchesCheckpoint } from '../../tokenization/validate_case.js';
import { UsageError } from '../../util/errors.js';
import {
  checkCounts,
  checkEstimatorOptions,
  checkTrainedModelExists,
  warnUntrainedHead,
  withEstimator,
  PLOT_FILE,
  type Estimator,
  type EstimatorOptions,
} from '../estimator.js';
import { latestCheckpoint } from '../checkpoint_io.js';
import { BatchAssembler } from './classifier_data.js';
import { trainClassifier } from './classifier_train.js';
import { evaluateClassifier, predictClassifier } from './classifier_predict.js';

export { RUN_CLASSIFIER_DEFAULTS } from './classifier_defaults.js';

export interface RunClassifierOptions extends EstimatorOptions {
  readonly taskName: string;
  readonly dataDir: string;
  readonly vocabFile: string;
  readonly bertConfigFile: string;
  readonly doLowerCase: boolean;
  readonly doTrain: boolean;
  readonly doEval: boolean;
  readonly doPredict: boolean;
  readonly trainBatchSize: number;
  readonly evalBatchSize: number;
  readonly predictBatchSize: number;
  readonly learningRate: number;
  readonly numTrainEpochs: number;
  readonly warmupProportion: number;
  /**
   * The examples and labels, instead of the task's files in dataDir: Classifier.fineTune passes
   * the caller's rows through here, so the library and the CLI run this one runner.
   */
  readonly processor?: DataProcessor;
}

/** The examples of each requested phase (null: the phase is not run). */
export interface PhaseExamples {
  readonly train: InputExample[] | null;
  readonly dev: InputExample[] | null;
  readonly test: InputExample[] | null;
}

/** Everything the three phases share: the Estimator plus the task's data side. */
export interface ClassifierRun {
  readonly o: RunClassifierOptions;
  readonly est: Estimator<ClassifierHead<Float32Array>>;
  readonly processor: DataProcessor;
  readonly examples: PhaseExamples;
  readonly labels: string[];
  readonly numOut: number;
  readonly tokenizer: FullTokenizer;
  readonly asm: BatchAssembler<Float32Array>;
}

/** Flags the original would only trip over deep inside TF (or loop on): refused up front. */
function checkFlags(o: RunClassifierOptions): void {
  const positive = {
    train_batch_size: o.trainBatchSize,
    eval_batch_size: o.evalBatchSize,
    predict_batch_size: o.predictBatchSize,
    save_checkpoints_steps: o.saveCheckpointsSteps,
  };
  checkCounts(positive, o.numTrainEpochs, o.warmupProportion);
  if (o.maxSeqLength < 3)
    throw new UsageError(`--max_seq_length=${o.maxSeqLength}: must leave room for [CLS] and [SEP]`);
}

/**
 * The TSVs of every requested phase, read up front (the original reads dev.tsv only after
 * training, so a bad one fails after hours and leaves a half-filled output_dir).
 */
function readExamples(o: RunClassifierOptions, processor: DataProcessor): PhaseExamples {
  const train = o.doTrain ? processor.getTrainExamples(o.dataDir) : null;
  if (train !== null && train.length === 0)
    throw new UsageError(`${o.dataDir}: no training examples for task ${o.taskName}`);
  return {
    train,
    dev: o.doEval ? processor.getDevExamples(o.dataDir) : null,
    test: o.doPredict ? processor.getTestExamples(o.dataDir) : null,
  };
}

/** Whether any example is a sentence pair (a non-empty text_b, as Python's truthiness). */
function hasPairs(ex: PhaseExamples): boolean {
  return [ex.train, ex.dev, ex.test].some((split) => split?.some((x) => x.textB) === true);
}

/** bert_config.json, vocab.txt and bert_ts.json beside the checkpoints: output_dir loads by path. */
function writeFolderFiles(o: RunClassifierOptions, processor: DataProcessor): void {
  const meta = modelMeta({
    task_name: o.taskName.toLowerCase(),
    labels: processor.isRegression ? [] : processor.getLabels(),
    is_regression: processor.isRegression,
    do_lower_case: o.doLowerCase,
    max_seq_length: o.maxSeqLength,
  });
  writeModelFiles(o.outputDir, { configFile: o.bertConfigFile, vocabFile: o.vocabFile, meta });
}

/** The largest batch any requested phase runs. */
function maxBatchOf(o: RunClassifierOptions): number {
  const sizes = [o.doTrain ? o.trainBatchSize : 0, o.doEval ? o.evalBatchSize : 0];
  return Math.max(...sizes, o.doPredict ? o.predictBatchSize : 0);
}

/**
 * bert-ts addition: the run's last lines say where its files are (and that output_dir loads as
 * a model folder), then the majority-class note when there is one.
 */
function logOutputs(o: RunClassifierOptions, majorityNote: string | null): void {
  const at = (f: string) => join(o.outputDir, f);
  const files: [string, string | null][] = [
    ['eval results', o.doEval ? at('eval_results.txt') : null],
    ['test predictions', o.doPredict ? at('test_results.tsv') : null],
    ['checkpoint', latestCheckpoint(o.outputDir)],
    ['training curve', o.doTrain && existsSync(at(PLOT_FILE)) ? at(PLOT_FILE) : null],
  ];
  o.logger.info(`***** Outputs (a model folder: Classifier.load('${o.outputDir}')) *****`);
  for (const [what, path] of files) if (path !== null) o.logger.info(`  ${what}: ${path}`);
  if (majorityNote !== null) o.logger.warn(majorityNote);
}

/** run_classifier.py end to end; resolves when every requested phase has written its files. */
export async function runClassifier(o: RunClassifierOptions): Promise<void> {
  const config = BertConfig.fromJsonFile(o.bertConfigFile);
  checkFlags(o);
  validateCaseMatchesCheckpoint(o.doLowerCase, o.initCheckpoint);
  checkEstimatorOptions(o, config);
  checkTrainedModelExists(o, o.doTrain);
  const processor = o.processor ?? getProcessor(o.taskName);
  const labels = processor.getLabels();
  const regression = processor.isRegression;
  const numOut = regression ? 1 : labels.length;
  const tokenizer = FullTokenizer.fromFile(o.vocabFile, o.doLowerCase);
  const examples = readExamples(o, processor);
  checkTokenizerFits(tokenizer.vocab, recordLimits(config), hasPairs(examples));
  const maxBatch = maxBatchOf(o);
  const build = { numLabels: numOut, maxBatch, maxSeq: o.maxSeqLength, seed: o.seed, regression };
  await withEstimator(
    o,
    (k) => createClassifierModel(k, config, { ...build, inference: !o.doTrain }),
    (est) => {
      // output_dir's first files: every input has been read and the weights loaded (a resumed
      // run writes them again, the same)
      writeFolderFiles(o, processor);
      if (!o.doTrain) warnUntrainedHead(est, 'classifier', CLASSIFIER_HEAD_TENSORS);
      const pad = o.padToMaxSeqLength;
      const asm = new BatchAssembler(est.k, maxBatch, o.maxSeqLength, regression, pad);
      const run: ClassifierRun = { o, est, processor, examples, labels, numOut, tokenizer, asm };
      if (o.doTrain && !trainClassifier(run)) return; // stopped early (stopAtStep): as if killed
      const note = o.doEval ? evaluateClassifier(run) : null;
      if (o.doPredict) predictClassifier(run);
      logOutputs(o, note);
    },
  );
}
