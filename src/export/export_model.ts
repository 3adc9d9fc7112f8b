// export_model: a bert-ts model folder (a run_classifier output_dir, a saved folder, a Google
// download) -> a Hugging Face model folder (hf_folder.ts). What `bert export_model` and the
// library's exportModel() run.
import { readModelFolder } from '../api/model_folder.js';
import { openCheckpoint } from '../formats/checkpoint/source.js';
import { ConfigError } from '../util/errors.js';
import { silentLogger, type Logger } from '../util/log.js';
import { writeHfFolder } from './hf_folder.js';

export interface ExportModelOptions {
  /** A model folder: run_classifier's output_dir, a saved folder, or a Google BERT download. */
  readonly modelDir: string;
  /** The Hugging Face folder to write; must not exist or be empty. */
  readonly outputDir: string;
  readonly logger?: Logger;
}

const HEAD = ['output_weights', 'output_bias'];

/**
 * Writes the Hugging Face folder (config.json, model.safetensors, tokenizer files,
 * onnx/model.onnx) of the model at `modelDir` to `outputDir`, all or nothing. A classifier
 * (bert_ts.json with labels) exports as BertForSequenceClassification, a bare encoder as
 * BertModel.
 */
export async function exportModel(o: ExportModelOptions): Promise<void> {
  const log = o.logger ?? silentLogger;
  const folder = readModelFolder(o.modelDir);
  if (!folder.hasMeta)
    log.info(`${folder.dir}: no bert_ts.json, exporting the encoder alone (BertModel)`);
  const weights = openCheckpoint(folder.weights);
  try {
    const missing = HEAD.filter((name) => !weights.has(name));
    if (folder.meta.labels !== null && missing.length > 0)
      throw new ConfigError(
        `${weights.path}: a classifier (labels in bert_ts.json) without its head: no ${missing.join(', ')}`,
        'fine-tune it first (run_classifier --do_train), or export a folder without labels',
      );
    log.info(`exporting ${weights.path}`);
    const { configFile, vocabFile, config, meta } = folder;
    await writeHfFolder({ configFile, vocabFile, config, meta, weights }, o.outputDir, log);
  } finally {
    weights.close();
  }
}
