// The files of a bert-ts model folder: Google's (bert_config.json, vocab.txt, a TF checkpoint or
// model.safetensors) plus bert_ts.json, the little a loader needs beside them — the task's label
// list (null for a bare encoder), casing and max_seq_length. Writers (run_classifier's
// output_dir, Classifier.save) and the finding of the weights live here; reading a whole folder
// by path is api/model_folder.ts (which re-exports this module).
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from '../host/fs.js';
import { dirname, join, resolve } from 'pathe';
import { SAFETENSORS_FILE } from './checkpoint/source.js';
import {
  RELEASED_PREFIX,
  STATE_FILE,
  indexFile,
  resolveCheckpointPrefix,
} from './checkpoint/paths.js';

export { RELEASED_PREFIX };
import { FormatError, UsageError } from '../util/errors.js';
import { tempName, writeFileAtomicSync } from '../util/fs.js';
import { parseJsonObject } from '../util/json_file.js';

export const META_FILE = 'bert_ts.json';
export const CONFIG_FILE = 'bert_config.json';
export const VOCAB_FILE = 'vocab.txt';
const FORMAT = 'bert-ts-model';
const VERSION = 1;

/** bert_ts.json. Field names snake_case, as Google's files are. */
export interface ModelMeta {
  readonly format: typeof FORMAT;
  readonly version: typeof VERSION;
  /** run_classifier's --task_name, lower case, or null. */
  readonly task_name: string | null;
  /** The classifier's labels in output order; null for a bare encoder (no head); [] for regression. */
  readonly labels: readonly string[] | null;
  readonly is_regression: boolean;
  readonly do_lower_case: boolean;
  readonly max_seq_length: number;
}

/** The fields of bert_ts.json a writer chooses (format and version are filled in). */
export type ModelMetaFields = Omit<ModelMeta, 'format' | 'version'>;

export function modelMeta(fields: ModelMetaFields): ModelMeta {
  return { format: FORMAT, version: VERSION, ...fields };
}

/**
 * The weights of `dir`: the latest checkpoint its `checkpoint` state file names (a training
 * output_dir), else the bert_model.ckpt prefix (a Google download or a saved folder), else
 * model.safetensors; null when it has none.
 */
export function findWeights(dir: string): string | null {
  if (existsSync(join(dir, STATE_FILE))) return resolveCheckpointPrefix(dir);
  const released = join(dir, RELEASED_PREFIX);
  if (existsSync(indexFile(released))) return released;
  const safetensors = join(dir, SAFETENSORS_FILE);
  return existsSync(safetensors) ? safetensors : null;
}

function field<T>(
  path: string,
  obj: Record<string, unknown>,
  key: string,
  ok: (v: unknown) => v is T,
  want: string,
): T {
  const v = obj[key];
  if (!ok(v)) throw new FormatError(`${path}: "${key}" is ${JSON.stringify(v)}, expected ${want}`);
  return v;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isStringOrNull = (v: unknown): v is string | null => v === null || isString(v);
const isLabels = (v: unknown): v is string[] | null =>
  v === null || (Array.isArray(v) && v.every(isString) && new Set(v).size === v.length);
const isLength = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 3;

/** Parses and checks bert_ts.json (`path` names the file in errors). */
export function parseModelMeta(text: string, path: string): ModelMeta {
  const o = parseJsonObject(text, path);
  if (o.format !== FORMAT)
    throw new FormatError(`${path}: "format" is ${JSON.stringify(o.format)}, expected "${FORMAT}"`);
  if (o.version !== VERSION)
    throw new FormatError(
      `${path}: "version" is ${JSON.stringify(o.version)}, this bert-ts reads version ${VERSION}`,
      'a newer bert-ts wrote it: upgrade bert-ts',
    );
  return modelMeta({
    task_name: field(path, o, 'task_name', isStringOrNull, 'a string or null'),
    labels: field(path, o, 'labels', isLabels, 'null or a list of distinct strings'),
    is_regression: field(path, o, 'is_regression', isBool, 'true or false'),
    do_lower_case: field(path, o, 'do_lower_case', isBool, 'true or false'),
    max_seq_length: field(path, o, 'max_seq_length', isLength, 'an integer ≥ 3'),
  });
}

/** bert_ts.json's text: two-space indented JSON, keys in the contract's order. */
export function modelMetaJson(meta: ModelMeta): string {
  const { format, version, task_name, labels, is_regression, do_lower_case, max_seq_length } = meta;
  const ordered = {
    format,
    version,
    task_name,
    labels,
    is_regression,
    do_lower_case,
    max_seq_length,
  };
  return JSON.stringify(ordered, null, 2) + '\n';
}

const samePath = (a: string, b: string): boolean => resolve(a) === resolve(b);

/** The files a model folder needs beside its weights. */
export interface ModelFiles {
  /** bert_config.json to copy (as written: its bytes are kept). */
  readonly configFile: string;
  /** vocab.txt to copy. */
  readonly vocabFile: string;
  readonly meta: ModelMeta;
}

/**
 * Writes bert_config.json, vocab.txt and bert_ts.json into `dir` (each atomically; a source
 * that already is the target is left alone), so the folder loads by path once it has weights.
 */
export function writeModelFiles(dir: string, f: ModelFiles): void {
  mkdirSync(dir, { recursive: true });
  for (const [src, name] of [
    [f.configFile, CONFIG_FILE],
    [f.vocabFile, VOCAB_FILE],
  ] as const) {
    const target = join(dir, name);
    if (!samePath(src, target)) writeFileAtomicSync(target, readFileSync(src));
  }
  writeFileAtomicSync(join(dir, META_FILE), modelMetaJson(f.meta));
}

/**
 * Creates the model folder `dir` whole or not at all: `fill` writes into a temporary folder
 * beside it, which is renamed to `dir` when `fill` returns. `dir` must not exist or be empty
 * (a folder with other weights in it would load those instead).
 */
export async function createFolderAtomically(
  dir: string,
  fill: (tmp: string) => void | Promise<void>,
): Promise<void> {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new UsageError(`${dir}: exists and is not a folder`);
    if (readdirSync(dir).length > 0)
      throw new UsageError(`${dir}: exists and is not empty`, 'save into a new or empty folder');
  }
  mkdirSync(dirname(resolve(dir)), { recursive: true });
  const tmp = tempName(resolve(dir));
  mkdirSync(tmp);
  try {
    await fill(tmp);
    if (existsSync(dir)) rmSync(dir, { recursive: true }); // the empty folder checked above
    renameSync(tmp, dir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
