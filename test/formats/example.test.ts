import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bytesFeature,
  decodeExample,
  encodeExample,
  floatFeature,
  intFeature,
  type Feature,
} from '../../src/formats/example.js';
import { readTFRecords } from '../../src/formats/tfrecord.js';
import { FormatError } from '../../src/util/errors.js';
import { SHARED } from '../shared.js';

type Values = Record<string, number[]>;
interface FileSummary {
  num_records: number;
  features: Record<string, { kind: 'int64' | 'float'; length: number }>;
  first_record: Values;
  last_record: Values;
  label_counts?: Record<string, number>;
  next_sentence_label_counts?: Record<string, number>;
  total_masked_positions?: number;
}
const SUMMARY = JSON.parse(
  readFileSync(join(SHARED, 'fixtures/tfrecord/EXPECTED_summary.json'), 'utf8'),
) as Record<string, FileSummary>;

const FILES = [
  'tfrecord/run_classifier_mrpc_seq128/train.tf_record',
  'tfrecord/run_classifier_mrpc_seq128/eval.tf_record',
  'tfrecord/create_pretraining_data_sample_text/tf_examples.tfrecord',
];

function decodeFile(rel: string): Map<string, Feature>[] {
  const path = join(SHARED, 'fixtures', rel);
  return [...readTFRecords(path)].map((r, i) => decodeExample(r, `${path}: record ${i}`));
}

function plain(ex: Map<string, Feature>): Values {
  const out: Values = {};
  for (const [k, f] of ex) {
    if (f.kind === 'bytes') throw new Error(`unexpected bytes feature ${k}`);
    out[k] = f.values;
  }
  return out;
}

function countOf(examples: Map<string, Feature>[], key: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const ex of examples) {
    const v = String(ex.get(key)?.values[0]);
    counts[v] = (counts[v] ?? 0) + 1;
  }
  return counts;
}

describe.each(FILES)('decodeExample on %s (exact, against EXPECTED_summary.json)', (rel) => {
  const want = SUMMARY[rel]!;
  const examples = decodeFile(rel);

  it('has the expected record count and feature kinds/lengths in every record', () => {
    expect(examples.length).toBe(want.num_records);
    const signature = (ex: Map<string, Feature>) =>
      JSON.stringify([...ex].map(([k, f]) => [k, f.kind, f.values.length]).sort());
    const wantSignature = JSON.stringify(
      Object.entries(want.features)
        .map(([k, spec]) => [k, spec.kind, spec.length])
        .sort(),
    );
    expect(new Set(examples.map(signature))).toEqual(new Set([wantSignature]));
  });

  it('first and last records equal the independent decode', () => {
    expect(plain(examples[0]!)).toEqual(want.first_record);
    expect(plain(examples.at(-1)!)).toEqual(want.last_record);
  });

  it('label counts match', () => {
    if (want.label_counts) expect(countOf(examples, 'label_ids')).toEqual(want.label_counts);
    if (want.next_sentence_label_counts)
      expect(countOf(examples, 'next_sentence_labels')).toEqual(want.next_sentence_label_counts);
    if (want.total_masked_positions !== undefined) {
      const total = examples.reduce(
        (s, ex) => s + (ex.get('masked_lm_weights')?.values.filter((w) => w !== 0).length ?? 0),
        0,
      );
      expect(total).toBe(want.total_masked_positions);
    }
  });

  it('re-encoding every decoded record decodes to identical features', () => {
    expect(examples.map((ex) => decodeExample(encodeExample(ex)))).toEqual(examples);
  });
});

describe('encodeExample', () => {
  it("re-encodes Google's MRPC records byte for byte (same insertion order, packed lists)", () => {
    const path = join(SHARED, 'fixtures/tfrecord/run_classifier_mrpc_seq128/eval.tf_record');
    const records = [...readTFRecords(path)];
    const same = records.filter((r) => Buffer.compare(encodeExample(decodeExample(r)), r) === 0);
    expect(same.length).toBe(408);
  });

  it('round-trips int64 extremes, float32 rounding, bytes and empty lists', () => {
    const ex = new Map<string, Feature>([
      ['ints', intFeature([0, 1, -1, 2 ** 53 - 1, -(2 ** 53 - 1)])],
      ['floats', floatFeature([0.1, -2.5, 1e-30])],
      ['text', bytesFeature(['héllo', new Uint8Array([0, 255])])],
      ['empty', intFeature([])],
    ]);
    const back = decodeExample(encodeExample(ex));
    expect([...back.keys()]).toEqual(['ints', 'floats', 'text', 'empty']);
    expect(back.get('ints')).toEqual(ex.get('ints'));
    // float32 storage: 0.1 comes back as Math.fround(0.1) exactly.
    expect(back.get('floats')?.values).toEqual([Math.fround(0.1), -2.5, Math.fround(1e-30)]);
    expect(back.get('text')?.values).toEqual([
      new Uint8Array([0x68, 0xc3, 0xa9, 0x6c, 0x6c, 0x6f]),
      new Uint8Array([0, 255]),
    ]);
    expect(back.get('empty')).toEqual({ kind: 'int64', values: [] });
  });

  it('rejects an int64 value outside the safe range', () => {
    expect(() => encodeExample([['x', intFeature([2 ** 53])]])).toThrow(
      "feature 'x': int64 value 9007199254740992 is not a safe integer",
    );
  });
});

describe('decodeExample errors', () => {
  it('names the place of malformed bytes', () => {
    // field 1, length-delimited, claims 200 bytes but only 2 follow.
    const bad = new Uint8Array([10, 200, 1, 2, 3]);
    expect(() => decodeExample(bad, 'f.tfrecord: record 7')).toThrow(FormatError);
    expect(() => decodeExample(bad, 'f.tfrecord: record 7')).toThrow(
      /^f\.tfrecord: record 7: not a valid tf\.train\.Example \(5 bytes\)/,
    );
  });

  it('rejects an int64 beyond 2^53 on the wire', () => {
    // Example{features{feature{"x": Feature{int64_list{value: [2^60]}}}}}, built by hand.
    const varint = [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10];
    const int64List = [10, varint.length, ...varint];
    const feature = [26, int64List.length, ...int64List];
    const entry = [10, 1, 0x78, 18, feature.length, ...feature];
    const features = [10, entry.length, ...entry];
    const example = new Uint8Array([10, features.length, ...features]);
    expect(() => decodeExample(example, 'r 0')).toThrow(
      "r 0: feature 'x': int64 value 1152921504606846976 is outside ±2^53",
    );
  });

  it('rejects a feature with no value list', () => {
    const entry = [10, 1, 0x78, 18, 0];
    const example = new Uint8Array([10, entry.length + 2, 10, entry.length, ...entry]);
    expect(() => decodeExample(example, 'r 1')).toThrow("r 1: feature 'x' has no value list");
  });
});
