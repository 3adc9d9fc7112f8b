// The fine-tuning page in a real browser (Debian's chromium, headless, via playwright-core): a bad
// TSV is refused in the status line; a 20-step fine-tune of the shipped BERT-Tiny on an MRPC
// slice, given through the page's file input with 2 threads, shows falling losses, then the
// same per-step losses, eval_accuracy and — in the downloaded zip — the same weights bit for
// bit as runClassifier in Node on the same files and flags; a typed pair gets probabilities
// that sum to 1 (Node's, for the same model); the page was cross-origin isolated and its
// kernel pool ran in Web Workers. Chromium missing is a failure, not a skip (CI installs it).
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Classifier } from '../../src/api/classifier.js';
import { openCheckpoint } from '../../src/formats/checkpoint/source.js';
import { isTrainingState } from '../../src/formats/hf_names.js';
import { latestCheckpoint } from '../../src/train/checkpoint_io.js';
import {
  openPage,
  runInNode,
  shownSteps,
  statusHistory,
  waitForStatus,
  type PageSession,
} from '../../bench/web_page.js';
import { REPO } from '../shared.js';

const MODEL = join(REPO, 'models/uncased_L-2_H-128_A-2_brown');
const tmp = mkdtempSync(join(tmpdir(), 'web-page-'));

/** MRPC's header and first `rows` lines: 320 train rows at batch 16 = 20 steps. */
function mrpcSlice(file: string, rows: number): string {
  const lines = readFileSync(join(REPO, 'data/glue/MRPC', file), 'utf8').split('\n');
  return lines.slice(0, rows + 1).join('\n') + '\n';
}
/** The files as the file input takes them. */
const tsvFiles = (train: string, dev: string) =>
  [
    ['train.tsv', train],
    ['dev.tsv', dev],
  ].map(([name, text]) => ({ name: name!, mimeType: 'text/plain', buffer: Buffer.from(text!) }));
const TRAIN = mrpcSlice('train.tsv', 320);
const DEV = mrpcSlice('dev.tsv', 96);
const FLAGS = { epochs: 1, batch: 16, maxSeq: 64, threads: 2 };
const PAIR = { textA: 'The cat sat on the mat.', textB: 'A cat was sitting on the mat.' };

/** run_classifier in Node on the same files and flags: its per-step losses and output_dir. */
async function nodeRun(): Promise<{ losses: string[]; out: string; accuracy: number }> {
  const dataDir = join(tmp, 'data');
  mkdirSync(dataDir);
  writeFileSync(join(dataDir, 'train.tsv'), TRAIN);
  writeFileSync(join(dataDir, 'dev.tsv'), DEV);
  const out = join(tmp, 'node_out');
  const losses: string[] = [];
  const accuracy = await runInNode({
    root: REPO,
    dataDir,
    outputDir: out,
    numThreads: FLAGS.threads,
    epochs: FLAGS.epochs,
    batchSize: FLAGS.batch,
    maxSeqLength: FLAGS.maxSeq,
    onStep: (x) => losses.push(x.loss.toFixed(4)),
  });
  return { losses, out, accuracy };
}

let s: PageSession;
beforeAll(async () => {
  const q = `?epochs=${FLAGS.epochs}&batch=${FLAGS.batch}&max_seq_length=${FLAGS.maxSeq}&threads=${FLAGS.threads}`;
  s = await openPage(REPO, q);
});
afterAll(() => s?.close());

describe('the fine-tuning page in headless Chromium', () => {
  it('is cross-origin isolated and defaults to the README recipe', async () => {
    expect(await s.page.evaluate('crossOriginIsolated')).toBe(true);
    await waitForStatus(s.page, /^ready/, 10_000);
    const value = (id: string) => s.page.locator(`#${id}`).inputValue();
    expect(await value('lr')).toBe('1e-4');
    expect(await value('seed')).toBe('1');
    expect(await s.page.locator('#task').inputValue()).toBe('mrpc');
    expect(await value('epochs')).toBe(String(FLAGS.epochs)); // from the query
  });

  it('shows bad files as one-line errors naming the file and place', async () => {
    const input = s.page.getByTestId('file_input');
    const config = JSON.parse(readFileSync(join(MODEL, 'bert_config.json'), 'utf8')) as object;
    const wide = { ...config, hidden_size: 256, intermediate_size: 1024 };
    const cases: [string, string, RegExp][] = [
      [
        'train.tsv',
        'just words\nno tabs here\n',
        /train\.tsv: line 2: expected at least 5 tab-separated fields, found 1/,
      ],
      [
        'bert_config.json',
        JSON.stringify(wide),
        /bert_model\.ckpt: tensor bert\/embeddings\/word_embeddings: shape \[30522,128\] in the checkpoint, the model built from .*bert_config\.json has \[30522,256\]/,
      ],
    ];
    for (const [name, text, want] of cases) {
      await input.setInputFiles([{ name, mimeType: 'text/plain', buffer: Buffer.from(text) }]);
      await s.page.getByTestId('train').click();
      const status = await waitForStatus(s.page, /^error:/, 20_000);
      expect(status, name).toMatch(/^error: /);
      expect(status, name).toMatch(want);
      await s.page.locator('#clear_files').click();
    }
  });

  it('fine-tunes as run_classifier in Node does: same losses, eval_accuracy and weights', async () => {
    await s.page.getByTestId('file_input').setInputFiles(tsvFiles(TRAIN, DEV));
    await s.page.getByTestId('train').click();
    await waitForStatus(s.page, /^step \d+\/20 /, 30_000);
    const done = await waitForStatus(s.page, /^done:/, 60_000);
    const node = await nodeRun();

    const steps = shownSteps(await statusHistory(s.page));
    expect(steps.map((x) => x.step)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(steps.every((x) => x.total === 20)).toBe(true);
    expect(steps.map((x) => x.loss)).toEqual(node.losses);
    const mean = (xs: string[]) => xs.reduce((a, x) => a + Number(x), 0) / xs.length;
    expect(mean(node.losses.slice(-5))).toBeLessThan(mean(node.losses.slice(0, 5)));
    expect(done).toContain(`eval_accuracy=${node.accuracy.toFixed(4)}`);
    expect(node.accuracy).toBeGreaterThan(0.5);

    const [download] = await Promise.all([
      s.page.waitForEvent('download'),
      s.page.getByTestId('download').click(),
    ]);
    const zip = unzipSync(readFileSync(await download.path()));
    const folder = join(tmp, 'page_model');
    mkdirSync(folder);
    for (const [name, bytes] of Object.entries(zip))
      writeFileSync(join(folder, name.replace('bert-ts-model/', '')), bytes);
    const fromPage = openCheckpoint(join(folder, 'model.safetensors'));
    const fromNode = openCheckpoint(latestCheckpoint(node.out)!);
    const names = fromNode.names().filter((n) => !isTrainingState(n));
    expect(fromPage.names().sort()).toEqual([...names].sort());
    for (const n of names) {
      const [a, b] = [fromPage.readTensor(n).data, fromNode.readTensor(n).data];
      expect(
        Buffer.from((a as Float32Array).buffer).equals(Buffer.from((b as Float32Array).buffer)),
        n,
      ).toBe(true);
    }
    const meta = JSON.parse(readFileSync(join(folder, 'bert_ts.json'), 'utf8')) as {
      labels: string[];
    };
    expect(meta.labels).toEqual(['0', '1']);
  });

  it('classifies a typed pair: probabilities summing to 1, as the downloaded model in Node', async () => {
    await s.page.getByTestId('text_a').fill(PAIR.textA);
    await s.page.getByTestId('text_b').fill(PAIR.textB);
    await s.page.getByTestId('classify').click();
    const prediction = s.page.getByTestId('prediction');
    await prediction.filter({ hasText: 'label' }).waitFor({ timeout: 20_000 });
    const probs = JSON.parse((await prediction.getAttribute('data-probabilities'))!) as Record<
      string,
      number
    >;
    expect(Object.keys(probs)).toEqual(['0', '1']);
    expect(probs['0']! + probs['1']!).toBeCloseTo(1, 6);
    const clf = await Classifier.load(join(tmp, 'page_model'), { numThreads: 1 });
    const [want] = await clf.predict([PAIR]);
    await clf.dispose();
    expect(probs['0']).toBe(want!.probabilities['0']);
    expect(await prediction.textContent()).toContain(`label ${want!.label}`);
  });

  it('ran the kernels on more than one thread, in Web Workers', async () => {
    expect(await s.page.locator('#threads_used').textContent()).toBe('2');
    const workers = s.page.workers().map((w) => w.url().split('/').pop());
    expect(workers).toContain('engine_worker.js');
    expect(workers.filter((w) => w?.startsWith('pool_worker')).length).toBeGreaterThanOrEqual(1);
  });

  it('cancels a run: the status says where, Train works again', async () => {
    await s.page.getByTestId('train').click();
    await waitForStatus(s.page, /^step \d+\/20 /, 30_000);
    await s.page.locator('#cancel').click();
    expect(await s.page.getByTestId('status').textContent()).toMatch(/^cancelled at step \d+\/20 /);
    expect(await s.page.getByTestId('train').isEnabled()).toBe(true);
  });
});

describe('the page served without the isolation headers (no SharedArrayBuffer)', () => {
  it('says why it is slower and still fine-tunes, on one thread', async () => {
    const plain = await openPage(REPO, '?epochs=1&batch=16&max_seq_length=64', {
      isolated: false,
    });
    try {
      const slices = tsvFiles(mrpcSlice('train.tsv', 32), mrpcSlice('dev.tsv', 32));
      await plain.page.getByTestId('file_input').setInputFiles(slices);
      expect(await plain.page.evaluate('crossOriginIsolated')).toBe(false);
      expect(await plain.page.locator('#isolation').textContent()).toMatch(
        /not cross-origin isolated/,
      );
      expect(await plain.page.locator('#threads').inputValue()).toBe('1');
      await plain.page.getByTestId('train').click();
      const done = await waitForStatus(plain.page, /^done:/, 60_000);
      expect(done).toMatch(/^done: eval_accuracy=0\.\d{4} · eval_f1=/);
      expect(await plain.page.locator('#threads_used').textContent()).toBe('1');
    } finally {
      await plain.close();
    }
  });
});
