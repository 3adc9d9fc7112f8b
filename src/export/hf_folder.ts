// Writes a Hugging Face model folder from a BERT model given explicitly (config, vocabulary,
// Google-named weights, labels, casing, max_seq_length):
//
//   config.json  model.safetensors  vocab.txt  tokenizer.json  tokenizer_config.json
//   special_tokens_map.json  onnx/model.onnx      (what transformers, transformers.js, ORT load)
//   bert_config.json  bert_ts.json                (so bert-ts loads the exported folder too)
//
// Everything is written into a temporary directory beside `outputDir` and renamed into place at
// the end, so a failure leaves no folder, and an existing non-empty folder is never touched.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { CheckpointSource } from '../formats/checkpoint/source.js';
import { hfTensors } from '../formats/checkpoint/convert.js';
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
import { bertOnnxModel, type WeightReader } from './onnx_bert.js';

/** A BERT model as bert-ts holds it: what an export needs, nothing read from a folder layout. */
export interface ExportSource {
  readonly config: BertConfig;
  readonly vocabFile: string;
  /** The weights under Google's names (a TF checkpoint or a safetensors file, openCheckpoint). */
  readonly weights: CheckpointSource;
  /** The classifier's label strings, or null for a bare encoder (no head). */
  readonly labels: readonly string[] | null;
  readonly isRegression: boolean;
  readonly doLowerCase: boolean;
  readonly maxSeqLength: number;
  /** bert_ts.json's task_name (e.g. "mrpc"), or null. */
  readonly taskName: string | null;
}

/** WordpieceTokenizer's limit in Google's tokenization.py HEAD (REFERENCE.md §1). */
const MAX_INPUT_CHARS_PER_WORD = 200;

function head(s: ExportSource): ExportHead {
  if (s.labels === null) return { kind: 'encoder' };
  return { kind: 'classifier', labels: s.labels, regression: s.isRegression };
}

function numOutputs(s: ExportSource): number {
  return s.isRegression ? 1 : (s.labels?.length ?? 0);
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
  if (s.labels !== null && !s.isRegression && s.labels.length < 2)
    throw new UsageError(`a classifier needs at least two labels, got [${s.labels.join(', ')}]`);
  if (s.maxSeqLength < 3 || s.maxSeqLength > s.config.max_position_embeddings)
    throw new UsageError(
      `max_seq_length ${s.maxSeqLength}: must be in [3, max_position_embeddings ${s.config.max_position_embeddings}]`,
    );
}

function bertTsJson(s: ExportSource): string {
  const json = {
    format: 'bert-ts-model',
    version: 1,
    task_name: s.taskName,
    labels: s.labels,
    is_regression: s.isRegression,
    do_lower_case: s.doLowerCase,
    max_seq_length: s.maxSeqLength,
  };
  return JSON.stringify(json, null, 2) + '\n';
}

/** Writes every file of the folder into `dir` (which exists and is empty). */
function writeFiles(s: ExportSource, dir: string, log: Logger): void {
  const vocab = Vocab.fromFile(s.vocabFile);
  const padId = specialTokens(vocab).find((t) => t.key === 'pad_token')!.id;
  const tok = {
    doLowerCase: s.doLowerCase,
    maxSeqLength: s.maxSeqLength,
    maxInputCharsPerWord: MAX_INPUT_CHARS_PER_WORD,
  };
  writeFileSync(join(dir, 'config.json'), hfConfigJson(s.config, head(s), padId));
  copyFileSync(s.vocabFile, join(dir, 'vocab.txt'));
  writeFileSync(join(dir, 'tokenizer.json'), tokenizerJson(vocab, tok));
  writeFileSync(join(dir, 'tokenizer_config.json'), tokenizerConfigJson(vocab, tok));
  writeFileSync(join(dir, 'special_tokens_map.json'), specialTokensMapJson(vocab));
  const onnxHead =
    s.labels === null
      ? { kind: 'encoder' as const }
      : { kind: 'classifier' as const, numLabels: numOutputs(s) };
  const onnx = bertOnnxModel(s.config, onnxHead, weightReader(s.weights));
  mkdirSync(join(dir, 'onnx'));
  writeFileSync(join(dir, 'onnx', 'model.onnx'), onnx);
  log.info(`wrote onnx/model.onnx (${(onnx.length / 2 ** 20).toFixed(1)} MiB, opset 17)`);
  writeSafetensors(join(dir, 'model.safetensors'), hfTensors(s.weights, log), { format: 'pt' });
  writeFileSync(join(dir, 'bert_config.json'), s.config.toJsonString());
  writeFileSync(join(dir, 'bert_ts.json'), bertTsJson(s));
}

/** An empty or missing `outputDir` is fine; anything else is refused before any work. */
function checkOutputDir(outputDir: string): void {
  if (existsSync(outputDir) && readdirSync(outputDir).length > 0)
    throw new UsageError(
      `${outputDir}: exists and is not empty`,
      'remove it or choose another --output_dir',
    );
}

/** Writes the Hugging Face folder of `s` to `outputDir`, all or nothing. */
export function writeHfFolder(s: ExportSource, outputDir: string, log: Logger): void {
  checkSource(s);
  const target = resolve(outputDir);
  checkOutputDir(target);
  mkdirSync(dirname(target), { recursive: true });
  const tmp = join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${Date.now()}`);
  mkdirSync(tmp);
  try {
    writeFiles(s, tmp, log);
    if (existsSync(target)) rmdirSync(target); // empty (checked above)
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  log.info(
    `exported ${s.labels === null ? 'BertModel' : 'BertForSequenceClassification'} to ${target}`,
  );
}
