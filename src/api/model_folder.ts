// Reading a model folder by path: a run_classifier output_dir, a folder written by
// Classifier.save, or a Google BERT download (no bert_ts.json: taken as a bare encoder, its
// casing judged by the folder's name as validate_case_matches_checkpoint judges it). Everything
// that loads a model by path (the API, export_model, serve) reads it through readModelFolder;
// the files themselves are formats/model_folder.ts, re-exported here.
import { existsSync, statSync } from '../host/fs.js';
import { basename, dirname, join, resolve } from 'pathe';
import { SAFETENSORS_FILE } from '../formats/checkpoint/source.js';
import { STATE_FILE, indexFile } from '../formats/checkpoint/paths.js';
import {
  CONFIG_FILE,
  META_FILE,
  RELEASED_PREFIX,
  VOCAB_FILE,
  findWeights,
  modelMeta,
  parseModelMeta,
  type ModelMeta,
} from '../formats/model_folder.js';
import { BertConfig } from '../model/config.js';
import { CASED_MODELS } from '../tokenization/validate_case.js';
import { ConfigError, UsageError } from '../util/errors.js';
import { readInputText } from '../util/fs.js';

export * from '../formats/model_folder.js';

/** A resolved model folder: where each file is, the config, and the meta data. */
export interface ModelFolder {
  readonly dir: string;
  readonly configFile: string;
  readonly vocabFile: string;
  /** The weights: a TF checkpoint prefix or a .safetensors file. */
  readonly weights: string;
  readonly config: BertConfig;
  readonly meta: ModelMeta;
  /** false when the folder has no bert_ts.json (a Google download) and `meta` was inferred. */
  readonly hasMeta: boolean;
}

/** Casing of a folder without bert_ts.json: lower case unless named as Google's cased models. */
export function inferredDoLowerCase(dir: string): boolean {
  return !CASED_MODELS.has(basename(resolve(dir)));
}

/** What a folder without bert_ts.json (a Google download) is taken to be: a bare encoder. */
function inferredMeta(dir: string, config: BertConfig): ModelMeta {
  return modelMeta({
    task_name: null,
    labels: null,
    is_regression: false,
    do_lower_case: inferredDoLowerCase(dir),
    max_seq_length: config.max_position_embeddings,
  });
}

/**
 * A path naming weights directly — a checkpoint prefix (`…/model.ckpt-343`, `…/bert_model.ckpt`)
 * or a .safetensors file — as the folder holding them and those weights; else null.
 */
function weightsPath(path: string): { dir: string; weights: string } | null {
  const prefix = path.replace(/\.(index|data-\d{5}-of-\d{5})$/, '');
  if (existsSync(indexFile(prefix))) return { dir: dirname(prefix), weights: prefix };
  if (path.endsWith('.safetensors') && existsSync(path) && statSync(path).isFile())
    return { dir: dirname(path), weights: path };
  return null;
}

/**
 * Reads the model folder at `path` (or the folder of the checkpoint prefix / .safetensors file
 * `path` names, with those weights); a folder that is not a model is a UsageError naming what it
 * lacks.
 */
export function readModelFolder(path: string): ModelFolder {
  const named = weightsPath(path);
  const dir = named?.dir ?? path;
  if (!existsSync(dir)) throw new UsageError(`${dir}: no such model folder`);
  if (!statSync(dir).isDirectory())
    throw new UsageError(`${dir}: not a model folder (a file)`, 'pass the folder that holds it');
  const configFile = join(dir, CONFIG_FILE);
  const vocabFile = join(dir, VOCAB_FILE);
  const weights = named?.weights ?? findWeights(dir);
  const missing = [
    ...(existsSync(configFile) ? [] : [CONFIG_FILE]),
    ...(existsSync(vocabFile) ? [] : [VOCAB_FILE]),
    ...(weights === null
      ? [`weights (a '${STATE_FILE}' file, ${indexFile(RELEASED_PREFIX)} or ${SAFETENSORS_FILE})`]
      : []),
  ];
  if (missing.length > 0 || weights === null)
    throw new UsageError(
      `${dir}: not a model folder: no ${missing.join(', no ')}`,
      'a model folder is a run_classifier output_dir, a folder written by save(), or a Google BERT download',
    );
  const config = BertConfig.fromJsonFile(configFile);
  const metaFile = join(dir, META_FILE);
  const hasMeta = existsSync(metaFile);
  const meta = hasMeta
    ? parseModelMeta(readInputText(metaFile, 'model file'), metaFile)
    : inferredMeta(dir, config);
  if (meta.max_seq_length > config.max_position_embeddings)
    throw new ConfigError(
      `${metaFile}: max_seq_length ${meta.max_seq_length} is over ${configFile}'s max_position_embeddings ${config.max_position_embeddings}`,
    );
  return { dir, configFile, vocabFile, weights, config, meta, hasMeta };
}
