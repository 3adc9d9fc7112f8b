// Checkpoint paths as TF takes them, and TF's `checkpoint` state file
// (tensorflow/python/training/checkpoint_management.py): a path is a prefix (`.../bert_model.ckpt`,
// `model.ckpt-343`) whose files are PREFIX.index and PREFIX.data-00000-of-00001, or a directory
// whose `checkpoint` file names the latest prefix (relative paths are relative to the directory).
import { existsSync, readdirSync, statSync } from '../../host/fs.js';
import { basename, dirname, isAbsolute, join, resolve } from 'pathe';
import { FormatError, UsageError } from '../../util/errors.js';
import { readInputText, writeFileAtomicSync } from '../../util/fs.js';

export const STATE_FILE = 'checkpoint';

export function indexFile(prefix: string): string {
  return `${prefix}.index`;
}

/** PREFIX.data-00000-of-00001 for shard 0 of 1. */
export function dataFile(prefix: string, shard: number, numShards: number): string {
  const pad = (n: number): string => String(n).padStart(5, '0');
  return `${prefix}.data-${pad(shard)}-of-${pad(numShards)}`;
}

export interface CheckpointState {
  modelCheckpointPath: string;
  allModelCheckpointPaths: string[];
}

/** Parses the text-format CheckpointState in `path`. */
export function readCheckpointState(path: string): CheckpointState {
  let latest: string | null = null;
  const all: string[] = [];
  readInputText(path, 'checkpoint state file')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      const m =
        /^\s*(model_checkpoint_path|all_model_checkpoint_paths)\s*:\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(
          line,
        );
      if (m === null) {
        // TF also writes timestamps (all_model_checkpoint_timestamps, last_preserved_timestamp).
        if (/^\s*(all_model_checkpoint_timestamps|last_preserved_timestamp)\s*:/.test(line)) return;
        throw new FormatError(`${path}: line ${i + 1}: not a CheckpointState field: '${line}'`);
      }
      const value = unescapeText(m[2]!);
      if (m[1] === 'model_checkpoint_path') latest = value;
      else all.push(value);
    });
  if (latest === null) throw new FormatError(`${path}: no model_checkpoint_path line`);
  return { modelCheckpointPath: latest, allModelCheckpointPaths: all };
}

function unescapeText(s: string): string {
  return s.replace(/\\(["\\'nt])/g, (_m, c: string) => ({ n: '\n', t: '\t' })[c] ?? c);
}

function escapeText(s: string): string {
  return s.replace(/["\\]/g, (c) => '\\' + c).replace(/\n/g, '\\n');
}

/** The prefix of a released model's weights, as Google's downloads name it: DIR/bert_model.ckpt. */
export const RELEASED_PREFIX = 'bert_model.ckpt';

/**
 * The checkpoint of a directory: the latest its `checkpoint` state file names, else its
 * bert_model.ckpt (a Google download: --init_checkpoint=uncased_L-12_H-768_A-12 means its
 * weights); else an error listing the prefixes it holds.
 */
function directoryPrefix(dir: string): string {
  const state = join(dir, STATE_FILE);
  if (!existsSync(state)) {
    const released = join(dir, RELEASED_PREFIX);
    if (existsSync(indexFile(released))) return released;
    const held = readdirSync(dir)
      .filter((f) => f.endsWith('.index'))
      .map((f) => join(dir, f.slice(0, -'.index'.length)));
    throw new UsageError(
      `${dir}: directory without a '${STATE_FILE}' file or a ${RELEASED_PREFIX} checkpoint`,
      `pass a checkpoint prefix, such as ${held.length > 0 ? held.slice(0, 3).join(' or ') : join(dir, 'model.ckpt-100')}`,
    );
  }
  const latest = readCheckpointState(state).modelCheckpointPath;
  const prefix = isAbsolute(latest) ? latest : join(dir, latest);
  if (!existsSync(indexFile(prefix)))
    throw new FormatError(
      `${state}: model_checkpoint_path '${latest}' has no index file ${indexFile(prefix)}`,
    );
  return prefix;
}

/**
 * The checkpoint prefix that `path` names: the path itself when PATH.index exists (a trailing
 * `.index` or `.data-…` is dropped), or the latest checkpoint of a directory.
 */
export function resolveCheckpointPrefix(path: string): string {
  const stripped = path.replace(/\.(index|data-\d{5}-of-\d{5})$/, '');
  if (existsSync(indexFile(stripped))) return stripped;
  if (existsSync(path) && statSync(path).isDirectory()) return directoryPrefix(path);
  throw new UsageError(
    `${path}: not a checkpoint: neither ${indexFile(stripped)} nor a directory with a '${STATE_FILE}' file exists`,
  );
}

/**
 * Writes DIR/checkpoint naming `latestPrefix` and `allPrefixes` (oldest first), as TF's
 * update_checkpoint_state: prefixes inside `dir` are written relative to it.
 */
export function updateCheckpointStateFile(
  dir: string,
  latestPrefix: string,
  allPrefixes: readonly string[],
): void {
  const rel = (p: string): string => (resolve(dirname(p)) === resolve(dir) ? basename(p) : p);
  const all = allPrefixes.includes(latestPrefix) ? allPrefixes : [...allPrefixes, latestPrefix];
  const lines = [`model_checkpoint_path: "${escapeText(rel(latestPrefix))}"`];
  for (const p of all) lines.push(`all_model_checkpoint_paths: "${escapeText(rel(p))}"`);
  writeFileAtomicSync(join(dir, STATE_FILE), lines.join('\n') + '\n');
}
