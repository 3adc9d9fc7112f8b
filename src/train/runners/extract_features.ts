// extract_features.py's main(): tokenize every input line, run BERT (is_training=False) over
// batches of --batch_size in input order, and write one JSON line per example with the chosen
// layers' activations for every token (REFERENCE.md §1.4). Weights come from --init_checkpoint
// by the assignment map, through the same loader as every script (train/checkpoint_io.ts):
// variables the checkpoint lacks keep their initialisers, as in the original (a warning names
// them). A batch runs at its own longest example: the masked padding
// cannot change the real positions (test/model/bert_model.test.ts shows it bit for bit).
import { checkTokenizerFits, recordLimits } from '../../data/record_checks.js';
import { createKernels, type Backend } from '../../engine/index.js';
import type { Kernels } from '../../engine/kernels.js';
import { BertModel, type BertBatch } from '../../model/bert_model.js';
import { BertConfig } from '../../model/config.js';
import { initParameters } from '../../model/init.js';
import { addBertParams, ParamLayout } from '../../model/layout.js';
import { ParameterStore } from '../../model/parameters.js';
import { FullTokenizer } from '../../tokenization/full.js';
import { ConfigError, UsageError } from '../../util/errors.js';
import { AtomicFileWriter } from '../../util/fs.js';
import type { Logger } from '../../util/log.js';
import { initFromCheckpoint } from '../checkpoint_io.js';
import { storeViews } from '../model_weights.js';
import {
  convertExtractExamples,
  formatFeatureLine,
  readExtractExamples,
  type ExtractFeatures,
} from './extract_features_data.js';

export interface ExtractFeaturesOptions {
  readonly inputFile: string;
  readonly outputFile: string;
  readonly vocabFile: string;
  readonly bertConfigFile: string;
  readonly initCheckpoint: string;
  /** --layers, e.g. "-1,-2,-3,-4": indexes into the encoder layers, negative from the end. */
  readonly layers: string;
  readonly maxSeqLength: number;
  readonly doLowerCase: boolean;
  readonly batchSize: number;
  readonly numThreads: number;
  /** The kernel set (default 'auto': native where it loads, else wasm). */
  readonly backend?: Backend;
  readonly logger: Logger;
  /** Tests: a kernel set to use instead of createKernels({ threads: numThreads, backend }). */
  readonly kernels?: Kernels<Float32Array>;
}

/** `[int(x) for x in FLAGS.layers.split(",")]`, each checked against the number of layers. */
export function parseLayerIndexes(spec: string, numLayers: number): number[] {
  return spec.split(',').map((part) => {
    if (!/^\s*[+-]?\d+\s*$/.test(part))
      throw new UsageError(`--layers=${spec}: '${part}' is not an integer`);
    const index = Number(part.trim());
    if (index >= numLayers || index < -numLayers)
      throw new UsageError(
        `--layers=${spec}: layer ${index} does not exist in a ${numLayers}-layer model`,
      );
    return index;
  });
}

function checkOptions(o: ExtractFeaturesOptions, config: BertConfig): void {
  if (o.maxSeqLength > config.max_position_embeddings)
    throw new ConfigError(
      `Cannot use sequence length ${o.maxSeqLength} because the BERT model was only trained up to sequence length ${config.max_position_embeddings}`,
    );
  if (o.maxSeqLength < 3)
    throw new UsageError(
      `--max_seq_length=${o.maxSeqLength}: at least 3 are needed for [CLS] a [SEP]`,
    );
  if (o.batchSize < 1) throw new UsageError(`--batch_size=${o.batchSize}: must be at least 1`);
}

/**
 * A forward-only encoder with `checkpoint`'s weights by the assignment map (variables the
 * checkpoint lacks keep their initialisers and a warning names them). extract_features and the
 * library's Encoder load through here.
 */
export function loadEncoder(
  k: Kernels<Float32Array>,
  config: BertConfig,
  checkpoint: string,
  /** bert_config.json, named when the checkpoint does not fit it. */
  configFile: string,
  limits: { readonly maxBatch: number; readonly maxSeq: number },
  logger: Logger,
): BertModel<Float32Array> {
  const layout = new ParamLayout();
  addBertParams(layout, config);
  const store = new ParameterStore(k, layout);
  initParameters(store, 12345);
  const loaded = initFromCheckpoint(checkpoint, storeViews(store), logger, configFile);
  const missing = layout.entries.filter((e) => !loaded.has(e.name)).map((e) => e.name);
  if (missing.length > 0)
    logger.warn(
      `${checkpoint}: not in the checkpoint, left at their initial values: ${missing.join(', ')}`,
    );
  return new BertModel(k, config, store, { ...limits, inference: true });
}

/** The batch of features[start, start + B) padded to its longest example. */
function assembleBatch(features: readonly ExtractFeatures[]): BertBatch {
  const T = Math.max(...features.map((f) => f.tokens.length));
  const B = features.length;
  const [ids, mask, types] = [new Int32Array(B * T), new Int32Array(B * T), new Int32Array(B * T)];
  features.forEach((f, b) => {
    for (let t = 0; t < T; t++) {
      ids[b * T + t] = f.inputIds[t]!;
      mask[b * T + t] = f.inputMask[t]!;
      types[b * T + t] = f.inputTypeIds[t]!;
    }
  });
  return { batchSize: B, seqLength: T, inputIds: ids, inputMask: mask, segmentIds: types };
}

/** extract_features.py end to end; the output file appears only when complete. */
export async function extractFeatures(o: ExtractFeaturesOptions): Promise<void> {
  const config = BertConfig.fromJsonFile(o.bertConfigFile);
  checkOptions(o, config);
  const layerIndexes = parseLayerIndexes(o.layers, config.num_hidden_layers);
  const tokenizer = FullTokenizer.fromFile(o.vocabFile, o.doLowerCase);
  const examples = readExtractExamples(o.inputFile);
  const features = convertExtractExamples(examples, o.maxSeqLength, tokenizer, o.logger);
  const k = o.kernels ?? (await createKernels({ threads: o.numThreads, backend: o.backend }));
  const writer = new AtomicFileWriter(o.outputFile);
  try {
    const limits = { maxBatch: o.batchSize, maxSeq: o.maxSeqLength };
    const model = loadEncoder(k, config, o.initCheckpoint, o.bertConfigFile, limits, o.logger);
    // after the weights: a config that does not fit them is named with the checkpoint first
    const pairs = examples.some((x) => x.textB);
    checkTokenizerFits(tokenizer.vocab, recordLimits(config), pairs);
    const C = config.hidden_size;
    const L = config.num_hidden_layers;
    for (let start = 0; start < features.length; start += o.batchSize) {
      const chunk = features.slice(start, start + o.batchSize);
      const out = model.forward(assembleBatch(chunk), { training: false, seed: 0 });
      chunk.forEach((f, b) => {
        const rows = layerIndexes.map((i) => {
          const layer = out.layers[i < 0 ? L + i : i]!;
          return Float32Array.from(layer.subarray(b * out.T * C, (b + 1) * out.T * C));
        });
        writer.write(formatFeatureLine(f, layerIndexes, rows, C));
      });
    }
    writer.commit();
  } catch (e) {
    writer.abort();
    throw e;
  } finally {
    if (o.kernels === undefined) await k.dispose();
  }
}
