// The library's text classifier: a model folder (a run_classifier output_dir, a saved folder)
// loaded by path, strings in, labels and probabilities out. It is run_classifier's predict path —
// the same model (BERT + output_weights/output_bias), the same features, batches padded to their
// longest example, runInference — so Classifier.load(output_dir).predict(test pairs) gives
// test_results.tsv's probabilities.
//   const clf = await Classifier.load(dir);
//   await clf.predict([{ textA: 'The cat sat.', textB: 'A cat was sitting.' }])
//     → [{ label: '1', probabilities: { '0': 0.08, '1': 0.92 } }]
import { join } from 'pathe';
import { createClassifierModel, type ClassifierModel } from '../model/classifier_model.js';
import { CLASSIFIER_HEAD_TENSORS } from '../model/heads/classifier.js';
import { initFromCheckpoint, saveWeightsCheckpoint } from '../train/checkpoint_io.js';
import { storeViews } from '../train/model_weights.js';
import { BatchAssembler } from '../train/runners/classifier_data.js';
import { runInference } from '../train/runners/classifier_eval.js';
import { UsageError } from '../util/errors.js';
import { silentLogger, warningsLogger, type Logger } from '../util/log.js';
import { checkPairs, loadSizes, type LoadOptions, type TextPair } from './inputs.js';
import {
  RELEASED_PREFIX,
  createFolderAtomically,
  modelMeta,
  readModelFolder,
  writeModelFiles,
  type ModelFolder,
  type ModelMeta,
} from './model_folder.js';
import { fineTuneRun, type FineTuneOptions } from './fine_tune.js';
import type { BertConfig } from '../model/config.js';
import { Encoder } from './encoder.js';
import { Session } from './session.js';
import { Tokenizer } from './tokenizer.js';

export interface ClassifierLoadOptions extends LoadOptions {
  /**
   * Load even when the weights have no classifier head (output_weights, output_bias): the head
   * is then random and its outputs mean nothing until fine-tuned. Default false: refused.
   */
  readonly allowUntrainedHead?: boolean;
  /** The labels, for a folder whose bert_ts.json has none (a bare encoder, allowUntrainedHead). */
  readonly labels?: readonly string[];
}

/** One prediction: the most probable label and every label's probability. */
export interface Prediction {
  readonly label: string;
  readonly probabilities: Readonly<Record<string, number>>;
  /** Regression models (STS-B): the predicted score (label is its decimal text, probabilities empty). */
  readonly score?: number;
}

/** The labels of the head: bert_ts.json's, or the option's for a folder without. */
function headLabels(folder: ModelFolder, o: ClassifierLoadOptions): readonly string[] {
  const labels = o.labels ?? folder.meta.labels;
  if (labels === null)
    throw new UsageError(
      `${folder.dir}: a bare encoder (bert_ts.json "labels": null or no bert_ts.json): no classifier to load`,
      'fine-tune it with Classifier.fineTune, embed with Encoder.load, or pass { labels, allowUntrainedHead: true }',
    );
  if (!folder.meta.is_regression && labels.length < 2)
    throw new UsageError(
      `${folder.dir}: a classifier needs at least 2 labels, got ${labels.length}`,
    );
  return labels;
}

/** Loads the weights; a head the checkpoint lacks is refused, or with allowUntrainedHead a warning. */
function loadHead(
  m: ClassifierModel<Float32Array>,
  folder: ModelFolder,
  o: ClassifierLoadOptions,
  log: Logger,
): void {
  const loaded = initFromCheckpoint(
    folder.weights,
    storeViews(m.store),
    silentLogger,
    folder.configFile,
  );
  const missing = m.layout.entries.map((e) => e.name).filter((n) => !loaded.has(n));
  const head = missing.filter((n) => CLASSIFIER_HEAD_TENSORS.includes(n));
  if (head.length > 0 && o.allowUntrainedHead !== true)
    throw new UsageError(
      `${folder.weights}: no trained classifier head (${head.join(', ')} missing)`,
      'fine-tune first (Classifier.fineTune or run_classifier), or pass { allowUntrainedHead: true } for a random head',
    );
  if (missing.length > 0)
    log.warn(
      `${folder.weights}: not in the checkpoint, left at their initial values: ${missing.join(', ')}`,
    );
}

/** bert_config.json and vocab.txt, which save() copies. */
interface FolderFiles {
  readonly configFile: string;
  readonly vocabFile: string;
}

export class Classifier {
  private constructor(
    private readonly session: Session,
    private readonly m: ClassifierModel<Float32Array>,
    private readonly asm: BatchAssembler<Float32Array>,
    private readonly files: FolderFiles,
    /** bert_ts.json of the model (its task, labels, casing, max_seq_length). */
    readonly meta: ModelMeta,
    /** bert_config.json. */
    readonly config: BertConfig,
    /** The labels, in the order of the head's outputs. */
    readonly labels: readonly string[],
    /** Its tokenizer (the folder's vocabulary and casing). */
    readonly tokenizer: Tokenizer,
    /** Inputs are truncated to this many tokens. */
    readonly maxSeqLength: number,
    /** Examples per forward pass. */
    readonly batchSize: number,
    /** After fineTune with eval rows: eval_results.txt's values (eval_accuracy, eval_loss, …). */
    readonly evalResults: Readonly<Record<string, number>> | null,
  ) {}

  /**
   * Loads a classifier from a model folder: a run_classifier output_dir (its latest checkpoint),
   * a folder written by save(), or a checkpoint prefix / .safetensors file in such a folder.
   * Starts the engine's worker threads (once; they never keep the process alive).
   */
  static async load(path: string, opts: ClassifierLoadOptions = {}): Promise<Classifier> {
    const folder = readModelFolder(path);
    return Classifier.open(folder, opts, folder, null);
  }

  /**
   * Fine-tunes a model folder on labelled rows held in memory and returns the classifier. The
   * same runner as `bert run_classifier` (same optimizer, schedule, shuffle and dropout), so the
   * same rows, flags and seed give the CLI's results. See FineTuneOptions for the defaults.
   */
  static async fineTune(o: FineTuneOptions): Promise<Classifier> {
    return fineTuneRun(o, (run) => {
      const opts = { numThreads: o.numThreads, backend: o.backend, logger: o.logger };
      // The run's config and vocabulary are the init folder's: save() copies them from there.
      return Classifier.open(readModelFolder(run.dir), opts, run.init, run.evalResults);
    });
  }

  private static async open(
    folder: ModelFolder,
    opts: ClassifierLoadOptions,
    files: FolderFiles,
    evalResults: Readonly<Record<string, number>> | null,
  ): Promise<Classifier> {
    const labels = headLabels(folder, opts);
    const { config, meta } = folder;
    const sizes = loadSizes(opts, config, meta.max_seq_length);
    const { batchSize, maxSeqLength } = sizes;
    const tokenizer = Tokenizer.fromFolder(folder, maxSeqLength);
    const session = await Session.start('Classifier', sizes.numThreads, opts.backend);
    try {
      const k = session.kernels;
      const regression = meta.is_regression;
      const numLabels = regression ? 1 : labels.length;
      const limits = { maxBatch: batchSize, maxSeq: maxSeqLength };
      const build = { numLabels, ...limits, seed: 12345, regression, inference: true };
      const m = createClassifierModel(k, config, build);
      loadHead(m, folder, opts, opts.logger ?? warningsLogger);
      const asm = new BatchAssembler(k, batchSize, maxSeqLength, regression, false);
      const parts = [meta, config, labels, tokenizer, maxSeqLength, batchSize] as const;
      return new Classifier(session, m, asm, files, ...parts, evalResults);
    } catch (e) {
      await session.dispose();
      throw e;
    }
  }

  /**
   * An Encoder on this classifier's encoder weights: the same threads and no second copy of the
   * weights (a bert serve of a classifier folder embeds with it), only activation buffers of its
   * own; its embed() equals Encoder.load(the folder)'s. Dispose it too: the threads stop when
   * both are disposed.
   */
  encoder(): Encoder {
    const about = { meta: this.meta, config: this.config, tokenizer: this.tokenizer };
    const sizes = { batchSize: this.batchSize, maxSeqLength: this.maxSeqLength };
    return Encoder.onWeights(this.session.share('Encoder'), this.m.store, about, sizes);
  }

  /** The kernel set it runs on, e.g. 'native-avx512 x2' or 'wasm-relaxed-simd x2'. */
  get engine(): string {
    return this.session.kernels.name;
  }

  /** Classifies texts or text pairs, in batches of batchSize; one Prediction per input, in order. */
  predict(pairs: readonly TextPair[]): Promise<Prediction[]> {
    const checked = checkPairs(pairs, 'Classifier.predict');
    return this.session.run(checked, this.batchSize, (slice) => this.predictBatch(slice));
  }

  private predictBatch(pairs: readonly TextPair[]): Prediction[] {
    const table = this.tokenizer.features(pairs, this.maxSeqLength);
    const regression = this.meta.is_regression;
    const n = regression ? 1 : this.labels.length;
    const { probabilities } = runInference(this.m, this.asm, table, pairs.length, n);
    return pairs.map((_, i) => {
      const row = probabilities.subarray(i * n, (i + 1) * n);
      if (regression) return { label: String(row[0]), probabilities: {}, score: row[0]! };
      let best = 0;
      for (let c = 1; c < n; c++) if (row[c]! > row[best]!) best = c;
      const entries = this.labels.map((l, c) => [l, row[c]!] as const);
      return { label: this.labels[best]!, probabilities: Object.fromEntries(entries) };
    });
  }

  /**
   * Writes a self-contained model folder: bert_config.json, vocab.txt, bert_ts.json and the
   * weights as bert_model.ckpt (no optimizer state). `dir` must be new or empty; on an error
   * nothing is left behind.
   */
  async save(dir: string): Promise<void> {
    this.session.checkLive();
    const meta = modelMeta({
      ...this.meta,
      labels: this.meta.is_regression ? [] : this.labels,
      max_seq_length: this.maxSeqLength,
    });
    await createFolderAtomically(dir, (tmp) => {
      writeModelFiles(tmp, { ...this.files, meta });
      saveWeightsCheckpoint(join(tmp, RELEASED_PREFIX), storeViews(this.m.store));
    });
  }

  /** Stops the worker threads. Optional: they never keep the process alive. */
  dispose(): Promise<void> {
    return this.session.dispose();
  }
}
