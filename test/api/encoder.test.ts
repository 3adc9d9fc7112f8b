// Encoder on the shipped Brown BERT-Tiny: 'cls' and 'mean' vectors equal extract_features' JSON
// lines (the same forward pass; values there are rounded to 6 decimals), 'pooled' equals
// tanh(W·[CLS] + b) with the checkpoint's pooler weights, a text's vector does not depend on
// the batch it is in, and bad input throws a UsageError naming it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Encoder } from '../../src/api/encoder.js';
import { openCheckpoint } from '../../src/formats/checkpoint/source.js';
import { extractFeatures } from '../../src/train/runners/extract_features.js';
import { silentLogger } from '../../src/util/log.js';
import { BROWN } from './mrpc_run.js';

const TEXTS = [
  'The cat sat on the mat.',
  'Hello world',
  'A much longer sentence, with punctuation, numbers like 1984 and several clauses in it.',
];

interface FeatureLine {
  features: { token: string; layers: { index: number; values: number[] }[] }[];
}

let enc: Encoder;
let lines: FeatureLine[];

beforeAll(async () => {
  enc = await Encoder.load(BROWN, { numThreads: 2 });
  const dir = mkdtempSync(join(tmpdir(), 'bert-api-enc-'));
  writeFileSync(join(dir, 'in.txt'), TEXTS.join('\n') + '\n');
  await extractFeatures({
    inputFile: join(dir, 'in.txt'),
    outputFile: join(dir, 'out.jsonl'),
    vocabFile: join(BROWN, 'vocab.txt'),
    bertConfigFile: join(BROWN, 'bert_config.json'),
    initCheckpoint: join(BROWN, 'bert_model.ckpt'),
    layers: '-1,-2',
    maxSeqLength: 128,
    doLowerCase: true,
    batchSize: 8,
    numThreads: 2,
    logger: silentLogger,
  });
  const text = readFileSync(join(dir, 'out.jsonl'), 'utf8').trimEnd().split('\n');
  lines = text.map((l) => JSON.parse(l) as FeatureLine);
});
afterAll(() => enc.dispose());

/** Layer `index` of every token of text i, from extract_features. */
const tokenRows = (i: number, index: number) =>
  lines[i]!.features.map((f) => f.layers.find((l) => l.index === index)!.values);

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(tol);
}

describe('Encoder.embed', () => {
  it("'cls' of layers [-1, -2]: [CLS]'s rows of extract_features, concatenated", async () => {
    const v = await enc.embed(TEXTS, { pooling: 'cls', layers: [-1, -2] });
    expect(v.map((x) => x.length)).toEqual([256, 256, 256]);
    TEXTS.forEach((_, i) =>
      expectClose(v[i]!, [...tokenRows(i, -1)[0]!, ...tokenRows(i, -2)[0]!], 2e-6),
    );
  });
  it("'mean': the mean of every token's row of the last layer", async () => {
    const v = await enc.embed(TEXTS, { pooling: 'mean' });
    TEXTS.forEach((_, i) => {
      const rows = tokenRows(i, -1);
      const mean = rows[0]!.map((_, c) => rows.reduce((s, r) => s + r[c]!, 0) / rows.length);
      expectClose(v[i]!, mean, 2e-6);
    });
  });
  it("'pooled': tanh(bert/pooler/dense · [CLS] + bias) with the checkpoint's weights", async () => {
    const [cls] = await enc.embed([TEXTS[0]!], { pooling: 'cls' });
    const [pooled] = await enc.embed([TEXTS[0]!], { pooling: 'pooled' });
    const src = openCheckpoint(join(BROWN, 'bert_model.ckpt'));
    const W = src.readFloat32('bert/pooler/dense/kernel'); // [in, out]
    const b = src.readFloat32('bert/pooler/dense/bias');
    src.close();
    const C = enc.dimension;
    const want = Array.from({ length: C }, (_, o) => {
      let s = b[o]!;
      for (let c = 0; c < C; c++) s += cls![c]! * W[c * C + o]!;
      return Math.tanh(s);
    });
    expectClose(pooled!, want, 1e-5);
  });
  it('a text alone and in a batch with longer texts: the same vector to float rounding', async () => {
    const [alone] = await enc.embed(['Hello world'], { pooling: 'mean' });
    const batch = await enc.embed(TEXTS, { pooling: 'mean' });
    expectClose(alone!, batch[1]!, 1e-5);
  });
  it.each([
    [['x'], { pooling: 'max' }, /pooling "max" is not one of cls, mean, pooled/],
    [['x'], { pooling: 'pooled', layers: [-1] }, /layers cannot be chosen with it/],
    [['x'], { layers: [2] }, /layer 2 does not exist in a 2-layer model/],
    [['x', ''], {}, /Encoder.embed: texts\[1\] must be a non-empty string, got ""/],
    ['x', {}, /texts must be an array of strings, got "x"/],
  ])('%j with %j is a UsageError', (texts, opts, message) => {
    expect(() => enc.embed(texts as string[], opts as never)).toThrow(message);
  });
});
