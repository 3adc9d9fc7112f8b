// Classifier.fineTune: run_classifier on examples held in memory. It IS run_classifier — the
// same runner (train/runners/run_classifier.ts), given a DataProcessor over the caller's rows
// instead of a GLUE task's TSV files — so for the same rows, flags and seed it gives the CLI's
// numbers (eval_results.txt included). The run's folder is a temporary one (removed once the
// classifier is loaded from it) or `outputDir`, which appears whole or not at all.
import { mkdtempSync, rmSync, readTextFileSync } from '../host/fs.js';
import { join } from 'pathe';
import { host } from '../host/host.js';
import type { DataProcessor, InputExample } from '../data/glue/processor.js';
import type { Backend } from '../engine/index.js';
import {
  RUN_CLASSIFIER_DEFAULTS as D,
  runClassifier,
  type RunClassifierOptions,
} from '../train/runners/run_classifier.js';
import type { StepInfo } from '../train/runners/run_options.js';
import { UsageError } from '../util/errors.js';
import type { Logger } from '../util/log.js';
import { checkPairs, intOption, loadSizes, type TextPair } from './inputs.js';
import { createFolderAtomically, readModelFolder, type ModelFolder } from './model_folder.js';

/** A training or evaluation example: a text or pair and its label (one of `labels`). */
export interface LabeledPair extends TextPair {
  readonly label: string;
}

export interface FineTuneOptions {
  /** The model folder to start from: pretrainedModelPath(), a Google download, a fine-tuned folder. */
  readonly init: string;
  /** The classes, in output order (at least 2, distinct). */
  readonly labels: readonly string[];
  readonly train: readonly LabeledPair[];
  /** Evaluated after training: the classifier's evalResults (eval_accuracy, eval_loss, …). */
  readonly eval?: readonly LabeledPair[];
  /** run_classifier's --num_train_epochs (default 3). */
  readonly epochs?: number;
  /** --learning_rate (default 5e-5; 1e-4 suits the shipped BERT-Tiny). */
  readonly learningRate?: number;
  /** --train_batch_size (default 32). */
  readonly batchSize?: number;
  /** --max_seq_length (default 128). */
  readonly maxSeqLength?: number;
  /** --seed: initialisation of the head, shuffle and dropout (default 12345, as the CLI). */
  readonly seed?: number;
  /** --warmup_proportion (default 0.1). */
  readonly warmupProportion?: number;
  /** The task's name for bert_ts.json and its metric ('mrpc' adds eval_f1); default null. */
  readonly taskName?: string;
  /** Keep the run's folder (checkpoints, eval_results.txt, training_curve.svg) here; new or empty. */
  readonly outputDir?: string;
  readonly numThreads?: number;
  /** The kernels of training and of the classifier returned: 'auto' (default), 'native', 'wasm'. */
  readonly backend?: Backend;
  /** Called after each training step: { step, totalSteps, loss, learningRate }. */
  readonly onStep?: (s: StepInfo) => void;
  /** run_classifier's log lines (default: none). */
  readonly logger?: Logger;
}

/** `rows` checked as labelled pairs; a label not in `labels` names the example. */
function checkLabelled(rows: unknown, name: string, labels: readonly string[]): InputExample[] {
  const call = 'Classifier.fineTune';
  const pairs = checkPairs(rows, call, name);
  return pairs.map((p, i) => {
    const label = (rows as readonly { label?: unknown }[])[i]!.label;
    if (typeof label !== 'string' || !labels.includes(label))
      throw new UsageError(
        `${call}: ${name}[${i}].label ${JSON.stringify(label)} is not one of the labels ${JSON.stringify(labels)}`,
      );
    return { guid: `${name}-${i}`, textA: p.textA, textB: p.textB ?? null, label };
  });
}

function checkLabels(labels: unknown): readonly string[] {
  const ok =
    Array.isArray(labels) &&
    labels.length >= 2 &&
    labels.every((l) => typeof l === 'string' && l !== '') &&
    new Set(labels).size === labels.length;
  if (!ok)
    throw new UsageError(
      `Classifier.fineTune: labels must be at least 2 distinct non-empty strings, got ${JSON.stringify(labels)}`,
    );
  return labels as string[];
}

/** A number option in [min, max] (inclusive), or its default. */
function numberOption(v: unknown, name: string, def: number, min: number, max: number): number {
  if (v === undefined) return def;
  if (typeof v !== 'number' || !(v >= min && v <= max))
    throw new UsageError(
      `Classifier.fineTune: ${name} must be a number in [${min}, ${max}], got ${JSON.stringify(v)}`,
    );
  return v;
}

/** The caller's rows as a DataProcessor: what run_classifier reads its examples through. */
function memoryProcessor(
  name: string,
  labels: readonly string[],
  train: InputExample[],
  dev: InputExample[],
): DataProcessor {
  return {
    name,
    getTrainExamples: () => train,
    getDevExamples: () => dev,
    getTestExamples: () => {
      throw new UsageError(
        'Classifier.fineTune: no test examples (predict with the returned classifier)',
      );
    },
    getLabels: () => [...labels],
    isRegression: false,
  };
}

/** A finished run: its folder, the folder it started from, and its eval results. */
export interface FineTuneRun {
  readonly dir: string;
  readonly init: ModelFolder;
  /** eval_results.txt's values, or null without eval rows. */
  readonly evalResults: Readonly<Record<string, number>> | null;
}

function readEvalResults(dir: string): Record<string, number> {
  const lines = readTextFileSync(join(dir, 'eval_results.txt')).trimEnd().split('\n');
  return Object.fromEntries(lines.map((l) => l.split(' = ')).map(([k, v]) => [k!, Number(v)]));
}

/** run_classifier's options for `o`, every value checked (nothing is written before this). */
function runOptions(
  o: FineTuneOptions,
  init: ModelFolder,
): Omit<RunClassifierOptions, 'outputDir'> {
  const labels = checkLabels(o.labels);
  const train = checkLabelled(o.train, 'train', labels);
  if (train.length === 0) throw new UsageError('Classifier.fineTune: train is empty');
  const dev = o.eval === undefined ? [] : checkLabelled(o.eval, 'eval', labels);
  const maxSeqLength = o.maxSeqLength ?? D.maxSeqLength;
  const sizes = loadSizes({ ...o, maxSeqLength }, init.config, D.maxSeqLength);
  const taskName = o.taskName ?? 'custom';
  // run_classifier's defaults (eval/predict batch sizes, checkpoint steps, …), so that the same
  // rows and flags give the CLI's results
  return {
    ...D,
    taskName,
    processor: memoryProcessor(taskName, labels, train, dev),
    dataDir: '(rows in memory)',
    vocabFile: init.vocabFile,
    bertConfigFile: init.configFile,
    initCheckpoint: init.weights,
    doLowerCase: init.meta.do_lower_case,
    maxSeqLength: sizes.maxSeqLength,
    doTrain: true,
    doEval: dev.length > 0,
    trainBatchSize: sizes.batchSize,
    learningRate: numberOption(o.learningRate, 'learningRate', D.learningRate, Number.MIN_VALUE, 1),
    numTrainEpochs: numberOption(o.epochs, 'epochs', D.numTrainEpochs, Number.MIN_VALUE, 1e6),
    warmupProportion: numberOption(
      o.warmupProportion,
      'warmupProportion',
      D.warmupProportion,
      0,
      1,
    ),
    seed: intOption(o.seed, 'seed', D.seed, -(2 ** 31), 2 ** 31 - 1),
    numThreads: sizes.numThreads,
    logger: o.logger ?? D.logger,
    backend: o.backend,
    onStep: o.onStep,
  };
}

/**
 * Checks everything, then runs run_classifier on the rows into outputDir (whole or not at all)
 * or a temporary folder, and hands it to `use`; a temporary folder is removed afterwards.
 */
export async function fineTuneRun<R>(
  o: FineTuneOptions,
  use: (run: FineTuneRun) => Promise<R>,
): Promise<R> {
  const init = readModelFolder(o.init);
  const options = runOptions(o, init);
  const train = async (dir: string): Promise<FineTuneRun> => {
    await runClassifier({ ...options, outputDir: dir });
    return { dir, init, evalResults: options.doEval ? readEvalResults(dir) : null };
  };
  if (o.outputDir !== undefined) {
    let run: FineTuneRun | undefined;
    await createFolderAtomically(o.outputDir, async (tmp) => {
      run = await train(tmp);
    });
    return use({ ...run!, dir: o.outputDir });
  }
  const tmp = mkdtempSync(join(host().tmpdir(), 'bert-ts-finetune-'));
  try {
    return await use(await train(tmp));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
