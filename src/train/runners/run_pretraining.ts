// run_pretraining.py's main(): the input files (comma list of globs), BERT + the masked-LM and
// next-sentence heads, the weights (output_dir's latest checkpoint — resume — else
// --init_checkpoint by the assignment map, else the seeded initialisers), training for
// num_train_steps with the shared loop (checkpoints with Google's names, Adam slots and
// global_step; events; the loss curve), then evaluation over max_eval_steps batches of the same
// files into eval_results.txt (global_step, loss, masked_lm_accuracy, masked_lm_loss,
// next_sentence_accuracy, next_sentence_loss).
//
// Training order: the original reads a single file as repeat → shuffle(100) → batch (drop
// remainder); with several files it also shuffles the file list and interleaves 4 of them. Here
// the files are concatenated in the order given, then the same seeded repeat → shuffle(100) →
// batch (train/batches.ts). create_pretraining_data already shuffles the instances of each file.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { dropoutHash } from '../../engine/dropout_hash.js';
import { createKernels } from '../../engine/index.js';
import type { Kernels } from '../../engine/kernels.js';
import { EventFileWriter } from '../../formats/events.js';
import { BertConfig } from '../../model/config.js';
import {
  createPretrainingModel,
  pretrainingForwardBackward,
  type PretrainingModel,
} from '../../model/pretraining_model.js';
import { ConfigError } from '../../util/errors.js';
import { writeFileAtomicSync } from '../../util/fs.js';
import type { RunOptions } from './run_options.js';
import { AdamWeightDecay } from '../adam_weight_decay.js';
import { trainingOrder } from '../batches.js';
import { restoreTrainingCheckpoint } from '../checkpoint_io.js';
import { trainLoop, type ScalarSink } from '../loop.js';
import { loadWeights, slotViews, storeViews } from '../model_weights.js';
import { trainingCurveSvg } from '../plot.js';
import { evaluatePretraining } from './pretraining_eval.js';
import {
  PretrainingBatcher,
  readPretrainingRecords,
  type PretrainingTable,
} from './pretraining_data.js';

export const PLOT_FILE = 'training_curve.svg';

export interface RunPretrainingOptions extends RunOptions {
  /** The input files, globs already expanded (the CLI's --input_file). */
  readonly inputFiles: readonly string[];
  readonly outputDir: string;
  readonly doTrain: boolean;
  readonly doEval: boolean;
  readonly bertConfigFile: string;
  readonly initCheckpoint: string | null;
  readonly maxSeqLength: number;
  readonly maxPredictionsPerSeq: number;
  readonly trainBatchSize: number;
  readonly evalBatchSize: number;
  readonly learningRate: number;
  readonly numTrainSteps: number;
  readonly numWarmupSteps: number;
  readonly saveCheckpointsSteps: number;
  readonly maxEvalSteps: number;
}

/** What training and evaluation share. */
export interface PretrainingRun {
  readonly o: RunPretrainingOptions;
  readonly k: Kernels<Float32Array>;
  readonly m: PretrainingModel<Float32Array>;
  readonly table: PretrainingTable;
  readonly batcher: PretrainingBatcher;
  globalStep: number;
  readonly resumeFrom: string | null;
}

function checkOptions(o: RunPretrainingOptions, config: BertConfig): void {
  if (o.maxSeqLength > config.max_position_embeddings)
    throw new ConfigError(
      `Cannot use sequence length ${o.maxSeqLength} because the BERT model was only trained up to sequence length ${config.max_position_embeddings}`,
    );
  if (o.tpuFlagsGiven)
    o.logger.warn(
      'TPU flags (use_tpu, tpu_name, iterations_per_loop, …) are ignored: bert-ts runs on the CPU',
    );
}

async function setUp(o: RunPretrainingOptions): Promise<PretrainingRun> {
  const config = BertConfig.fromJsonFile(o.bertConfigFile);
  checkOptions(o, config);
  mkdirSync(o.outputDir, { recursive: true });
  o.logger.info('*** Input Files ***');
  for (const f of o.inputFiles) o.logger.info(`  ${f}`);
  const table = readPretrainingRecords(o.inputFiles, o.maxSeqLength, o.maxPredictionsPerSeq);
  const maxBatch = Math.max(o.doTrain ? o.trainBatchSize : 0, o.doEval ? o.evalBatchSize : 0);
  const k = o.kernels ?? (await createKernels({ threads: o.numThreads }));
  try {
    const m = createPretrainingModel(k, config, {
      maxBatch,
      maxSeq: o.maxSeqLength,
      maxPredictions: o.maxPredictionsPerSeq,
      seed: o.seed,
      inference: !o.doTrain,
    });
    const batcher = new PretrainingBatcher(k, maxBatch, o.maxSeqLength, o.padToMaxSeqLength);
    const { globalStep, resumeFrom } = loadWeights(o, storeViews(m.store));
    return { o, k, m, table, batcher, globalStep, resumeFrom };
  } catch (e) {
    if (o.kernels === undefined) await k.dispose(); // a bad checkpoint must not leak the workers
    throw e;
  }
}

/** Trains to num_train_steps; returns the global step reached and whether it got there. */
function trainPretraining(run: PretrainingRun, events: ScalarSink) {
  const { o, m, table } = run;
  const bs = o.trainBatchSize;
  o.logger.info('***** Running training *****');
  o.logger.info(`  Batch size = ${bs}`);
  const optimizer = new AdamWeightDecay(run.k, m.layout.entries, m.layout.size);
  const slots = slotViews(optimizer, m.layout);
  const startStep =
    run.resumeFrom === null
      ? 0
      : restoreTrainingCheckpoint(run.resumeFrom, storeViews(m.store), slots);
  const order = trainingOrder(table.count, o.numTrainSteps, bs, o.seed);
  const result = trainLoop({
    kernels: run.k,
    params: m.store.params,
    grads: m.store.grads,
    namedParams: () => storeViews(m.store),
    optimizer,
    schedule: {
      initLr: o.learningRate,
      numTrainSteps: o.numTrainSteps,
      numWarmupSteps: o.numWarmupSteps,
    },
    startStep,
    saveCheckpointsSteps: o.saveCheckpointsSteps,
    outputDir: o.outputDir,
    logger: o.logger,
    tty: o.tty,
    events,
    stopAtStep: o.stopAtStep,
    computeGradients: (step) => {
      const b = run.batcher.assemble(table, order.subarray(step * bs, (step + 1) * bs));
      const opts = { training: true, seed: dropoutHash(o.seed >>> 0, step) };
      const r = pretrainingForwardBackward(m, b.batch, b.labels, opts);
      events.addScalar('masked_lm_loss', r.maskedLmLoss, step);
      events.addScalar('next_sentence_loss', r.nextSentenceLoss, step);
      return { loss: r.loss, tokens: b.tokens };
    },
  });
  if (result.curve.length > 0)
    writeFileAtomicSync(
      join(o.outputDir, PLOT_FILE),
      trainingCurveSvg(result.curve, 'pretraining'),
    );
  return { globalStep: result.globalStep, finished: result.globalStep >= o.numTrainSteps };
}

/** run_pretraining.py end to end; resolves when training and/or evaluation wrote their files. */
export async function runPretraining(o: RunPretrainingOptions): Promise<void> {
  const run = await setUp(o);
  try {
    if (o.doTrain) {
      const events = new EventFileWriter(o.outputDir);
      try {
        const trained = trainPretraining(run, events);
        run.globalStep = trained.globalStep;
        if (!trained.finished) return; // stopped early (stopAtStep): as if killed
      } finally {
        events.close();
      }
    }
    if (o.doEval) evaluatePretraining(run, join(o.outputDir, 'eval'));
  } finally {
    if (o.kernels === undefined) await run.k.dispose();
  }
}
