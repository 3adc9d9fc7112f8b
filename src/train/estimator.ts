// What tf.estimator.Estimator does for every script of the original (run_classifier,
// run_pretraining, run_squad), once: the checks every runner shares, the kernels, the task model
// (BERT + a head, model/task_model.ts) and its weights (output_dir's latest checkpoint — resume —
// else --init_checkpoint by the assignment map, else the seeded initialisers), training with the
// shared loop (checkpoints, Adam slots, progress, TensorBoard events, the loss curve), the eval
// results file + its log lines + scalars under output_dir/eval, and the kernels disposed at the
// end. A runner is then its data module, its head and its metrics.
import { mkdirSync } from '../host/fs.js';
import { join } from 'pathe';
import { dropoutHash } from '../engine/dropout_hash.js';
import { createKernels } from '../engine/index.js';
import type { Kernels } from '../engine/kernels.js';
import { EventFileWriter } from '../formats/events.js';
import type { BertBatch } from '../model/bert_model.js';
import type { BertConfig } from '../model/config.js';
import type { Head } from '../model/heads/head.js';
import { forwardBackward, type TaskModel } from '../model/task_model.js';
import { ConfigError, UsageError } from '../util/errors.js';
import { writeFileAtomicSync } from '../util/fs.js';
import { AdamWeightDecay } from './adam_weight_decay.js';
import { trainingOrder } from './batches.js';
import { latestCheckpoint, restoreTrainingCheckpoint } from './checkpoint_io.js';
import { trainLoop, type ScalarSink } from './loop.js';
import { loadWeights, slotViews, storeViews } from './model_weights.js';
import { trainingCurveSvg } from './plot.js';
import { learningRate } from './schedule.js';
import { evalResultLines, writeEvalResults, type EvalResults } from './results.js';
import type { RunOptions } from './runners/run_options.js';

/** The loss/learning-rate curve every training run writes into output_dir. */
export const PLOT_FILE = 'training_curve.svg';

export interface EstimatorOptions extends RunOptions {
  readonly outputDir: string;
  readonly initCheckpoint: string | null;
  readonly maxSeqLength: number;
  readonly saveCheckpointsSteps: number;
  /** The model's bert_config.json, named when a checkpoint does not fit it. */
  readonly bertConfigFile?: string;
}

/** A task model with its weights loaded, and where they came from. */
export interface Estimator<H> {
  readonly o: EstimatorOptions;
  readonly k: Kernels<Float32Array>;
  readonly m: TaskModel<Float32Array, H>;
  /** The global step of the weights in the model. */
  globalStep: number;
  /** The checkpoint the weights came from when resuming (slots are restored from it too). */
  readonly resumeFrom: string | null;
  /** Variables left at their initialisers (none when resuming; all without a checkpoint). */
  readonly initialised: readonly string[];
}

/** The checks every runner makes: the sequence length against the config, the TPU notice. */
export function checkEstimatorOptions(o: EstimatorOptions, config: BertConfig): void {
  if (o.maxSeqLength > config.max_position_embeddings)
    throw new ConfigError(
      `Cannot use sequence length ${o.maxSeqLength} because the BERT model was only trained up to sequence length ${config.max_position_embeddings}`,
    );
  if (o.tpuFlagsGiven)
    o.logger.warn(
      'TPU flags (use_tpu, tpu_name, iterations_per_loop, …) are ignored: bert-ts runs on the CPU',
    );
}

/**
 * Counts the original would only trip over deep inside TF (or loop on), refused up front: each
 * of `positive` (flag name → value) an integer ≥ 1, epochs ≥ 0, warm-up in [0, 1].
 */
export function checkCounts(
  positive: Record<string, number>,
  numTrainEpochs: number,
  warmupProportion: number,
): void {
  for (const [flag, v] of Object.entries(positive))
    if (!Number.isInteger(v) || v < 1) throw new UsageError(`--${flag}=${v}: must be at least 1`);
  if (!(numTrainEpochs >= 0))
    throw new UsageError(`--num_train_epochs=${numTrainEpochs}: must be ≥ 0`);
  if (!(warmupProportion >= 0 && warmupProportion <= 1))
    throw new UsageError(`--warmup_proportion=${warmupProportion}: must be in [0, 1]`);
}

/**
 * Estimator.evaluate/predict refuse a model_dir without a trained model; --init_checkpoint is
 * the bert-ts way to name one (a fine-tuned model.ckpt-N or a .safetensors file).
 */
export function checkTrainedModelExists(o: EstimatorOptions, doTrain: boolean): void {
  if (!doTrain && o.initCheckpoint === null && latestCheckpoint(o.outputDir) === null)
    throw new UsageError(
      `Could not find trained model in model_dir: ${o.outputDir}`,
      'train first (--do_train=true), or pass the weights with --init_checkpoint=PATH',
    );
}

/**
 * Creates the kernels (unless given), the task model and its weights, then output_dir (only now:
 * a checkpoint refused leaves no directory behind), runs `body`, then disposes the kernels it
 * created — also when building or `body` throws.
 */
export async function withEstimator<H, R>(
  o: EstimatorOptions,
  build: (k: Kernels<Float32Array>) => TaskModel<Float32Array, H>,
  body: (est: Estimator<H>) => R | Promise<R>,
): Promise<R> {
  const k = o.kernels ?? (await createKernels({ threads: o.numThreads, backend: o.backend }));
  try {
    const m = build(k);
    const { globalStep, resumeFrom, initialised } = loadWeights(o, storeViews(m.store));
    mkdirSync(o.outputDir, { recursive: true });
    return await body({ o, k, m, globalStep, resumeFrom, initialised });
  } finally {
    if (o.kernels === undefined) await k.dispose();
  }
}

/**
 * Eval or predict with a head that no checkpoint gave (e.g. --init_checkpoint = a pre-trained
 * model): the original silently outputs a random head's guesses; bert-ts warns, naming them.
 */
export function warnUntrainedHead(
  est: Estimator<unknown>,
  headName: string,
  headTensors: readonly string[],
): void {
  const missing = headTensors.filter((n) => est.initialised.includes(n));
  if (missing.length === 0) return;
  est.o.logger.warn(
    `${est.o.initCheckpoint ?? 'no checkpoint'}: no ${headName} head (${missing.join(', ')} missing): eval/predict use a random, untrained head, so their results mean nothing — fine-tune first (--do_train=true)`,
  );
}

/** One training batch: the model inputs, the head's labels, the real tokens in it. */
export interface TrainBatch<L> {
  readonly batch: BertBatch;
  readonly labels: L;
  readonly tokens: number;
}

export interface TrainSpec<L, R> {
  /** Training examples; batches are drawn by train/batches.ts's seeded shuffle. */
  readonly numExamples: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly numTrainSteps: number;
  readonly numWarmupSteps: number;
  /** Title of the loss curve. */
  readonly plotTitle: string;
  /** The batch of these example indices. */
  batch(indices: Int32Array): TrainBatch<L>;
  /** Scalars of a step beside loss and learning rate (run_pretraining's two losses). */
  onStep?(result: R, step: number, events: ScalarSink): void;
}

/**
 * Trains from the loaded weights to spec.numTrainSteps (a resumed run restores its Adam slots
 * and step); events go to output_dir. Sets est.globalStep; returns whether training finished
 * (false: stopped early at stopAtStep, as if killed).
 */
export function trainEstimator<L, R extends { loss: number }>(
  est: Estimator<Head<Float32Array, L, R>>,
  spec: TrainSpec<L, R>,
): boolean {
  const { o, m } = est;
  const optimizer = new AdamWeightDecay(est.k, m.layout.entries, m.layout.size);
  const views = storeViews(m.store);
  const slots = slotViews(optimizer, m.layout);
  const startStep =
    est.resumeFrom === null
      ? 0
      : restoreTrainingCheckpoint(est.resumeFrom, views, slots, o.bertConfigFile);
  const bs = spec.batchSize;
  const order = trainingOrder(spec.numExamples, spec.numTrainSteps, bs, o.seed);
  const schedule = {
    initLr: spec.learningRate,
    numTrainSteps: spec.numTrainSteps,
    numWarmupSteps: spec.numWarmupSteps,
  };
  const events = new EventFileWriter(o.outputDir);
  try {
    const result = trainLoop({
      kernels: est.k,
      params: m.store.params,
      grads: m.store.grads,
      namedParams: () => views,
      optimizer,
      schedule,
      startStep,
      saveCheckpointsSteps: o.saveCheckpointsSteps,
      outputDir: o.outputDir,
      logger: o.logger,
      bar: o.bar,
      events,
      stopAtStep: o.stopAtStep,
      computeGradients: (step) => {
        const b = spec.batch(order.subarray(step * bs, (step + 1) * bs));
        const opts = { training: true, seed: dropoutHash(o.seed >>> 0, step) };
        const r = forwardBackward(m, b.batch, b.labels, opts);
        spec.onStep?.(r, step, events);
        const lr = learningRate(schedule, step);
        o.onStep?.({
          step: step + 1,
          totalSteps: schedule.numTrainSteps,
          loss: r.loss,
          learningRate: lr,
        });
        return { loss: r.loss, tokens: b.tokens };
      },
    });
    if (result.curve.length > 0)
      writeFileAtomicSync(
        join(o.outputDir, PLOT_FILE),
        trainingCurveSvg(result.curve, spec.plotTitle),
      );
    est.globalStep = result.globalStep;
    return result.globalStep >= spec.numTrainSteps;
  } finally {
    events.close();
  }
}

/**
 * eval_results.txt in output_dir, the same lines logged under `***** Eval results *****`, and
 * the float metrics as TensorBoard scalars in output_dir/eval at the global step.
 */
export function reportEvalResults(est: Estimator<unknown>, results: EvalResults): void {
  const { o } = est;
  writeEvalResults(join(o.outputDir, 'eval_results.txt'), results);
  o.logger.info('***** Eval results *****');
  for (const line of evalResultLines(results)) o.logger.info(`  ${line}`);
  const events = new EventFileWriter(join(o.outputDir, 'eval'));
  try {
    for (const [key, v] of Object.entries(results))
      if ('float32' in v) events.addScalar(key, v.float32, est.globalStep);
  } finally {
    events.close();
  }
}
