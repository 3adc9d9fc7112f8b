// The `backend` option of Classifier.load / Encoder.load / fineTune, and Classifier.encoder(): an
// Encoder on the classifier's own weights (no second copy, the same kernel set) that embeds as
// Encoder.load of the folder does. bert serve builds a classifier folder's model this way.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Classifier } from '../../src/api/classifier.js';
import { Encoder } from '../../src/api/encoder.js';
import { Session } from '../../src/api/session.js';
import { nativeAvailable } from '../../src/engine/index.js';
import { loadServedModel } from '../../src/serve/load_model.js';
import { shortMrpcRun } from './mrpc_run.js';

const PAIRS = [
  { textA: 'The cat sat on the mat.', textB: 'A cat was sitting on the mat.' },
  { textA: 'Stocks fell sharply on Monday.', textB: 'The weather was sunny.' },
];
const TEXTS = ['The cat sat on the mat.', 'Hello world', 'Stocks fell sharply on Monday.'];

let out: string;
beforeAll(async () => {
  out = (await shortMrpcRun()).out;
});
afterAll(() => vi.restoreAllMocks());

const probabilities = (p: { probabilities: Record<string, number> }[]) =>
  p.flatMap((x) => [x.probabilities['0']!, x.probabilities['1']!]);

describe.runIf(nativeAvailable())('backend', () => {
  it('Classifier.load and Encoder.load run on the backend named; both backends agree (1e-5)', async () => {
    const got = [];
    for (const backend of ['native', 'wasm'] as const) {
      const clf = await Classifier.load(out, { numThreads: 2, backend });
      const enc = await Encoder.load(out, { numThreads: 2, backend });
      expect([clf.engine, enc.engine].map((e) => e.split('-')[0])).toEqual([backend, backend]);
      got.push({ p: probabilities(await clf.predict(PAIRS)), v: await enc.embed(TEXTS) });
      await Promise.all([clf.dispose(), enc.dispose()]);
    }
    const [native, wasm] = got;
    native!.p.forEach((x, i) => expect(Math.abs(x - wasm!.p[i]!)).toBeLessThan(1e-5));
    native!.v.forEach((v, i) =>
      v.forEach((x, j) => expect(Math.abs(x - wasm!.v[i]![j]!)).toBeLessThan(1e-4)),
    );
  });

  it('an unknown backend is a ConfigError naming the choices', async () => {
    // @ts-expect-error: not a Backend
    await expect(Classifier.load(out, { backend: 'gpu' })).rejects.toThrow(
      "backend 'gpu': expected one of auto, native, wasm",
    );
  });
});

describe('Classifier.encoder()', () => {
  it('embeds as Encoder.load(folder) does, bit for bit, for every pooling and two layers', async () => {
    const clf = await Classifier.load(out, { numThreads: 2 });
    const shared = clf.encoder();
    const alone = await Encoder.load(out, { numThreads: 2 });
    expect(shared.engine).toBe(clf.engine);
    for (const opts of [
      { pooling: 'cls' },
      { pooling: 'mean', layers: [0, -1] },
      { pooling: 'pooled' },
    ] as const)
      expect(await shared.embed(TEXTS, opts)).toEqual(await alone.embed(TEXTS, opts));
    await Promise.all([clf.dispose(), shared.dispose(), alone.dispose()]);
  });

  it('shares the threads: they outlive the classifier until the encoder is disposed too', async () => {
    const clf = await Classifier.load(out, { numThreads: 2 });
    const enc = clf.encoder();
    const before = await enc.embed(TEXTS);
    await clf.dispose();
    expect(() => clf.predict(PAIRS)).toThrow('Classifier: used after dispose()');
    expect(await enc.embed(TEXTS)).toEqual(before);
    await enc.dispose();
    expect(() => enc.embed(TEXTS)).toThrow('Encoder: used after dispose()');
  });
});

describe("bert serve's model (loadServedModel)", () => {
  it('a classifier folder is loaded once: one engine, its encoder on the same weights', async () => {
    const start = vi.spyOn(Session, 'start');
    const sizes = { numThreads: 2, backend: 'auto', maxBatchSize: 8, maxSeqLength: null } as const;
    const m = await loadServedModel(out, sizes);
    expect(start).toHaveBeenCalledTimes(1);
    start.mockRestore();
    const enc = await Encoder.load(out, { numThreads: 2, batchSize: 8 });
    const clf = await Classifier.load(out, { numThreads: 2, batchSize: 8 });
    expect(await m.embed(TEXTS, 'mean')).toEqual(await enc.embed(TEXTS, { pooling: 'mean' }));
    expect(await m.predict(PAIRS)).toEqual(await clf.predict(PAIRS));
    expect(m.engine).toBe(enc.engine);
    await Promise.all([m.dispose(), enc.dispose(), clf.dispose()]);
  });
});
