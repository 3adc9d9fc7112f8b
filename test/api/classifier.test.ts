// Classifier on a real run_classifier output_dir (mrpc_run.ts): predict gives test_results.tsv's
// probabilities (same batches: the same text; other batch sizes: within float rounding), labels are
// the task's strings, save() writes a folder that loads to the same predictions, an untrained head
// is refused (or, when allowed, named in a warning), bad input throws a BertError naming the place,
// and a process exits without dispose().
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Classifier } from '../../src/api/classifier.js';
import { modelMeta, modelMetaJson } from '../../src/api/model_folder.js';
import { getProcessor } from '../../src/data/glue/registry.js';
import { testResultsText } from '../../src/train/results.js';
import { BertError, ConfigError, UsageError } from '../../src/util/errors.js';
import { collectingLogger } from '../../src/util/log.js';
import { REPO } from '../shared.js';
import { BROWN, shortMrpcRun } from './mrpc_run.js';

let run: { data: string; out: string };
let clf: Classifier;
let testPairs: { textA: string; textB: string }[];

beforeAll(async () => {
  run = await shortMrpcRun();
  testPairs = getProcessor('MRPC')
    .getTestExamples(run.data)
    .map((e) => ({ textA: e.textA, textB: e.textB! }));
  clf = await Classifier.load(run.out, { batchSize: 8, numThreads: 2 });
});
afterAll(() => clf.dispose());

const probabilityRows = (p: { probabilities: Record<string, number> }[]) =>
  p.flatMap((x) => [x.probabilities['0']!, x.probabilities['1']!]);

describe('Classifier.load(output_dir).predict', () => {
  it("equals run_classifier's test_results.tsv (40 test pairs, batches of 8)", async () => {
    const out = await clf.predict(testPairs);
    expect(out).toHaveLength(40);
    const text = testResultsText(probabilityRows(out), 40, 2);
    expect(text).toBe(readFileSync(join(run.out, 'test_results.tsv'), 'utf8'));
  });
  it("labels are the task's strings; the label is the most probable", async () => {
    expect(clf.labels).toEqual(['0', '1']);
    for (const p of await clf.predict(testPairs.slice(0, 10))) {
      expect(Object.keys(p.probabilities)).toEqual(['0', '1']);
      expect(p.probabilities['0']! + p.probabilities['1']!).toBeCloseTo(1, 6);
      expect(p.label).toBe(p.probabilities['1']! > p.probabilities['0']! ? '1' : '0');
    }
  });
  it('other batch sizes (1, 32) agree to float rounding; single texts work too', async () => {
    const ref = probabilityRows(await clf.predict(testPairs));
    for (const batchSize of [1, 32]) {
      const c = await Classifier.load(run.out, { batchSize, numThreads: 2 });
      const got = probabilityRows(await c.predict(testPairs));
      got.forEach((v, i) => expect(Math.abs(v - ref[i]!)).toBeLessThan(1e-5));
      await c.dispose();
    }
    const [single] = await clf.predict([{ textA: 'The cat sat on the mat.' }]);
    expect(['0', '1']).toContain(single!.label);
  });
  it('overlapping calls do not mix their batches', async () => {
    const [a, b] = await Promise.all([clf.predict(testPairs), clf.predict(testPairs.slice(20))]);
    expect(probabilityRows(b)).toEqual(probabilityRows(a).slice(40));
  });
});

describe('save', () => {
  it('writes a self-contained folder that loads to the same predictions', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'bert-api-save-')), 'saved');
    await clf.save(dir);
    expect(readdirSync(dir).sort()).toEqual([
      'bert_config.json',
      'bert_model.ckpt.data-00000-of-00001',
      'bert_model.ckpt.index',
      'bert_ts.json',
      'vocab.txt',
    ]);
    const again = await Classifier.load(dir, { batchSize: 8, numThreads: 2 });
    expect(again.meta).toEqual(clf.meta);
    expect(await again.predict(testPairs)).toEqual(await clf.predict(testPairs));
    await again.dispose();
    await expect(clf.save(dir)).rejects.toThrow(`${dir}: exists and is not empty`);
  });
});

describe('a folder without a trained head', () => {
  /** The shipped encoder with bert_ts.json claiming MRPC's labels. */
  function headless(): string {
    const dir = mkdtempSync(join(tmpdir(), 'bert-api-headless-'));
    for (const f of readdirSync(BROWN)) copyFileSync(join(BROWN, f), join(dir, f));
    const meta = modelMeta({
      task_name: 'mrpc',
      labels: ['0', '1'],
      is_regression: false,
      do_lower_case: true,
      max_seq_length: 128,
    });
    writeFileSync(join(dir, 'bert_ts.json'), modelMetaJson(meta));
    return dir;
  }
  it('is refused, naming the missing tensors', async () => {
    await expect(Classifier.load(headless())).rejects.toThrow(
      /bert_model.ckpt: no trained classifier head \(output_weights, output_bias missing\)/,
    );
  });
  it('loads with allowUntrainedHead, with a warning naming them', async () => {
    const logger = collectingLogger();
    const c = await Classifier.load(headless(), {
      allowUntrainedHead: true,
      logger,
      numThreads: 1,
    });
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toMatch(
      /^WARNING:.*bert_model.ckpt: not in the checkpoint, left at their initial values: output_weights, output_bias$/,
    );
    expect(await c.predict([{ textA: 'a b c' }])).toHaveLength(1);
    await c.dispose();
  });
  it('a bare encoder (labels null) is not a classifier', async () => {
    await expect(Classifier.load(BROWN)).rejects.toThrow(/a bare encoder .*no classifier to load/);
  });
});

describe('bad input', () => {
  it.each([
    [
      'a string',
      'x',
      /Classifier.predict: pairs must be an array of \{ textA, textB\? \}, got "x"/,
    ],
    ['an empty textA', [{ textA: '' }], /pairs\[0\].textA must be a non-empty string, got ""/],
    [
      'a number textA',
      [{ textA: 'ok' }, { textA: 5 }],
      /pairs\[1\].textA must be a non-empty string, got number/,
    ],
    [
      'a blank textB',
      [{ textA: 'ok', textB: '  ' }],
      /pairs\[0\].textB must be a non-empty string/,
    ],
    [
      'a string in the array',
      ['ok'],
      /pairs\[0\] must be an object \{ textA, textB\? \}, got "ok"/,
    ],
  ])('predict with %s is a UsageError', async (_what, input, message) => {
    const call = () => clf.predict(input as never);
    expect(call).toThrow(UsageError);
    expect(call).toThrow(message);
  });
  it('a folder that is not a model, a maxSeqLength over the limit, bad sizes', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'bert-api-empty-'));
    await expect(Classifier.load(empty)).rejects.toThrow(/not a model folder: no bert_config.json/);
    await expect(Classifier.load(run.out, { maxSeqLength: 513 })).rejects.toThrow(ConfigError);
    await expect(Classifier.load(run.out, { maxSeqLength: 513 })).rejects.toThrow(
      "maxSeqLength 513 is over the model's limit: bert_config.json's max_position_embeddings is 512",
    );
    await expect(Classifier.load(run.out, { batchSize: 0 })).rejects.toThrow(
      'batchSize must be an integer in [1, 4096], got 0',
    );
    await expect(Classifier.load(run.out, { numThreads: 1.5 })).rejects.toThrow(BertError);
  });
  it('a disposed classifier says so', async () => {
    const c = await Classifier.load(run.out, { numThreads: 1 });
    await c.dispose();
    expect(() => c.predict(testPairs)).toThrow('Classifier: used after dispose()');
  });
});

describe('the process', () => {
  it('exits without dispose()', () => {
    const script = `
      import { Classifier } from ${JSON.stringify(join(REPO, 'dist/src/index.js'))};
      const clf = await Classifier.load(${JSON.stringify(run.out)}, { numThreads: 2 });
      const [p] = await clf.predict([{ textA: 'The cat sat.', textB: 'A cat was sitting.' }]);
      console.log(p.label);`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(['0', '1']).toContain(r.stdout.trim());
  });
});
