// run_classifier on the browser host's in-memory file system, in Node: the shipped Brown
// BERT-Tiny and an MRPC slice go in with putFile, the run reads and writes only there (nothing on
// disk), and the output_dir read back with getFile is the Node run's, file for file — the same
// eval_results.txt, predictions and checkpoint bytes. Then a page's path through the API:
// Classifier.fineTune on rows read from memory, predict, save, load again — all in memory, with
// the same evaluation as the run before. Only the browser host's Web Workers and
// fetch of the .wasm cannot run in Node: those two come from the Node host here (the Chromium
// test covers them).
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Classifier } from '../../src/api/classifier.js';
import { nativeAvailable } from '../../src/engine/index.js';
import type { LabeledPair } from '../../src/api/fine_tune.js';
import { browserHost, getFile, listFiles, PACKAGE_DIR, putFile } from '../../src/host/browser.js';
import { installHost } from '../../src/host/host.js';
import { nodeHost } from '../../src/host/node.js';
import { runClassifier } from '../../src/train/runners/run_classifier.js';
import { BROWN, mrpcSlice, runOptions } from '../api/mrpc_run.js';

installHost(nodeHost); // importing host/browser.js installed the browser host
afterAll(() => installHost(nodeHost));

/** Every file under `dir` on disk, as paths relative to it. */
function diskFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
}

/** The events file carries the host name and the wall clock: it differs between any two runs. */
const isEvents = (f: string): boolean => f.includes('events.out.tfevents.');

const MODEL = `${PACKAGE_DIR}/models/uncased_L-2_H-128_A-2_brown`;
let node: { data: string; out: string };

beforeAll(async () => {
  // WebAssembly in Node too: a browser has no native kernels (the two backends may round apart).
  const data = mkdtempSync(join(tmpdir(), 'bert-host-mrpc-'));
  mrpcSlice(data);
  node = { data, out: join(data, 'out') };
  await runClassifier({ ...runOptions(data, node.out), backend: 'wasm' });
  for (const f of diskFiles(BROWN)) putFile(`${MODEL}/${f}`, readFileSync(join(BROWN, f)));
  for (const split of ['train', 'dev', 'test'])
    putFile(`/mrpc/${split}.tsv`, readFileSync(join(node.data, `${split}.tsv`)));
});

/** Runs `f` on the browser host, its Web Workers and .wasm fetch swapped for the Node host's. */
async function onBrowserHost<T>(f: () => Promise<T>): Promise<T> {
  installHost({
    ...browserHost,
    spawnPoolWorker: nodeHost.spawnPoolWorker,
    kernelWasm: nodeHost.kernelWasm,
    enableRelaxedSimd: nodeHost.enableRelaxedSimd,
  });
  try {
    return await f();
  } finally {
    installHost(nodeHost);
  }
}

/** MRPC rows of the slice in memory, as a page holds them after reading a TSV. */
function memoryRows(split: string): LabeledPair[] {
  const lines = new TextDecoder()
    .decode(getFile(`/mrpc/${split}.tsv`))
    .trimEnd()
    .split('\n');
  return lines.slice(1).map((l) => {
    const c = l.split('\t');
    return { label: c[0]!, textA: c[3]!, textB: c[4]! };
  });
}

describe('run_classifier on the browser host', () => {
  it('writes the same output_dir into memory as the Node run writes to disk', async () => {
    await onBrowserHost(() =>
      runClassifier({
        ...runOptions('/mrpc', '/mrpc/out'),
        vocabFile: `${MODEL}/vocab.txt`,
        bertConfigFile: `${MODEL}/bert_config.json`,
        initCheckpoint: `${MODEL}/bert_model.ckpt`,
      }),
    );
    expect(existsSync('/mrpc')).toBe(false); // nothing went to disk
    const memory = listFiles('/mrpc/out').map((f) => f.slice('/mrpc/out/'.length));
    const disk = diskFiles(node.out);
    expect(memory.filter((f) => !isEvents(f))).toEqual(disk.filter((f) => !isEvents(f)));
    const events = memory.filter(isEvents);
    expect(events).toHaveLength(disk.filter(isEvents).length);
    for (const f of events) expect(f).toMatch(/\.browser$/); // the browser host's hostname
    const evalResults = new TextDecoder().decode(getFile('/mrpc/out/eval_results.txt'));
    expect(evalResults).toMatch(/^eval_accuracy = 0\.\d+\n/);
    // Hashes: a deep equality of the 52 MB checkpoints would take minutes.
    const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
    for (const f of disk.filter((f) => !isEvents(f)))
      expect(sha(getFile(`/mrpc/out/${f}`)), f).toBe(sha(readFileSync(join(node.out, f))));
  });

  it('fine-tunes, predicts, saves and loads with the Classifier API in memory (a page’s path)', async () => {
    const { predictions, reloaded, native } = await onBrowserHost(async () => {
      const clf = await Classifier.fineTune({
        init: MODEL,
        labels: ['0', '1'],
        train: memoryRows('train'),
        eval: memoryRows('dev'),
        epochs: 1,
        learningRate: 1e-4,
        batchSize: 8,
        maxSeqLength: 128,
        seed: 1,
        taskName: 'MRPC',
        outputDir: '/ft/out',
        numThreads: 2,
      });
      const pairs = memoryRows('test').slice(0, 5);
      const predictions = await clf.predict(pairs);
      await clf.save('/ft/saved');
      await clf.dispose();
      const loaded = await Classifier.load('/ft/saved', { numThreads: 1 });
      const reloaded = await loaded.predict(pairs);
      await loaded.dispose();
      return { predictions, reloaded, native: nativeAvailable() };
    });
    expect(native).toBe(false); // the browser host has no native kernels: WebAssembly ran
    expect(existsSync('/ft')).toBe(false);
    // The same run as run_classifier's above (same rows, flags and seed): the same evaluation.
    expect(new TextDecoder().decode(getFile('/ft/out/eval_results.txt'))).toBe(
      readFileSync(join(node.out, 'eval_results.txt'), 'utf8'),
    );
    expect(predictions).toHaveLength(5);
    expect(reloaded).toEqual(predictions);
    expect(listFiles('/ft/saved')).toEqual(
      expect.arrayContaining([
        '/ft/saved/bert_config.json',
        '/ft/saved/bert_ts.json',
        '/ft/saved/vocab.txt',
      ]),
    );
  });
});
