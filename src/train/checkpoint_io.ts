// Training checkpoints as the Estimator keeps them in output_dir: `model.ckpt-<step>` TF
// checkpoints holding every variable, its Adam slots `<name>/adam_m`, `<name>/adam_v` and
// `global_step` (int64); the `checkpoint` state file naming the latest; only the last 5 kept
// (RunConfig's keep_checkpoint_max). Plus the two ways weights come in: resuming from such a
// checkpoint (everything restored) and --init_checkpoint (modeling.
// get_assignment_map_from_checkpoint: every checkpoint variable whose name the model has is
// loaded, the rest keep their initialisers, checkpoint-only variables are ignored).
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { FloatArray } from '../engine/kernels.js';
import { openCheckpoint } from '../formats/checkpoint/source.js';
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

function readInto(path: string, src: ReturnType<typeof openCheckpoint>, v: NamedView): void {
  const info = src.info(v.name);
  if (info.shape.join(',') !== v.shape.join(','))
    throw new ShapeError(
      `${path}: tensor ${v.name}: shape [${info.shape}] in the checkpoint, the model has [${v.shape}]`,
    );
  v.data.set(src.readFloat32(v.name));
}

/**
 * Restores a training checkpoint completely — every variable and slot must be there — and
 * returns its global_step.
 */
export function restoreTrainingCheckpoint(
  prefix: string,
  params: Iterable<NamedView>,
  slots: Iterable<NamedView>,
): number {
  const src = openCheckpoint(prefix);
  try {
    for (const v of [...params, ...slots]) {
      if (!src.has(v.name))
        throw new FormatError(
          `${prefix}: tensor ${v.name} is missing: not a checkpoint of this model and task`,
          'use a new --output_dir, or pass the checkpoint as --init_checkpoint to load only the weights',
        );
      readInto(prefix, src, v);
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
 * the names that were loaded.
 */
export function initFromCheckpoint(
  path: string,
  params: Iterable<NamedView>,
  logger: Logger,
): Set<string> {
  const src = openCheckpoint(path);
  const loaded = new Set<string>();
  try {
    const all = [...params];
    for (const v of all) {
      if (!src.has(v.name)) continue;
      readInto(src.path, src, v);
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
