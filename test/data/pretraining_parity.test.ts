// create_pretraining_data against Google's own output (the 60 sample_text.txt instances its
// script wrote, PROVENANCE.md) and against the Python transcription's instances for other flag
// sets and inputs (refgen/pretraining/gen.py, exact: token strings, segments, labels, sha256).
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeExample } from '../../src/formats/example.js';
import { readTFRecords } from '../../src/formats/tfrecord.js';
import {
  createPretrainingData,
  type PretrainingDataOptions,
} from '../../src/data/pretraining/create_pretraining_data.js';
import { FullTokenizer } from '../../src/tokenization/full.js';
import { collectingLogger, silentLogger } from '../../src/util/log.js';
import { REPO, SHARED } from '../shared.js';
import {
  FIXTURES,
  expectFixtureInstances,
  resolveInput,
} from './pretraining_fixtures.js';

const VOCAB = join(SHARED, 'vocab/uncased/vocab.txt');
const SAMPLE = join(SHARED, 'text/sample_text.txt');
const GOOGLE = join(
  SHARED,
  'fixtures/tfrecord/create_pretraining_data_sample_text/tf_examples.tfrecord',
);
const UNCASED = FullTokenizer.fromFile(VOCAB, true);

/** The README's flags, with which Google wrote tf_examples.tfrecord. */
const README_FLAGS: PretrainingDataOptions = {
  maxSeqLength: 128,
  maxPredictionsPerSeq: 20,
  maskedLmProb: 0.15,
  shortSeqProb: 0.1,
  doWholeWordMask: false,
  dupeFactor: 5,
  randomSeed: 12345,
};

type Decoded = Record<string, number[]>;

function decodeFile(path: string): Decoded[] {
  return [...readTFRecords(path)].map((r, n) => {
    const out: Decoded = {};
    for (const [name, f] of decodeExample(r, `${path}: record ${n}`))
      out[name] = f.values as number[];
    return out;
  });
}

function run(inputs: string[], outputs: string[], opts = README_FLAGS, streaming = false): number {
  return createPretrainingData(UNCASED, opts, {
    inputFiles: inputs,
    outputFiles: outputs,
    streaming,
    log: silentLogger,
  });
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'cpd-'));

describe("create_pretraining_data vs Google's tf_examples.tfrecord", () => {
  const dir = tmp();
  const out = join(dir, 'tf_examples.tfrecord');
  const log = collectingLogger();
  const n = createPretrainingData(UNCASED, README_FLAGS, {
    inputFiles: [SAMPLE],
    outputFiles: [out],
    streaming: false,
    log,
  });
  const google = decodeFile(GOOGLE);
  const ours = decodeFile(out);

  it('writes the same 60 instances, record by record, every feature equal', () => {
    expect(n).toBe(60);
    expect(google).toHaveLength(60);
    ours.forEach((rec, i) => expect(rec, `record ${i}`).toEqual(google[i]));
  });
  it('has the 32/28 next-sentence split and 922 real masked positions of the original', () => {
    const labels = ours.map((r) => r.next_sentence_labels![0]);
    expect(labels.filter((l) => l === 1)).toHaveLength(32);
    const weights = ours.flatMap((r) => r.masked_lm_weights!);
    expect(weights.filter((w) => w === 1)).toHaveLength(922);
  });
  it('logs the first 20 instances and the total like the original', () => {
    expect(log.lines.filter((l) => l === 'INFO:*** Example ***')).toHaveLength(20);
    expect(log.lines.at(-1)).toBe('INFO:Wrote 60 total instances');
    const first = log.lines.indexOf('INFO:*** Example ***');
    expect(log.lines[first + 1]!.startsWith('INFO:tokens: [CLS] ')).toBe(true);
    expect(log.lines[first + 2]).toBe(`INFO:input_ids: ${google[0]!.input_ids!.join(' ')}`);
    const w = google[0]!.masked_lm_weights!.map((x) => (x === 1 ? '1.0' : '0.0')).join(' ');
    expect(log.lines[first + 7]).toBe(`INFO:masked_lm_weights: ${w}`);
    expect(log.lines[first + 8]).toBe(`INFO:next_sentence_labels: ${google[0]!.next_sentence_labels}`);
  });
  it('spreads instances round-robin over several output files', () => {
    const outs = [join(dir, 'a.tfrecord'), join(dir, 'b.tfrecord'), join(dir, 'c.tfrecord')];
    expect(run([SAMPLE], outs)).toBe(60);
    outs.forEach((o, k) =>
      expect(decodeFile(o)).toEqual(google.filter((_, i) => i % outs.length === k)),
    );
  });
  it('streaming a single file gives the same instances; with two files, the first file comes first', () => {
    const single = join(dir, 'streamed.tfrecord');
    run([SAMPLE], [single], README_FLAGS, true);
    expect(decodeFile(single)).toEqual(google);
    const edge = join(REPO, 'test/fixtures/pretraining/edge_cases.txt');
    const two = join(dir, 'two.tfrecord');
    const total = run([SAMPLE, edge], [two], README_FLAGS, true);
    const records = decodeFile(two);
    expect(records.slice(0, 60)).toEqual(google); // the rng starts fresh on the first file
    expect(total).toBe(records.length);
    expect(total).toBeGreaterThan(60);
  });
});

const sampleConfigs = FIXTURES.configs.filter((c) => !c.name.startsWith('brown'));
describe.each(sampleConfigs.map((c) => [c.name, c] as const))(
  'instances equal the Python transcription: %s',
  (_name, c) => {
    it(`${c.count} instances, the first ${c.first.length} token for token, all by sha256`, () => {
      expectFixtureInstances(c, c.inputs.map(resolveInput));
    });
  },
);

describe('bad input leaves no output', () => {
  it('invalid UTF-8 in an input: FormatError naming file and line, no output file', () => {
    const dir = tmp();
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, Buffer.from('fine line\n\nbroken \xff line\n', 'latin1'));
    const outs = [join(dir, 'x.tfrecord'), join(dir, 'y.tfrecord')];
    expect(() => run([SAMPLE, bad], outs)).toThrow(`${bad}: line 3 (byte 18): invalid UTF-8`);
    expect(() => run([SAMPLE, bad], outs, README_FLAGS, true)).toThrow(/line 3/);
    expect(readdirSync(dir)).toEqual(['bad.txt']);
  });
  it('flags the original would crash on deep inside are usage errors up front', () => {
    const dir = tmp();
    const out = [join(dir, 'x.tfrecord')];
    expect(() => run([SAMPLE], out, { ...README_FLAGS, maxSeqLength: 4 })).toThrow(
      '--max_seq_length=4: needs at least 5',
    );
    expect(() => run([SAMPLE], [''], README_FLAGS)).toThrow('--output_file: empty file name');
    expect(() => run([SAMPLE], [out[0]!, out[0]!])).toThrow('is listed twice');
    expect(() => run([SAMPLE], [join(dir, 'no/such/dir.tfrecord')])).toThrow(
      /dir.tfrecord: cannot write the output file: its directory does not exist/,
    );
    expect(readdirSync(dir)).toEqual([]);
  });
});
