// The library's sentence encoder: any model folder (a Google download, the shipped Brown
// BERT-Tiny, a fine-tuned output_dir) loaded by path, texts in, one vector per text out. The
// forward pass is extract_features' (loadEncoder: the same weights, every layer's output), with
// batches padded to their longest text; a vector is the [CLS] row, the mean over the real tokens,
// or the pooler's output, of one layer or several concatenated.
//   const enc = await Encoder.load(pretrainedModelPath());
//   const [v] = await enc.embed(['some text'], { pooling: 'mean' });   // Float32Array(128)
import { BertModel } from '../model/bert_model.js';
import type { ParameterStore } from '../model/parameters.js';
import { BatchAssembler } from '../train/runners/classifier_data.js';
import { loadEncoder } from '../train/runners/extract_features.js';
import { UsageError } from '../util/errors.js';
import { warningsLogger } from '../util/log.js';
import { checkTexts, loadSizes, type LoadOptions } from './inputs.js';
import { readModelFolder, type ModelMeta } from './model_folder.js';
import type { BertConfig } from '../model/config.js';
import { Session } from './session.js';
import { Tokenizer } from './tokenizer.js';

/** 'cls': the first token's vector; 'mean': the mean over real tokens; 'pooled': BERT's pooler (dense + tanh on [CLS]). */
export type Pooling = 'cls' | 'mean' | 'pooled';

export interface EmbedOptions {
  /** Default 'cls'. */
  readonly pooling?: Pooling;
  /**
   * Encoder layers to read (0 = the first, −1 = the last; default [−1]); the vectors of several
   * layers are concatenated in the order given. Not with 'pooled' (it reads the last layer).
   */
  readonly layers?: readonly number[];
}

const POOLINGS: readonly Pooling[] = ['cls', 'mean', 'pooled'];

function checkEmbedOptions(
  o: EmbedOptions,
  numLayers: number,
): { pooling: Pooling; layers: number[] } {
  const pooling = o.pooling ?? 'cls';
  if (!POOLINGS.includes(pooling))
    throw new UsageError(
      `Encoder.embed: pooling ${JSON.stringify(pooling)} is not one of ${POOLINGS.join(', ')}`,
    );
  if (o.layers !== undefined && pooling === 'pooled')
    throw new UsageError(
      "Encoder.embed: pooling 'pooled' reads the last layer; layers cannot be chosen with it",
    );
  const layers = [...(o.layers ?? [-1])];
  if (layers.length === 0) throw new UsageError('Encoder.embed: layers is empty');
  for (const l of layers)
    if (!Number.isInteger(l) || l >= numLayers || l < -numLayers)
      throw new UsageError(
        `Encoder.embed: layer ${l} does not exist in a ${numLayers}-layer model`,
      );
  return { pooling, layers: layers.map((l) => (l < 0 ? numLayers + l : l)) };
}

/** Writes the pooled vector of example b of layer `x` (B,T,C) at out[at…at+C). */
function poolRow(
  x: Float32Array,
  b: number,
  T: number,
  C: number,
  mask: Int32Array,
  mean: boolean,
  out: Float32Array,
  at: number,
): void {
  const row = (t: number) => (b * T + t) * C;
  if (!mean) {
    out.set(x.subarray(row(0), row(0) + C), at);
    return;
  }
  let n = 0;
  for (let t = 0; t < T; t++) {
    if (mask[b * T + t] === 0) continue;
    n++;
    for (let c = 0; c < C; c++) out[at + c]! += x[row(t) + c]!;
  }
  for (let c = 0; c < C; c++) out[at + c]! /= n;
}

/** What an Encoder tells about its model: bert_ts.json, bert_config.json, the tokenizer. */
interface EncoderAbout {
  readonly meta: ModelMeta;
  readonly config: BertConfig;
  readonly tokenizer: Tokenizer;
}

interface EncoderSizes {
  readonly batchSize: number;
  readonly maxSeqLength: number;
}

export class Encoder {
  private constructor(
    private readonly session: Session,
    private readonly model: BertModel<Float32Array>,
    private readonly asm: BatchAssembler<Float32Array>,
    /** bert_ts.json of the model (casing, max_seq_length; labels if it is a classifier's). */
    readonly meta: ModelMeta,
    /** bert_config.json. */
    readonly config: BertConfig,
    /** Its tokenizer (the folder's vocabulary and casing). */
    readonly tokenizer: Tokenizer,
    /** Texts are truncated to this many tokens. */
    readonly maxSeqLength: number,
    /** Texts per forward pass. */
    readonly batchSize: number,
  ) {}

  /** Loads the encoder of a model folder (a classifier's head, if any, is not used). */
  static async load(path: string, opts: LoadOptions = {}): Promise<Encoder> {
    const folder = readModelFolder(path);
    const sizes = loadSizes(opts, folder.config, folder.meta.max_seq_length);
    const tokenizer = Tokenizer.fromFolder(folder, sizes.maxSeqLength);
    const session = await Session.start('Encoder', sizes.numThreads, opts.backend);
    try {
      const limits = { maxBatch: sizes.batchSize, maxSeq: sizes.maxSeqLength };
      const log = opts.logger ?? warningsLogger;
      const { config, configFile, weights } = folder;
      const model = loadEncoder(session.kernels, config, weights, configFile, limits, log);
      return Encoder.create(session, model, { ...folder, tokenizer }, sizes);
    } catch (e) {
      await session.dispose();
      throw e;
    }
  }

  /**
   * For Classifier.encoder: an Encoder on encoder weights already loaded into `store` (in the
   * kernel set of `session`, which it then owns) — a BertModel of its own activations over them.
   */
  static onWeights(
    session: Session,
    store: ParameterStore<Float32Array>,
    about: EncoderAbout,
    sizes: EncoderSizes,
  ): Encoder {
    const limits = { maxBatch: sizes.batchSize, maxSeq: sizes.maxSeqLength, inference: true };
    const model = new BertModel(session.kernels, about.config, store, limits);
    return Encoder.create(session, model, about, sizes);
  }

  private static create(
    session: Session,
    model: BertModel<Float32Array>,
    about: EncoderAbout,
    sizes: EncoderSizes,
  ): Encoder {
    const { batchSize, maxSeqLength } = sizes;
    const asm = new BatchAssembler(session.kernels, batchSize, maxSeqLength, false, false);
    const { meta, config, tokenizer } = about;
    return new Encoder(session, model, asm, meta, config, tokenizer, maxSeqLength, batchSize);
  }

  /** The kernel set it runs on, e.g. 'native-avx512 x2' or 'wasm-relaxed-simd x2'. */
  get engine(): string {
    return this.session.kernels.name;
  }

  /** hidden_size: the length of a one-layer vector. */
  get dimension(): number {
    return this.config.hidden_size;
  }

  /** One vector per text, in order (hidden_size × the number of layers chosen). */
  embed(texts: readonly string[], opts: EmbedOptions = {}): Promise<Float32Array[]> {
    const checked = checkTexts(texts, 'Encoder.embed');
    const o = checkEmbedOptions(opts, this.config.num_hidden_layers);
    return this.session.run(checked, this.batchSize, (slice) =>
      this.embedBatch(slice, o.pooling, o.layers),
    );
  }

  private embedBatch(texts: readonly string[], pooling: Pooling, layers: number[]): Float32Array[] {
    const table = this.tokenizer.features(
      texts.map((textA) => ({ textA })),
      this.maxSeqLength,
    );
    const idx = Int32Array.from(texts, (_, i) => i);
    const { batch } = this.asm.assemble(table, idx);
    const out = this.model.forward(batch, { training: false, seed: 0 });
    const C = this.dimension;
    return texts.map((_, b) => {
      if (pooling === 'pooled') return Float32Array.from(out.pooled.subarray(b * C, (b + 1) * C));
      const v = new Float32Array(C * layers.length);
      layers.forEach((l, j) =>
        poolRow(out.layers[l]!, b, out.T, C, batch.inputMask!, pooling === 'mean', v, j * C),
      );
      return v;
    });
  }

  /** Stops the worker threads. Optional: they never keep the process alive. */
  dispose(): Promise<void> {
    return this.session.dispose();
  }
}
