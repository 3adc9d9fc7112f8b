// Writes a Hugging Face model folder from a BERT model given explicitly (config, vocabulary,
// Google-named weights, labels, casing, max_seq_length):
//
//   config.json  model.safetensors  vocab.txt  tokenizer.json  tokenizer_config.json
//   special_tokens_map.json  onnx/model.onnx      (what transformers, transformers.js, ORT load)
//   bert_config.json  bert_ts.json                (so bert-ts loads the exported folder too)
//
// Everything is written into a temporary directory beside `outputDir` and renamed into place at
// the end, so a failure leaves no folder, and an existing non-empty folder is never touched.
import { mkdirSync, writeFileSync } from '../host/fs.js';
import { join } from 'pathe';
import type { CheckpointSource } from '../formats/checkpoint/source.js';
import { hfTensors } from '../formats/checkpoint/convert.js';
import {
  createFolderAtomically,
  writeModelFiles,
  type ModelFiles,
} from '../formats/model_folder.js';
import { writeSafetensors } from '../formats/safetensors.js';
import type { BertConfig } from '../model/config.js';
import { Vocab } from '../tokenization/vocab.js';
import { ShapeError, UsageError } from '../util/errors.js';
import type { Logger } from '../util/log.js';
import { hfConfigJson, type ExportHead } from './hf_config.js';
import {
  specialTokens,
  specialTokensMapJson,
  tokenizerConfigJson,
  tokenizerJson,
} from './hf_tokenizer.js';
import { bertOnnxModel, type OnnxHead, type WeightReader } from './onnx_bert.js';

/**
 * A BERT model as bert-ts holds it — a model folder's files (bert_config.json, vocab.txt, the
 * bert_ts.json fields) and its weights under Google's names — whatever folder it came from.
 */
export interface ExportSource extends ModelFiles {
  readonly config: BertConfig;
  /** A TF checkpoint or a safetensors file, as openCheckpoint presents it. */
  readonly weights: CheckpointSource;
}

/** WordpieceTokenizer's limit in Google's tokenization.py HEAD (REFERENCE.md §1). */
const MAX_INPUT_CHARS_PER_WORD = 200;

function head(s: ExportSource): ExportHead {
  const { labels, is_regression: regression } = s.meta;
  return labels === null ? { kind: 'encoder' } : { kind: 'classifier', labels, regression };
}

function onnxHead(s: ExportSource): OnnxHead {
  const { labels, is_regression: regression } = s.meta;
  if (labels === null) return { kind: 'encoder' };
  return { kind: 'classifier', numLabels: regression ? 1 : labels.length };
}

/** Reads a Google-named tensor as float32 after checking its shape. */
function weightReader(src: CheckpointSource): WeightReader {
  return (name, shape) => {
    if (!src.has(name))
      throw new ShapeError(`${src.path}: no tensor '${name}', which the model needs`);
    const got = src.info(name).shape;
    if (got.length !== shape.length || got.some((d, i) => d !== shape[i]))
      throw new ShapeError(`${src.path}: tensor '${name}' has shape [${got}], expected [${shape}]`);
    return src.readFloat32(name);
  };
}

function checkSource(s: ExportSource): void {
  const { labels, is_regression: regression, max_seq_length: T } = s.meta;
  if (labels !== null && !regression && labels.length < 2)
    throw new UsageError(`a classifier needs at least two labels, got [${labels.join(', ')}]`);
  if (T > s.config.max_position_embeddings)
    throw new UsageError(
      `max_seq_length ${T} is over max_position_embeddings ${s.config.max_position_embeddings}`,
    );
}

/** Writes every file of the folder into `dir` (which exists and is empty). */
function writeFiles(s: ExportSource, dir: string, log: Logger): void {
  const vocab = Vocab.fromFile(s.vocabFile);
  const padId = specialTokens(vocab).find((t) => t.key === 'pad_token')!.id;
  const tok = {
    doLowerCase: s.meta.do_lower_case,
    maxSeqLength: s.meta.max_seq_length,
    maxInputCharsPerWord: MAX_INPUT_CHARS_PER_WORD,
  };
  writeFileSync(join(dir, 'config.json'), hfConfigJson(s.config, head(s), padId));
  writeFileSync(join(dir, 'tokenizer.json'), tokenizerJson(vocab, tok));
  writeFileSync(join(dir, 'tokenizer_config.json'), tokenizerConfigJson(vocab, tok));
  writeFileSync(join(dir, 'special_tokens_map.json'), specialTokensMapJson(vocab));
  const onnx = bertOnnxModel(s.config, onnxHead(s), weightReader(s.weights));
  mkdirSync(join(dir, 'onnx'));
  writeFileSync(join(dir, 'onnx', 'model.onnx'), onnx);
  log.info(`wrote onnx/model.onnx (${(onnx.length / 2 ** 20).toFixed(1)} MiB, opset 17)`);
  writeSafetensors(join(dir, 'model.safetensors'), hfTensors(s.weights, log), { format: 'pt' });
  writeModelFiles(dir, s); // bert_config.json, vocab.txt, bert_ts.json: bert-ts loads it too
}

/**
 * Writes the Hugging Face folder of `s` to `outputDir` (new or empty), all or nothing: into a
 * temporary folder beside it, renamed into place at the end.
 */
export async function writeHfFolder(
  s: ExportSource,
  outputDir: string,
  log: Logger,
): Promise<void> {
  checkSource(s);
  await createFolderAtomically(outputDir, (tmp) => writeFiles(s, tmp, log));
  const kind = s.meta.labels === null ? 'BertModel' : 'BertForSequenceClassification';
  log.info(`exported ${kind} to ${outputDir}`);
}
