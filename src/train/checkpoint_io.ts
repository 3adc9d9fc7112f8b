// Training checkpoints as the Estimator keeps them in output_dir: `model.ckpt-<step>` TF
// checkpoints holding every variable, its Adam slots `<name>/adam_m`, `<name>/adam_v` and
// `global_step` (int64); the `checkpoint` state file naming the latest; only the last 5 kept
// (RunConfig's keep_checkpoint_max). Plus the two ways weights come in: resuming from such a
// checkpoint (everything restored) and --init_checkpoint (modeling.
// get_assignment_map_from_checkpoint: every checkpoint variable whose name the model has is
// loaded, the rest keep their initialisers, checkpoint-only variables are ignored).
import { existsSync, readdirSync, rmSync } from '../host/fs.js';
import { basename, dirname, join } from 'pathe';
import type { FloatArray } from '../engine/kernels.js';
import { type CheckpointSource, openCheckpoint } from '../formats/checkpoint/source.js';
import {
  STATE_FILE,
  readCheckpointState,
  resolveCheckpointPrefix,
  updateCheckpointStateFile,
} from '../formats/checkpoint/paths.js';
import type { Tensor } from '../formats/checkpoint/tensor.js';
import { writeTFCheckpoint } from '../formats/checkpoint/bundle_writer.js';
import { FormatError, ShapeError } from '../util/errors.js';
import type { Logger } from '../util/log.js';

/** A model variable or slot: its TF name, shape and a view of its values. */
export interface NamedView<A extends FloatArray = FloatArray> {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: A;
}

/** RunConfig.keep_checkpoint_max. */
export const KEEP_CHECKPOINT_MAX = 5;

export function checkpointPrefix(outputDir: string, step: number): string {
  return join(outputDir, `model.ckpt-${step}`);
}

function float32Tensor(v: NamedView): Tensor {
  // A copy: the views may live in a shared WebAssembly memory the kernels keep writing to.
  return { name: v.name, dtype: 'float32', shape: [...v.shape], data: new Float32Array(v.data) };
}

/** Removes PREFIX.index, PREFIX.data-* and PREFIX.meta of a checkpoint that fell out of the window. */
function deleteCheckpointFiles(prefix: string): void {
  const dir = dirname(prefix);
  const base = basename(prefix);
  for (const f of readdirSync(dir)) {
    if (f === `${base}.index` || f === `${base}.meta` || f.startsWith(`${base}.data-`))
      rmSync(join(dir, f), { force: true });
  }
}

/** The prefixes the state file lists, oldest first (none when there is no state file). */
function listedCheckpoints(outputDir: string): string[] {
  const state = join(outputDir, STATE_FILE);
  if (!existsSync(state)) return [];
  return readCheckpointState(state).allModelCheckpointPaths.map((p) =>
    p.startsWith('/') ? p : join(outputDir, p),
  );
}

/** Writes `params` alone (no slots, no global_step) as the TF checkpoint `prefix`: a released model's layout. */
export function saveWeightsCheckpoint(prefix: string, params: Iterable<NamedView>): void {
  writeTFCheckpoint(prefix, [...params].map(float32Tensor));
}

export interface SaveOptions {
  readonly outputDir: string;
  readonly step: number;
  readonly params: Iterable<NamedView>;
  readonly slots: Iterable<NamedView>;
  readonly logger: Logger;
  readonly keep?: number;
}

/** Saves model.ckpt-<step>, updates `checkpoint`, deletes checkpoints beyond the last `keep`. */
export function saveTrainingCheckpoint(o: SaveOptions): string {
  const prefix = checkpointPrefix(o.outputDir, o.step);
  o.logger.info(`Saving checkpoints for ${o.step} into ${prefix}.`);
  const tensors: Tensor[] = [];
  for (const p of o.params) tensors.push(float32Tensor(p));
  for (const s of o.slots) tensors.push(float32Tensor(s));
  tensors.push({
    name: 'global_step',
    dtype: 'int64',
    shape: [],
    data: BigInt64Array.of(BigInt(o.step)),
  });
  writeTFCheckpoint(prefix, tensors);
  const all = [...listedCheckpoints(o.outputDir).filter((p) => p !== prefix), prefix];
  const keep = o.keep ?? KEEP_CHECKPOINT_MAX;
  const kept = all.slice(Math.max(0, all.length - keep));
  updateCheckpointStateFile(o.outputDir, prefix, kept);
  for (const old of all.slice(0, all.length - kept.length)) deleteCheckpointFiles(old);
  return prefix;
}

/** The latest checkpoint prefix in output_dir, or null when it has none (a fresh run). */
export function latestCheckpoint(outputDir: string): string | null {
  if (!existsSync(join(outputDir, STATE_FILE))) return null;
  return resolveCheckpointPrefix(outputDir);
}

/** The dtypes a model variable can be loaded from (converted to the model's float32). */
const FLOAT_DTYPES = new Set(['float32', 'float64', 'float16', 'bfloat16']);

/** " built from CONFIG" when the config file is known, for messages about a misfit. */
function builtFrom(configFile: string | undefined): string {
  return configFile === undefined ? '' : ` built from ${configFile}`;
}

/**
 * The one place a checkpoint tensor meets a model variable (every script and the library load
 * through here): its dtype must be a float, its shape the variable's — TF's restore refuses both,
 * and an equal element count is not enough (a transposed table has the same bytes).
 */
function readInto(src: CheckpointSource, v: NamedView, configFile: string | undefined): void {
  const info = src.info(v.name);
  if (!FLOAT_DTYPES.has(info.dtype))
    throw new FormatError(
      `${src.path}: tensor ${v.name}: dtype ${info.dtype}, a model variable is float32`,
    );
  if (info.shape.join(',') !== v.shape.join(','))
    throw new ShapeError(
      `${src.path}: tensor ${v.name}: shape [${info.shape}] in the checkpoint, the model${builtFrom(configFile)} has [${v.shape}]`,
      configFile === undefined
        ? undefined
        : `is ${configFile} the config the checkpoint was trained with?`,
    );
  v.data.set(src.readFloat32(v.name));
}

/**
 * Checkpoint variables of the encoder (bert/...) that the model lacks mean the config does not
 * fit: a checkpoint of 12 layers read into a 2-layer model would load its first two silently.
 * Heads (cls/..., output_*) and Adam slots are ignored, as the assignment map does.
 */
function checkEncoderNamesFit(
  src: CheckpointSource,
  model: ReadonlySet<string>,
  configFile: string | undefined,
): void {
  const extra = src
    .names()
    .filter((n) => n.startsWith('bert/') && !/\/adam_[mv]$/.test(n) && !model.has(n));
  if (extra.length > 0)
    throw new ShapeError(
      `${src.path}: ${extra.length} encoder tensor(s) the model${builtFrom(configFile)} lacks, such as ${extra[0]}`,
      configFile === undefined
        ? 'the checkpoint has more layers or parts than the model'
        : `is ${configFile} the config the checkpoint was trained with?`,
    );
}

/**
 * Restores a training checkpoint completely — every variable and slot must be there — and
 * returns its global_step.
 */
export function restoreTrainingCheckpoint(
  prefix: string,
  params: Iterable<NamedView>,
  slots: Iterable<NamedView>,
  configFile?: string,
): number {
  const src = openCheckpoint(prefix);
  try {
    const views = [...params, ...slots];
    checkEncoderNamesFit(src, new Set(views.map((v) => v.name)), configFile);
    for (const v of views) {
      if (!src.has(v.name))
        throw new FormatError(
          `${prefix}: tensor ${v.name} is missing: not a checkpoint of this model and task`,
          'use a new --output_dir, or pass the checkpoint as --init_checkpoint to load only the weights',
        );
      readInto(src, v, configFile);
    }
    if (!src.has('global_step')) throw new FormatError(`${prefix}: tensor global_step is missing`);
    const t = src.readTensor('global_step');
    if (t.dtype !== 'int64' && t.dtype !== 'int32')
      throw new FormatError(`${prefix}: tensor global_step: dtype ${t.dtype}, expected int64`);
    return Number(t.data[0]);
  } finally {
    src.close();
  }
}

/** TF's TensorShape str: (30522, 128), (128,), (). */
function shapeStr(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/**
 * --init_checkpoint by the assignment map: loads every model variable the checkpoint has (TF
 * prefix or .safetensors), logs each trainable variable like run_classifier.py, and returns
 * the names that were loaded. `configFile` (the model's bert_config.json) is named in the
 * errors when the checkpoint does not fit the model.
 */
export function initFromCheckpoint(
  path: string,
  params: Iterable<NamedView>,
  logger: Logger,
  configFile?: string,
): Set<string> {
  const src = openCheckpoint(path);
  const loaded = new Set<string>();
  try {
    const all = [...params];
    checkEncoderNamesFit(src, new Set(all.map((v) => v.name)), configFile);
    for (const v of all) {
      if (!src.has(v.name)) continue;
      readInto(src, v, configFile);
      loaded.add(v.name);
    }
    // The original would train from scratch without a word; a checkpoint sharing no name with
    // the model is a wrong file, so bert-ts says so instead.
    if (loaded.size === 0 && all.length > 0)
      throw new FormatError(
        `${src.path}: none of its ${src.names().length} tensors is a variable of this model (such as ${all[0]!.name})`,
        'is this a BERT checkpoint? Google names (bert/...) and Hugging Face safetensors are read',
      );
    logger.info('**** Trainable Variables ****');
    for (const v of all) {
      const init = loaded.has(v.name) ? ', *INIT_FROM_CKPT*' : '';
      logger.info(`  name = ${v.name}:0, shape = ${shapeStr(v.shape)}${init}`);
    }
  } finally {
    src.close();
  }
  return loaded;
}
