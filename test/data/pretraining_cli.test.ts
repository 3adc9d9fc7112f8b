// `bert create_pretraining_data` and `bert prepare_corpus` as the CLI runs them: the original's
// flag names and defaults, globs and comma lists, output written only on success.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseFlags, type FlagTable } from '../../src/cli/flags.js';
import type { Script } from '../../src/cli/script.js';
import createPretrainingData from '../../src/cli/create_pretraining_data.js';
import prepareCorpus from '../../src/cli/prepare_corpus.js';
import { readTFRecords } from '../../src/formats/tfrecord.js';
import { SHARED } from '../shared.js';

const VOCAB = join(SHARED, 'vocab/uncased/vocab.txt');
const GOOGLE = join(
  SHARED,
  'fixtures/tfrecord/create_pretraining_data_sample_text/tf_examples.tfrecord',
);
let stderr: string[] = [];

beforeEach(() => {
  stderr = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    stderr.push(String(s));
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

async function runScript<F extends FlagTable>(script: Script<F>, argv: string[]): Promise<void> {
  const { flags, positional } = parseFlags(script.flags, argv);
  await script.main(flags, positional);
}

describe('bert create_pretraining_data', () => {
  it("has the original's flags with the original's defaults", () => {
    const { flags } = parseFlags(createPretrainingData.flags, []);
    expect(flags).toEqual({
      input_file: null,
      output_file: null,
      vocab_file: null,
      do_lower_case: true,
      do_whole_word_mask: false,
      max_seq_length: 128,
      max_predictions_per_seq: 20,
      random_seed: 12345,
      dupe_factor: 10,
      masked_lm_prob: 0.15,
      short_seq_prob: 0.1,
      streaming: false,
    });
  });
  it("README command on a glob: Google's 60 records, round-robin over two files", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cpd-cli-'));
    copyFileSync(join(SHARED, 'text/sample_text.txt'), join(dir, 'sample_text.txt'));
    const outs = [join(dir, 'a.tfrecord'), join(dir, 'b.tfrecord')];
    await runScript(createPretrainingData, [
      `--input_file=${join(dir, 'sample_*.txt')}`,
      `--output_file=${outs.join(',')}`,
      `--vocab_file=${VOCAB}`,
      '--do_lower_case=True',
      '--max_seq_length=128',
      '--max_predictions_per_seq=20',
      '--masked_lm_prob=0.15',
      '--random_seed=12345',
      '--dupe_factor=5',
    ]);
    const google = [...readTFRecords(GOOGLE)].length;
    const counts = outs.map((o) => [...readTFRecords(o)].length);
    expect(counts).toEqual([google / 2, google / 2]);
    const log = stderr.join('');
    expect(log).toContain(`INFO:bert:*** Reading from input files ***\nINFO:bert:  ${dir}/sample_text.txt\n`);
    expect(log).toContain('INFO:bert:Wrote 60 total instances\n');
  });
  it('a vocab without [MASK] is an error before any output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cpd-cli-'));
    const vocab = join(dir, 'vocab.txt');
    const lines = readFileSync(VOCAB, 'utf8').split('\n');
    writeFileSync(vocab, lines.filter((l) => l !== '[MASK]').join('\n'));
    await expect(
      runScript(createPretrainingData, [
        `--input_file=${join(SHARED, 'text/sample_text.txt')}`,
        `--output_file=${join(dir, 'out.tfrecord')}`,
        `--vocab_file=${vocab}`,
      ]),
    ).rejects.toThrow("no '[MASK]' entry");
    expect(readdirSync(dir)).toEqual(['vocab.txt']);
  });
});

describe('bert prepare_corpus', () => {
  it('writes the selected Brown documents, a blank line between them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'corpus-cli-'));
    const out = join(dir, 'brown.txt');
    await runScript(prepareCorpus, [`--output_file=${out}`, '--files=ca01,cr09']);
    const docs = readFileSync(out, 'utf8').split('\n\n');
    expect(docs).toHaveLength(2);
    expect(docs[0]!.startsWith('The Fulton County Grand Jury said Friday')).toBe(true);
    expect(stderr.join('')).toMatch(/Wrote .*brown\.txt: 2 documents, \d+ sentences/);
  });
});
