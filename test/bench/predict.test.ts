// bench/predict.bench.ts's untimed parts (the bench itself is not run in CI): its inputs fill all
// 128 tokens, and its agreement check — Classifier.predict against softmax(onnxruntime's logits)
// on the exported onnx/model.onnx — holds for the model and fails for another one.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pretrainedModelPath } from '../../src/api/assets.js';
import { Classifier } from '../../src/api/classifier.js';
import type { TextPair } from '../../src/api/inputs.js';
import { exportModel } from '../../src/export/export_model.js';
import { silentLogger } from '../../src/util/log.js';
import { longPairs, predictVsOnnxruntime, tokenRows } from '../../bench/predict.bench.js';
import { shortMrpcRun } from '../../bench/serve_fixture.js';

let PAIRS: TextPair[] = [];
let MODEL = '';
let ONNX = '';
let clf: Classifier;

beforeAll(async () => {
  MODEL = await shortMrpcRun(64, 2);
  const hf = join(mkdtempSync(join(tmpdir(), 'bert-bench-hf-')), 'mrpc');
  await exportModel({ modelDir: MODEL, outputDir: hf });
  ONNX = join(hf, 'onnx', 'model.onnx');
  clf = await Classifier.load(MODEL, { numThreads: 2 });
  PAIRS = longPairs(clf.tokenizer, 32);
});

afterAll(() => clf?.dispose());

describe('predict bench inputs', () => {
  it('fills every row of 32 pairs to 128 tokens, both segments present, from little more text', () => {
    const x = tokenRows(clf.tokenizer, PAIRS);
    expect(x.ids.length).toBe(32 * 128);
    expect(x.mask.every((m) => m === 1)).toBe(true);
    for (let r = 0; r < 32; r++) {
      const row = x.types.subarray(r * 128, (r + 1) * 128);
      expect(row[0]).toBe(0);
      expect(row[127]).toBe(1);
      const p = PAIRS[r]!;
      const untruncated = clf.tokenizer.tokenize(`${p.textA} ${p.textB}`).length + 3;
      expect(untruncated).toBeGreaterThan(128);
      expect(untruncated).toBeLessThan(128 + 80);
    }
  });

  it('refuses a pair under 128 tokens', () => {
    expect(() => tokenRows(clf.tokenizer, [{ textA: 'Short.', textB: 'Pair.' }])).toThrow(
      /pair 0 is under 128 tokens/,
    );
  });
});

describe('predict bench agreement check', () => {
  it('Classifier.predict equals softmax(onnxruntime logits) on the exported file, |Δ| ≤ 1e-4', async () => {
    expect(await predictVsOnnxruntime(clf, ONNX, PAIRS, 2)).toBeLessThanOrEqual(1e-4);
    expect(await predictVsOnnxruntime(clf, ONNX, PAIRS.slice(0, 1), 2)).toBeLessThanOrEqual(1e-4);
  });

  it('tells a different model apart: a random head on the pre-trained encoder', async () => {
    const brown = pretrainedModelPath('uncased_L-2_H-128_A-2_brown');
    const opts = { labels: ['0', '1'], allowUntrainedHead: true, logger: silentLogger };
    const other = await Classifier.load(brown, { ...opts, numThreads: 2 });
    try {
      expect(await predictVsOnnxruntime(other, ONNX, PAIRS, 2)).toBeGreaterThan(1e-3);
    } finally {
      await other.dispose();
    }
  });
});
