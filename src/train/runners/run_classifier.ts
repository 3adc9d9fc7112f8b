// run_classifier.py's main(): the checks, the tokenizer and processor, the model (BERT + the
// classifier head), its weights (output_dir's latest checkpoint when there is one — resume —
// else --init_checkpoint by the assignment map, else the seeded initialisers), then training,
// evaluation and prediction with the original's files in output_dir (REFERENCE.md §1.4).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createKernels } from '../../engine/index.js';
import type { Kernels } from '../../engine/kernels.js';
import { getProcessor } from '../../data/glue/registry.js';
import type { DataProcessor } from '../../data/glue/processor.js';
import { EventFileWriter } from '../../formats/events.js';
import { BertConfig } from '../../model/config.js';
import { createClassifierModel, type ClassifierModel } from '../../model/classifier_model.js';
import { FullTokenizer } from '../../tokenization/full.js';
import { validateCaseMatchesCheckpoint } from '../../tokenization/validate_case.js';
import { ConfigError, UsageError } from '../../util/errors.js';
import type { Logger } from '../../util/log.js';
import { CLASSIFIER_HEAD_TENSORS } from '../../model/heads/classifier.js';
import { modelMeta, writeModelFiles } from '../../formats/model_folder.js';
import type { RunOptions } from './run_options.js';
import { latestCheckpoint } from '../checkpoint_io.js';
import { loadWeights, storeViews } from '../model_weights.js';
import { BatchAssembler } from './classifier_data.js';
import { trainClassifier } from './classifier_train.js';
import { evaluateClassifier, predictClassifier } from './classifier_predict.js';

export interface RunClassifierOptions extends RunOptions {
  readonly taskName: string;
  readonly dataDir: string;
  readonly vocabFile: string;
  readonly bertConfigFile: string;
  readonly outputDir: string;
  readonly initCheckpoint: string | null;
  readonly doLowerCase: boolean;
  readonly maxSeqLength: number;
  readonly doTrain: boolean;
  readonly doEval: boolean;
  readonly doPredict: boolean;
  readonly trainBatchSize: number;
  readonly evalBatchSize: number;
  readonly predictBatchSize: number;
  readonly learningRate: number;
  readonly numTrainEpochs: number;
  readonly warmupProportion: number;
  readonly saveCheckpointsSteps: number;
}

/** Everything the three phases share. */
export interface ClassifierRun {
  readonly o: RunClassifierOptions;
  readonly processor: DataProcessor;
  readonly labels: string[];
  readonly numOut: number;
  readonly tokenizer: FullTokenizer;
  readonly k: Kernels<Float32Array>;
  readonly m: ClassifierModel<Float32Array>;
  readonly asm: BatchAssembler<Float32Array>;
  /** The global step of the weights in the model. */
  globalStep: number;
  /** The checkpoint the weights came from when resuming (slots are restored from it too). */
  readonly resumeFrom: string | null;
}

/** Flags the original would only trip over deep inside TF (or loop on): refused up front. */
function checkCounts(o: RunClassifierOptions): void {
  const positive = {
    train_batch_size: o.trainBatchSize,
    eval_batch_size: o.evalBatchSize,
    predict_batch_size: o.predictBatchSize,
    save_checkpoints_steps: o.saveCheckpointsSteps,
  };
  for (const [flag, v] of Object.entries(positive))
    if (!Number.isInteger(v) || v < 1) throw new UsageError(`--${flag}=${v}: must be at least 1`);
  if (!(o.numTrainEpochs >= 0))
    throw new UsageError(`--num_train_epochs=${o.numTrainEpochs}: must be ≥ 0`);
  if (!(o.warmupProportion >= 0 && o.warmupProportion <= 1))
    throw new UsageError(`--warmup_proportion=${o.warmupProportion}: must be in [0, 1]`);
  if (o.maxSeqLength < 3)
    throw new UsageError(`--max_seq_length=${o.maxSeqLength}: must leave room for [CLS] and [SEP]`);
}

function checkOptions(o: RunClassifierOptions, config: BertConfig): void {
  checkCounts(o);
  validateCaseMatchesCheckpoint(o.doLowerCase, o.initCheckpoint);
  if (o.maxSeqLength > config.max_position_embeddings)
    throw new ConfigError(
      `Cannot use sequence length ${o.maxSeqLength} because the BERT model was only trained up to sequence length ${config.max_position_embeddings}`,
    );
  // Estimator.evaluate/predict refuse a model_dir without a trained model; --init_checkpoint is
  // the bert-ts way to name one (a fine-tuned model.ckpt-N or a .safetensors file).
  if (!o.doTrain && o.initCheckpoint === null && latestCheckpoint(o.outputDir) === null)
    throw new UsageError(
      `Could not find trained model in model_dir: ${o.outputDir}`,
      'train first (--do_train=true), or pass the weights with --init_checkpoint=PATH',
    );
  if (o.tpuFlagsGiven)
    o.logger.warn(
      'TPU flags (use_tpu, tpu_name, iterations_per_loop, …) are ignored: bert-ts runs on the CPU',
    );
}

/**
 * Eval or predict with a head that no checkpoint gave (e.g. --init_checkpoint = a pre-trained
 * model): the original silently outputs a random head's guesses; bert-ts warns, naming them.
 */
function warnUntrainedHead(
  log: Logger,
  source: string | null,
  initialised: readonly string[],
): void {
  const missing = CLASSIFIER_HEAD_TENSORS.filter((n) => initialised.includes(n));
  if (missing.length === 0) return;
  log.warn(
    `${source ?? 'no checkpoint'}: no classifier head (${missing.join(', ')} missing): eval/predict use a random, untrained head, so their results mean nothing — fine-tune first (--do_train=true)`,
  );
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

async function setUp(o: RunClassifierOptions): Promise<ClassifierRun> {
  const config = BertConfig.fromJsonFile(o.bertConfigFile);
  checkOptions(o, config);
  const processor = getProcessor(o.taskName); // before any output: an unknown task writes nothing
  mkdirSync(o.outputDir, { recursive: true });
  writeFolderFiles(o, processor);
  const labels = processor.getLabels();
  const numOut = processor.isRegression ? 1 : labels.length;
  const tokenizer = FullTokenizer.fromFile(o.vocabFile, o.doLowerCase);
  const sizes = [o.doTrain ? o.trainBatchSize : 0, o.doEval ? o.evalBatchSize : 0];
  const maxBatch = Math.max(...sizes, o.doPredict ? o.predictBatchSize : 0);
  const k = o.kernels ?? (await createKernels({ threads: o.numThreads }));
  try {
    const regression = processor.isRegression;
    const m = createClassifierModel(k, config, {
      numLabels: numOut,
      maxBatch,
      maxSeq: o.maxSeqLength,
      seed: o.seed,
      regression,
      inference: !o.doTrain,
    });
    const asm = new BatchAssembler(k, maxBatch, o.maxSeqLength, regression, o.padToMaxSeqLength);
    const { globalStep, resumeFrom, initialised } = loadWeights(o, storeViews(m.store));
    if (!o.doTrain) warnUntrainedHead(o.logger, o.initCheckpoint, initialised);
    return { o, processor, labels, numOut, tokenizer, k, m, asm, globalStep, resumeFrom };
  } catch (e) {
    if (o.kernels === undefined) await k.dispose();
    throw e;
  }
}

/** run_classifier.py end to end; resolves when every requested phase has written its files. */
export async function runClassifier(o: RunClassifierOptions): Promise<void> {
  const run = await setUp(o);
  try {
    if (o.doTrain) {
      const events = new EventFileWriter(o.outputDir);
      try {
        const trained = trainClassifier(run, events);
        run.globalStep = trained.globalStep;
        if (!trained.finished) return; // stopped early (stopAtStep): as if killed
      } finally {
        events.close();
      }
    }
    if (o.doEval) evaluateClassifier(run, join(o.outputDir, 'eval'));
    if (o.doPredict) predictClassifier(run);
  } finally {
    if (o.kernels === undefined) await run.k.dispose();
  }
}
