// Which role each file the user dropped or picked plays, judged by its name: a TSV of the task
// (dev*.tsv: the dev split, any other .tsv: the train split), a checkpoint (.safetensors, or a
// TF checkpoint's .index + .data-* pair), bert_config.json, vocab.txt. The page says what it
// took each file for before training, so a misnamed file is visible, not silently ignored.
import type { UserFile } from './protocol.js';

export interface SortedFiles {
  readonly train: UserFile | null;
  readonly dev: UserFile | null;
  /** The checkpoint's files: one .safetensors, or a TF .index and its .data-* shards. */
  readonly checkpoint: UserFile[];
  readonly config: UserFile | null;
  readonly vocab: UserFile | null;
  /** Files of no known role, with why. */
  readonly ignored: string[];
}

export type Role = 'train' | 'dev' | 'checkpoint' | 'config' | 'vocab' | null;

/** The role of a file named `name`. */
export function roleOf(name: string): Role {
  const n = name.toLowerCase();
  if (n.endsWith('.tsv')) return n.startsWith('dev') ? 'dev' : 'train';
  if (n.endsWith('.safetensors') || n.endsWith('.index') || /\.data-\d+-of-\d+$/.test(n))
    return 'checkpoint';
  if (n === 'bert_config.json') return 'config';
  if (n === 'vocab.txt') return 'vocab';
  return null;
}

/** Sorts files by role; a second file of a single-file role replaces the first. */
export function sortFiles(files: readonly UserFile[]): SortedFiles {
  let train: UserFile | null = null;
  let dev: UserFile | null = null;
  let config: UserFile | null = null;
  let vocab: UserFile | null = null;
  const checkpoint: UserFile[] = [];
  const ignored: string[] = [];
  for (const f of files) {
    const role = roleOf(f.name);
    if (role === 'train') train = f;
    else if (role === 'dev') dev = f;
    else if (role === 'config') config = f;
    else if (role === 'vocab') vocab = f;
    else if (role === 'checkpoint') checkpoint.push(f);
    else ignored.push(f.name);
  }
  return { train, dev, checkpoint, config, vocab, ignored };
}
