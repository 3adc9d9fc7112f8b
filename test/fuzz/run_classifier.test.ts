// Fuzzing run_classifier itself (in-process CLI, the shipped model, 64-token sequences, one
// thread) on seeded mutations of the real GLUE TSVs of each task layout, the vocab and the
// weights: every input is read before output_dir is created, so a refusal — also of dev.tsv
// after a --do_train that would have run for hours — leaves no output_dir at all (or an existing
// one exactly as it was); an intact or benignly damaged task folder trains and evaluates clean.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED } from '../shared.js';
import {
  blindMutations,
  CASE_TIMEOUT,
  copyInto,
  expectClean,
  expectCleanOrRefused,
  expectRefused,
  filesIn,
  fileWith,
  head,
  mapLines,
  MODEL_CKPT,
  MODEL_CONFIG,
  type ModelFiles,
  modelFlags,
  mutate,
  type Outcome,
  runBert,
  seeds,
  tempDir,
  VOCAB,
} from './harness.js';

const LINES = 24;
const trainOnly = ['--do_train=true'];

interface Inputs extends ModelFiles {
  /** Replaces a file of the task folder (train.tsv, dev.tsv, test.tsv); null: a directory. */
  readonly tsv?: { readonly file: string; readonly bytes: Uint8Array | null };
  /** The phases: train + eval unless given. */
  readonly flags?: string[];
  /** Files already in output_dir (a resumed or reused directory). */
  readonly existing?: Record<string, string>;
}

interface Run {
  readonly o: Outcome;
  readonly out: string;
}

/** run_classifier on the first lines of the task's train/dev/test.tsv, one of them replaced. */
async function runClassifier(task: string, w: Inputs = {}): Promise<Run> {
  const dir = tempDir('rc');
  const data = join(dir, 'data');
  mkdirSync(data);
  for (const f of ['train.tsv', 'dev.tsv', 'test.tsv'])
    if (f !== w.tsv?.file) fileWith(f, head(join(SHARED, 'glue', task, f), LINES), data);
  if (w.tsv?.bytes === null) mkdirSync(join(data, w.tsv.file), { recursive: true });
  else if (w.tsv !== undefined) fileWith(w.tsv.file, w.tsv.bytes, data);
  const out = join(dir, 'out');
  if (w.existing !== undefined) {
    mkdirSync(out);
    for (const [name, text] of Object.entries(w.existing)) writeFileSync(join(out, name), text);
  }
  const o = await runBert([
    'run_classifier',
    `--task_name=${task}`,
    `--data_dir=${data}`,
    ...modelFlags(w),
    `--output_dir=${out}`,
    ...(w.flags ?? ['--do_train=true', '--do_eval=true']),
    '--max_seq_length=64',
    '--train_batch_size=8',
    '--num_train_epochs=1',
    '--num_threads=1',
  ]);
  return { o, out };
}

/** Refused naming `file` (and `place`), and output_dir absent. */
/** Refused naming `file` (and `place`), no output_dir; returns the error line. */
function expectNothingLeft(r: Run, file: string, place?: RegExp): string {
  const line = expectRefused(r.o, file, place);
  expect(existsSync(r.out), filesIn(r.out).join(', ')).toBe(false);
  return line;
}

const TASKS = ['MRPC', 'CoLA', 'SST-2', 'STS-B', 'RTE', 'WNLI'];

describe.each(TASKS)('fuzz: run_classifier on %s', (task) => {
  it(
    'the real lines: trains, evaluates, output_dir is a model folder',
    async () => {
      const r = await runClassifier(task);
      expectClean(r.o);
      const files = filesIn(r.out);
      for (const f of ['eval_results.txt', 'bert_ts.json', 'vocab.txt', 'train.tf_record'])
        expect(files).toContain(f);
    },
    CASE_TIMEOUT,
  );
  it(
    'dev.tsv line 5 with one field: refused before training, no output_dir',
    async () => {
      const real = head(join(SHARED, 'glue', task, 'dev.tsv'), LINES);
      const bytes = mapLines(real, (l, i) => (i === 4 ? l.split('\t')[0]! : l));
      const r = await runClassifier(task, { tsv: { file: 'dev.tsv', bytes } });
      expectNothingLeft(r, 'data/dev.tsv', /line 5: /);
    },
    CASE_TIMEOUT,
  );
  it(
    'test.tsv a directory (--do_predict): no output_dir',
    async () => {
      const flags = ['--do_predict=true'];
      const r = await runClassifier(task, { tsv: { file: 'test.tsv', bytes: null }, flags });
      expectNothingLeft(r, 'data/test.tsv', /it is a directory/);
    },
    CASE_TIMEOUT,
  );
  it.each(blindMutations(seeds(1, 800), seeds(1, 900)))(
    'train.tsv %s, seed %i: clean, or refused naming the line with no output_dir',
    async (kind, seed) => {
      const real = head(join(SHARED, 'glue', task, 'train.tsv'), LINES);
      const r = await runClassifier(task, {
        tsv: { file: 'train.tsv', bytes: mutate(kind, seed, real) },
      });
      expectCleanOrRefused(r.o, 'data/train.tsv', /line \d+/);
      if (r.o.code !== 0) expect(existsSync(r.out)).toBe(false);
    },
    CASE_TIMEOUT,
  );
});

describe('fuzz: run_classifier (MRPC) on a bad vocab, config or checkpoint', () => {
  it(
    'a vocab with invalid UTF-8 on line 2000: no output_dir',
    async () => {
      const bad = mapLines(readFileSync(VOCAB), (l, i) => (i === 1999 ? `${l}\u0000` : l));
      bad[bad.indexOf(0, 0)] = 0xff;
      const vocab = fileWith('vocab.txt', bad);
      const r = await runClassifier('MRPC', { vocab });
      expectNothingLeft(r, 'vocab.txt', /line 2000 \(byte \d+\): invalid UTF-8/);
    },
    CASE_TIMEOUT,
  );
  it(
    'a vocab larger than vocab_size: refused naming both files, no output_dir',
    async () => {
      const big = Buffer.concat([readFileSync(VOCAB), Buffer.from('extra1\nextra2\n')]);
      const vocab = fileWith('vocab.txt', big);
      const r = await runClassifier('MRPC', { vocab, weights: null, flags: trainOnly });
      const line = expectNothingLeft(r, 'vocab.txt', /30524 tokens, more than vocab_size 30522/);
      expect(line).toContain('bert_config.json');
    },
    CASE_TIMEOUT,
  );
  it(
    'type_vocab_size 1 with sentence pairs: refused naming the config, no output_dir',
    async () => {
      const config = JSON.parse(readFileSync(MODEL_CONFIG, 'utf8'));
      const file = fileWith('bert_config.json', JSON.stringify({ ...config, type_vocab_size: 1 }));
      const r = await runClassifier('MRPC', { config: file, weights: null, flags: trainOnly });
      expectNothingLeft(r, file, /type_vocab_size 1 .*no row for segment id 1/);
    },
    CASE_TIMEOUT,
  );
  it(
    'a truncated checkpoint: no output_dir',
    async () => {
      const dir = tempDir('rc-ckpt');
      copyInto(dir, `${MODEL_CKPT}.index`);
      const data = readFileSync(`${MODEL_CKPT}.data-00000-of-00001`);
      fileWith('bert_model.ckpt.data-00000-of-00001', data.subarray(0, data.length >> 1), dir);
      const r = await runClassifier('MRPC', { weights: join(dir, 'bert_model.ckpt') });
      expectNothingLeft(r, 'bert_model.ckpt');
    },
    CASE_TIMEOUT,
  );
  it(
    'a refused run in an existing output_dir leaves it as it was',
    async () => {
      const existing = { 'notes.txt': 'mine\n' };
      const tsv = { file: 'dev.tsv', bytes: null };
      const r = await runClassifier('MRPC', { tsv, existing });
      expectRefused(r.o, 'data/dev.tsv', /it is a directory/);
      expect(filesIn(r.out)).toEqual(['notes.txt']);
    },
    CASE_TIMEOUT,
  );
});
