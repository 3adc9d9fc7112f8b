// The served model from a model folder, through the library API: a Classifier when the folder
// has labels (bert_ts.json) and its encoder() — one copy of the weights, one kernel set — or an
// Encoder alone for a bare encoder (embeddings only), and their Tokenizer. Loaded once; told
// max_batch_size as their batch size, so one batch of the server is one forward pass.
import { Classifier } from '../api/classifier.js';
import { Encoder } from '../api/encoder.js';
import { readModelFolder } from '../api/model_folder.js';
import type { LoadOptions } from '../api/inputs.js';
import type { Backend } from '../engine/index.js';
import type { Pooling, Prediction, ServedModel, TextPair } from './served_model.js';

export interface LoadServedOptions {
  readonly numThreads: number;
  readonly backend: Backend;
  readonly maxBatchSize: number;
  /** null: the folder's max_seq_length. */
  readonly maxSeqLength: number | null;
}

export async function loadServedModel(dir: string, o: LoadServedOptions): Promise<ServedModel> {
  const folder = readModelFolder(dir);
  const sizes: LoadOptions = {
    numThreads: o.numThreads,
    backend: o.backend,
    batchSize: o.maxBatchSize,
    ...(o.maxSeqLength === null ? {} : { maxSeqLength: o.maxSeqLength }),
  };
  if (folder.meta.labels === null)
    return servedModel(folder.dir, await Encoder.load(dir, sizes), null, o.numThreads);
  const classifier = await Classifier.load(dir, sizes);
  return servedModel(folder.dir, classifier.encoder(), classifier, o.numThreads);
}

function servedModel(
  dir: string,
  encoder: Encoder,
  classifier: Classifier | null,
  numThreads: number,
): ServedModel {
  const tokenizer = encoder.tokenizer;
  return {
    dir,
    labels: classifier?.labels ?? null,
    maxSeqLength: encoder.maxSeqLength,
    hiddenSize: encoder.dimension,
    numThreads,
    engine: encoder.engine,
    predict: (pairs: readonly TextPair[]): Promise<Prediction[]> => {
      if (classifier === null) throw new Error('internal: predict on a bare encoder');
      return classifier.predict(pairs);
    },
    embed: (texts: readonly string[], pooling: Pooling) => encoder.embed(texts, { pooling }),
    tokenize: (textA: string, textB?: string) => tokenizer.encode(textA, textB),
    dispose: async () => {
      await classifier?.dispose();
      await encoder.dispose();
    },
  };
}
