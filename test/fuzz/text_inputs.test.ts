// Fuzzing the text readers with seeded mutations of the real files: the GLUE TSVs of each task
// layout and the vocab (create_finetuning_data, in-process CLI), bert_config.json and the input
// lines of extract_features (in-process), JSON lines on stdin (tokenize, a child process). A
// refusal names the file and the line and leaves no output; a benign change — CRLF line ends, a
// BOM, an extra TSV column — gives exactly the output of the unchanged file.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED } from '../shared.js';
import {
  CASE_TIMEOUT,
  blindMutations,
  expectClean,
  expectCleanOrRefused,
  expectRefused,
  fileWith,
  filesIn,
  head,
  mapLines,
  Mutator,
  type Outcome,
  mutate,
  runBert,
  seeds,
  tempDir,
  VOCAB,
} from './harness.js';

const LINES = 24;
const BOM = Buffer.from('\ufeff', 'utf8');

interface Run {
  readonly o: Outcome;
  /** The output's bytes, or null when nothing was written. */
  readonly output: Buffer | null;
}

/** create_finetuning_data on a task folder holding `tsv` as `file`, with `vocab`. */
async function finetuningData(
  task: string,
  file: string,
  tsv: Uint8Array | null,
  vocab = VOCAB,
): Promise<Run> {
  const dir = tempDir('glue');
  const data = join(dir, 'data');
  mkdirSync(data);
  if (tsv === null) mkdirSync(join(data, file));
  else fileWith(file, tsv, data);
  const out = join(dir, 'out');
  mkdirSync(out);
  const split = file === 'dev.tsv' ? 'dev' : 'train';
  const o = await runBert([
    'create_finetuning_data',
    `--task_name=${task}`,
    `--data_dir=${data}`,
    `--vocab_file=${vocab}`,
    `--split=${split}`,
    '--max_seq_length=64',
    `--output_file=${join(out, 'x.tf_record')}`,
  ]);
  const written = filesIn(out);
  if (o.code !== 0) expect(written).toEqual([]);
  return { o, output: written.length === 0 ? null : readFileSync(join(out, 'x.tf_record')) };
}

// task, file, whether an extra trailing column is harmless (the label is not the last column)
const TASKS: [string, string, boolean][] = [
  ['MRPC', 'train.tsv', true],
  ['CoLA', 'train.tsv', true],
  ['SST-2', 'train.tsv', true],
  ['STS-B', 'dev.tsv', false],
  ['RTE', 'train.tsv', false],
  ['WNLI', 'train.tsv', false],
];

describe.each(TASKS)('fuzz: %s %s (create_finetuning_data)', (task, file, extraColumnHarmless) => {
  const real = head(join(SHARED, 'glue', task, file), LINES);
  const path = `data/${file}`;
  let base: Buffer;
  const same = async (tsv: Uint8Array) => {
    const r = await finetuningData(task, file, tsv);
    expectClean(r.o);
    expect(r.output!.equals(base)).toBe(true);
  };

  it(
    'the real lines: a clean run',
    async () => {
      const r = await finetuningData(task, file, real);
      expectClean(r.o);
      base = r.output!;
    },
    CASE_TIMEOUT,
  );
  it('CRLF line ends: the same records', () => same(mapLines(real, (l) => `${l}\r`)), CASE_TIMEOUT);
  it(
    'a BOM: the same records',
    () => same(real[0] === 0xef ? real.subarray(3) : Buffer.concat([BOM, real])),
    CASE_TIMEOUT,
  );
  it(
    `an extra column: ${extraColumnHarmless ? 'the same records' : 'the label column is refused'}`,
    async () => {
      const tsv = mapLines(real, (l) => `${l}\textra`);
      if (extraColumnHarmless) return same(tsv);
      expectRefused(
        (await finetuningData(task, file, tsv)).o,
        path,
        /line \d+: (label|score) 'extra'/,
      );
    },
    CASE_TIMEOUT,
  );
  it(
    'a field over the csv limit on line 3',
    async () => {
      const tsv = mapLines(real, (l, i) =>
        i === 2 ? l.replace('\t', `\t${'x'.repeat(140000)}`) : l,
      );
      expectRefused(
        (await finetuningData(task, file, tsv)).o,
        path,
        /line 3: field \d+ is larger than the csv field limit/,
      );
    },
    CASE_TIMEOUT,
  );
  it(
    'line 5 with one field',
    async () => {
      const tsv = mapLines(real, (l, i) => (i === 4 ? l.split('\t')[0]! : l));
      expectRefused((await finetuningData(task, file, tsv)).o, path, /line 5: /);
    },
    CASE_TIMEOUT,
  );
  it(
    'NUL bytes and invalid UTF-8 in the text: a clean run',
    async () => {
      const m = new Mutator(7);
      const tsv = m.insert(
        m.insert(real, new Uint8Array(3), real.length - 20),
        Buffer.from([0xff, 0xc3]),
        real.length - 40,
      );
      expectClean((await finetuningData(task, file, tsv)).o);
    },
    CASE_TIMEOUT,
  );
  it.each(blindMutations(seeds(2, 400), seeds(2, 500)))(
    '%s, seed %i: clean or refused naming the line',
    async (kind, seed) => {
      const r = await finetuningData(task, file, mutate(kind, seed, real));
      expectCleanOrRefused(r.o, path, /line \d+/);
    },
    CASE_TIMEOUT,
  );
  it(
    'an empty file: no examples, an empty record file',
    async () => {
      const r = await finetuningData(task, file, Buffer.alloc(0));
      expectClean(r.o);
      expect(r.output!.length).toBe(0);
    },
    CASE_TIMEOUT,
  );
  it(
    'a directory',
    async () => {
      expectRefused((await finetuningData(task, file, null)).o, path, /it is a directory/);
    },
    CASE_TIMEOUT,
  );
});

describe('fuzz: vocab.txt (create_finetuning_data on MRPC)', () => {
  const tsv = head(join(SHARED, 'glue', 'MRPC', 'train.tsv'), LINES);
  const real = readFileSync(VOCAB);
  let base: Buffer;
  const withVocab = (bytes: Uint8Array | null) => {
    const dir = tempDir('vocab');
    const vocab = join(dir, 'vocab.txt');
    if (bytes === null) mkdirSync(vocab);
    else fileWith('vocab.txt', bytes, dir);
    return finetuningData('MRPC', 'train.tsv', tsv, vocab);
  };
  const same = async (bytes: Uint8Array) => {
    const r = await withVocab(bytes);
    expectClean(r.o);
    expect(r.output!.equals(base)).toBe(true);
  };

  it(
    'the real vocab: a clean run',
    async () => {
      const r = await withVocab(real);
      expectClean(r.o);
      base = r.output!;
    },
    CASE_TIMEOUT,
  );
  it('CRLF line ends: the same ids', () => same(mapLines(real, (l) => `${l}\r`)), CASE_TIMEOUT);
  it(
    'a BOM (kept in token 0, [PAD]): the same ids',
    () => same(Buffer.concat([BOM, real])),
    CASE_TIMEOUT,
  );
  it.each(blindMutations(seeds(3, 600), seeds(3, 700)))(
    '%s, seed %i: clean or refused naming the vocab (and line)',
    async (kind, seed) => {
      const r = await withVocab(mutate(kind, seed, real));
      const place = /line \d+ \(byte \d+\): invalid UTF-8|not in the vocabulary/;
      expectCleanOrRefused(r.o, 'vocab.txt', place);
    },
    CASE_TIMEOUT,
  );
  it(
    'invalid UTF-8 on line 2000',
    async () => {
      const bad = mapLines(real, (l, i) => (i === 1999 ? `${l}\u0000` : l));
      bad[bad.indexOf(0, 0)] = 0xff; // the NUL placeholder becomes a lone 0xff byte
      expectRefused((await withVocab(bad)).o, 'vocab.txt', /line 2000 \(byte \d+\): invalid UTF-8/);
    },
    CASE_TIMEOUT,
  );
  it(
    'an empty file',
    async () => {
      expectRefused(
        (await withVocab(new Uint8Array(0))).o,
        'vocab.txt',
        /"\[CLS\]" is not in the vocabulary/,
      );
    },
    CASE_TIMEOUT,
  );
  it(
    'a directory',
    async () => {
      expectRefused((await withVocab(null)).o, 'vocab.txt', /it is a directory/);
    },
    CASE_TIMEOUT,
  );
});
