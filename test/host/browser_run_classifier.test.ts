// run_classifier on the browser host's in-memory file system, in Node: the shipped Brown
// BERT-Tiny and an MRPC slice go in with putFile, the run reads and writes only there (nothing on
// disk), and the output_dir read back with getFile is the Node run's, file for file — the same
// eval_results.txt, predictions and checkpoint bytes. Only the browser host's Web Workers and
// fetch of the .wasm cannot run in Node: those two come from the Node host here (the Chromium
// test covers them).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { browserHost, getFile, listFiles, PACKAGE_DIR, putFile } from '../../src/host/browser.js';
import { installHost } from '../../src/host/host.js';
import { nodeHost } from '../../src/host/node.js';
import { runClassifier } from '../../src/train/runners/run_classifier.js';
import { BROWN, runOptions, shortMrpcRun } from '../api/mrpc_run.js';

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

describe('run_classifier on the browser host', () => {
  it('writes the same output_dir into memory as the Node run writes to disk', async () => {
    const node = await shortMrpcRun();
    const model = `${PACKAGE_DIR}/models/uncased_L-2_H-128_A-2_brown`;
    for (const f of diskFiles(BROWN)) putFile(`${model}/${f}`, readFileSync(join(BROWN, f)));
    for (const split of ['train', 'dev', 'test'])
      putFile(`/mrpc/${split}.tsv`, readFileSync(join(node.data, `${split}.tsv`)));
    installHost({
      ...browserHost,
      spawnPoolWorker: nodeHost.spawnPoolWorker,
      kernelWasm: nodeHost.kernelWasm,
      enableRelaxedSimd: nodeHost.enableRelaxedSimd,
    });
    try {
      await runClassifier({
        ...runOptions('/mrpc', '/mrpc/out'),
        vocabFile: `${model}/vocab.txt`,
        bertConfigFile: `${model}/bert_config.json`,
        initCheckpoint: `${model}/bert_model.ckpt`,
      });
    } finally {
      installHost(nodeHost);
    }
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
});
