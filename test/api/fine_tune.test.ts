// Classifier.fineTune and `bert run_classifier` are two doors to one runner: the same 64 MRPC
// train rows (from memory here, from TSV files there), the same flags and seed, from the shipped
// Brown BERT-Tiny, give byte-identical eval_results.txt, training curves and checkpoints. Also:
// onStep's reports, the returned classifier predicts and saves, a label not in the list names
// the example, and nothing is left behind on an error or in a temporary folder.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Classifier } from '../../src/api/classifier.js';
import type { LabeledPair } from '../../src/api/fine_tune.js';
import type { StepInfo } from '../../src/train/runners/run_options.js';
import { UsageError } from '../../src/util/errors.js';
import { REPO, SHARED } from '../shared.js';
import { BROWN, mrpcSlice } from './mrpc_run.js';

/** MRPC rows as an application would hold them: label, then the two sentences. */
function mrpcRows(split: string, n: number): LabeledPair[] {
  const lines = readFileSync(join(SHARED, 'glue/MRPC', `${split}.tsv`), 'utf8').split('\n');
  return lines
    .slice(1, n + 1)
    .map((l) => l.split('\t'))
    .map((c) => ({ label: c[0]!, textA: c[3]!, textB: c[4]! }));
}

const FLAGS = { epochs: 1, learningRate: 1e-4, batchSize: 8, maxSeqLength: 128, seed: 1 };
const root = mkdtempSync(join(tmpdir(), 'bert-api-ft-'));
const API_DIR = join(root, 'api');
const CLI_DIR = join(root, 'cli');
let clf: Classifier;
const steps: StepInfo[] = [];

beforeAll(async () => {
  clf = await Classifier.fineTune({
    init: BROWN,
    labels: ['0', '1'],
    train: mrpcRows('train', 64),
    eval: mrpcRows('dev', 32),
    ...FLAGS,
    taskName: 'MRPC',
    outputDir: API_DIR,
    numThreads: 2,
    onStep: (s) => steps.push(s),
  });
  mrpcSlice(root, { train: 64, dev: 32, test: 0 });
  const cli = spawnSync(
    process.execPath,
    [
      join(REPO, 'dist/src/cli/run.js'),
      'run_classifier',
      '--task_name=MRPC',
      '--do_train=true',
      '--do_eval=true',
      `--data_dir=${root}`,
      `--vocab_file=${BROWN}/vocab.txt`,
      `--bert_config_file=${BROWN}/bert_config.json`,
      `--init_checkpoint=${BROWN}/bert_model.ckpt`,
      '--max_seq_length=128',
      '--train_batch_size=8',
      '--learning_rate=1e-4',
      '--num_train_epochs=1',
      '--seed=1',
      '--num_threads=2',
      `--output_dir=${CLI_DIR}`,
    ],
    { encoding: 'utf8' },
  );
  if (cli.status !== 0) throw new Error(cli.stderr);
});

const read = (dir: string, f: string) => readFileSync(join(dir, f));

describe('fineTune from memory and the CLI from files', () => {
  it('give the same eval_results.txt, byte for byte', () => {
    expect(read(API_DIR, 'eval_results.txt').toString()).toBe(
      read(CLI_DIR, 'eval_results.txt').toString(),
    );
    const accuracy = /eval_accuracy = (\S+)/.exec(read(CLI_DIR, 'eval_results.txt').toString());
    expect(clf.evalResults!.eval_accuracy).toBe(Number(accuracy![1]));
    expect(clf.evalResults!.global_step).toBe(8);
  });
  it('give the same training curve and final weights', () => {
    expect(read(API_DIR, 'training_curve.tsv')).toEqual(read(CLI_DIR, 'training_curve.tsv'));
    const data = 'model.ckpt-8.data-00000-of-00001';
    expect(read(API_DIR, data).equals(read(CLI_DIR, data))).toBe(true);
    for (const f of ['bert_config.json', 'vocab.txt', 'bert_ts.json'])
      expect(read(API_DIR, f)).toEqual(read(CLI_DIR, f));
  });
  it('onStep reports every step: 1..8 of 8, the loss of the curve, the decaying rate', () => {
    expect(steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(steps.every((s) => s.totalSteps === 8)).toBe(true);
    const curve = read(CLI_DIR, 'training_curve.tsv').toString().trim().split('\n').slice(1);
    curve.forEach((line, i) => {
      const loss = Number(line.split('\t')[1]);
      expect(Math.abs(steps[i]!.loss - loss)).toBeLessThan(1e-6 * Math.abs(loss));
    });
    expect(steps[0]!.learningRate).toBe(Math.fround(1e-4)); // int(8 · 0.1) = 0 warm-up steps
    expect(steps[7]!.learningRate).toBeCloseTo(1e-4 / 8, 10);
  });
  it('the returned classifier predicts with the task labels and saves a folder that loads', async () => {
    const [p] = await clf.predict([{ textA: 'The cat sat.', textB: 'A cat was sitting.' }]);
    expect(Object.keys(p!.probabilities)).toEqual(['0', '1']);
    expect(clf.meta.task_name).toBe('mrpc');
    const dir = join(root, 'saved');
    await clf.save(dir);
    const again = await Classifier.load(dir, { numThreads: 1 });
    expect(await again.predict([{ textA: 'x y', textB: 'y z' }])).toEqual(
      await clf.predict([{ textA: 'x y', textB: 'y z' }]),
    );
    await again.dispose();
  });
});

describe('errors and temporary folders', () => {
  it('a label not in the list names the example; nothing is written', async () => {
    const train = mrpcRows('train', 8);
    train[5] = { ...train[5]!, label: '2' };
    const outputDir = join(root, 'bad');
    const call = Classifier.fineTune({ init: BROWN, labels: ['0', '1'], train, outputDir });
    await expect(call).rejects.toThrow(UsageError);
    await expect(
      Classifier.fineTune({ init: BROWN, labels: ['0', '1'], train, outputDir }),
    ).rejects.toThrow('Classifier.fineTune: train[5].label "2" is not one of the labels ["0","1"]');
    expect(existsSync(outputDir)).toBe(false);
    expect(readdirSync(root).filter((f) => f.startsWith('bad'))).toEqual([]);
  });
  it.each([
    [{ labels: ['0'] }, /labels must be at least 2 distinct non-empty strings, got \["0"\]/],
    [{ train: [] }, /train is empty/],
    [{ train: [{ textA: '', label: '0' }] }, /train\[0\].textA must be a non-empty string/],
    [{ eval: 'x' }, /eval must be an array/],
    [{ maxSeqLength: 600 }, /maxSeqLength 600 is over the model's limit/],
    [{ learningRate: -1 }, /learningRate must be a number in/],
    [{ init: root }, /not a model folder: no bert_config.json/],
  ])('%j is refused before anything runs', async (bad, message) => {
    const o = { init: BROWN, labels: ['0', '1'], train: mrpcRows('train', 8), ...bad };
    await expect(Classifier.fineTune(o as never)).rejects.toThrow(message);
  });
  it('without outputDir the run happens in a temporary folder that is removed', async () => {
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('bert-ts-finetune-'));
    const train = mrpcRows('train', 16);
    const c = await Classifier.fineTune({
      init: BROWN,
      labels: ['0', '1'],
      train,
      ...FLAGS,
      numThreads: 2,
    });
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('bert-ts-finetune-'))).toEqual(before);
    expect(c.evalResults).toBe(null);
    expect(await c.predict([{ textA: 'a', textB: 'b' }])).toHaveLength(1);
    await c.dispose();
  });
});
