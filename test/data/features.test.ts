import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  featuresToExample,
  fileBasedConvertExamplesToFeatures,
  readFeaturesTFRecord,
  writeFeaturesTFRecord,
} from '../../src/data/classifier_tfrecord.js';
import {
  convertExamplesToFeatures,
  convertSingleExample,
  truncateSeqPair,
  type ExampleTokenizer,
} from '../../src/data/features.js';
import type { InputExample } from '../../src/data/glue/processor.js';
import { getProcessor } from '../../src/data/glue/registry.js';
import { decodeExample, encodeExample, intFeature } from '../../src/formats/example.js';
import { readTFRecords, TFRecordWriter } from '../../src/formats/tfrecord.js';
import { FullTokenizer } from '../../src/tokenization/full.js';
import { FormatError, UsageError } from '../../src/util/errors.js';
import { collectingLogger } from '../../src/util/log.js';
import { SHARED } from '../shared.js';

const RECORDS = join(SHARED, 'fixtures/tfrecord/run_classifier_mrpc_seq128');
const tmp = mkdtempSync(join(tmpdir(), 'features-'));

describe("MRPC features equal Google's run_classifier tf_records (exact, every record)", () => {
  const tokenizer = FullTokenizer.fromFile(join(SHARED, 'vocab/uncased/vocab.txt'), true);
  const mrpc = getProcessor('mrpc');
  const dir = join(SHARED, 'glue/MRPC');

  it.each([
    ['train', 3668, () => mrpc.getTrainExamples(dir)],
    ['eval', 408, () => mrpc.getDevExamples(dir)],
  ] as const)('%s.tf_record: %i records', (name, count, examples) => {
    const got = convertExamplesToFeatures(examples(), mrpc.getLabels(), 128, tokenizer);
    const want = readFeaturesTFRecord(join(RECORDS, `${name}.tf_record`), 128);
    expect(want.length).toBe(count);
    expect(got.length).toBe(count);
    for (let i = 0; i < count; i++) expect([i, got[i]]).toEqual([i, want[i]]);
    const out = join(tmp, `${name}.written.tf_record`);
    expect(writeFeaturesTFRecord(out, got)).toBe(count);
    expect(Buffer.compare(readFileSync(out), readFileSync(join(RECORDS, `${name}.tf_record`)))).toBe(0);
  });

  it('writing the dev features gives eval.tf_record byte for byte', () => {
    const out = join(tmp, 'eval.tf_record');
    const n = fileBasedConvertExamplesToFeatures(
      mrpc.getDevExamples(dir),
      mrpc.getLabels(),
      128,
      tokenizer,
      out,
    );
    expect(n).toBe(408);
    expect(Buffer.compare(readFileSync(out), readFileSync(join(RECORDS, 'eval.tf_record')))).toBe(0);
  });
});

// A whitespace tokenizer over a tiny vocabulary, so truncation cases are easy to read.
const VOCAB = ['[PAD]', '[CLS]', '[SEP]', 'a1', 'a2', 'a3', 'a4', 'a5', 'b1', 'b2', 'b3', 'b4'];
const tiny: ExampleTokenizer = {
  tokenize: (text) => text.split(' ').filter((t) => t !== ''),
  convertTokensToIds: (tokens) => tokens.map((t) => VOCAB.indexOf(t)),
};
const ex = (textA: string, textB: string | null, label = '1', guid = 'g-1'): InputExample => ({
  guid,
  textA,
  textB,
  label,
});
const tokensOf = (ids: number[]) => ids.filter((_, i) => i === 0 || ids[i] !== 0).map((i) => VOCAB[i]);

describe('convertSingleExample layout and truncation', () => {
  it('pair: [CLS] a [SEP] b [SEP], segments, mask, zero padding', () => {
    const f = convertSingleExample(9, ex('a1 a2', 'b1'), ['0', '1'], 8, tiny);
    expect(f).toEqual({
      inputIds: [1, 3, 4, 2, 8, 2, 0, 0],
      inputMask: [1, 1, 1, 1, 1, 1, 0, 0],
      segmentIds: [0, 0, 0, 0, 1, 1, 0, 0],
      labelId: 1,
      isRealExample: true,
    });
  });

  it('pair truncation pops from the longer side, b on ties, to max_seq_length - 3', () => {
    const f = convertSingleExample(9, ex('a1 a2 a3 a4 a5', 'b1 b2 b3'), ['1'], 8, tiny);
    expect(tokensOf(f.inputIds)).toEqual(['[CLS]', 'a1', 'a2', 'a3', '[SEP]', 'b1', 'b2', '[SEP]']);
    const a = ['a1', 'a2', 'a3'];
    const b = ['b1', 'b2', 'b3'];
    truncateSeqPair(a, b, 4);
    expect([a, b]).toEqual([
      ['a1', 'a2'],
      ['b1', 'b2'],
    ]);
    truncateSeqPair(a, b, 3);
    expect([a, b]).toEqual([['a1', 'a2'], ['b1']]);
  });

  it('single text truncates to max_seq_length - 2; an empty or token-less b counts as single', () => {
    const single = convertSingleExample(9, ex('a1 a2 a3 a4 a5', null), ['1'], 5, tiny);
    expect(tokensOf(single.inputIds)).toEqual(['[CLS]', 'a1', 'a2', 'a3', '[SEP]']);
    for (const b of ['', '   ']) {
      const f = convertSingleExample(9, ex('a1 a2 a3 a4 a5', b), ['1'], 5, tiny);
      expect(f).toEqual(single);
    }
  });

  it('no padding when padToMax is false', () => {
    const f = convertSingleExample(9, ex('a1', 'b1'), ['1'], 128, tiny, undefined, false);
    expect(f.inputIds).toEqual([1, 3, 2, 8, 2]);
    expect(f.segmentIds).toEqual([0, 0, 0, 1, 1]);
    const list = convertExamplesToFeatures([ex('a1 a2 a3', 'b1 b2')], ['1'], 6, tiny, undefined, false);
    expect(list[0]!.inputIds).toEqual([1, 3, 4, 2, 8, 2]);
    expect(list[0]!.inputMask).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('regression: an empty label list makes the score the label id', () => {
    expect(convertSingleExample(9, ex('a1', 'b1', '3.800'), [], 8, tiny).labelId).toBe(3.8);
    expect(() => convertSingleExample(9, ex('a1', 'b1', 'x', 'dev-3'), [], 8, tiny)).toThrow(
      "example dev-3: score 'x' is not a number",
    );
  });

  it('errors: unknown label, max_seq_length too small for a pair', () => {
    expect(() => convertSingleExample(0, ex('a1', null, '7', 'train-4'), ['0', '1'], 8, tiny)).toThrow(
      "example train-4: label '7' is not one of 0, 1",
    );
    expect(() => convertSingleExample(0, ex('a1', 'b1'), ['1'], 2, tiny)).toThrow(UsageError);
    expect(convertSingleExample(0, ex('a1', null), ['1'], 2, tiny).inputIds).toEqual([1, 2]);
  });
});

describe('logging as run_classifier', () => {
  it('logs the first 5 examples and "Writing example" every 10000', () => {
    const log = collectingLogger();
    const examples = Array.from({ length: 7 }, (_, i) => ex('a1 a2', 'b1', '0', `train-${i + 1}`));
    convertExamplesToFeatures(examples, ['0', '1'], 6, tiny, log);
    expect(log.lines.length).toBe(1 + 5 * 7);
    expect(log.lines.slice(0, 8)).toEqual([
      'INFO:Writing example 0 of 7',
      'INFO:*** Example ***',
      'INFO:guid: train-1',
      'INFO:tokens: [CLS] a1 a2 [SEP] b1 [SEP]',
      'INFO:input_ids: 1 3 4 2 8 2',
      'INFO:input_mask: 1 1 1 1 1 1',
      'INFO:segment_ids: 0 0 0 0 1 1',
      'INFO:label: 0 (id = 0)',
    ]);
    expect(log.lines.at(-7)).toBe('INFO:*** Example ***');
    expect(log.lines.at(-6)).toBe('INFO:guid: train-5');
  });
});

const f = { inputIds: [1, 3, 2], inputMask: [1, 1, 1], segmentIds: [0, 0, 0], labelId: 1, isRealExample: false };

describe('run_classifier tf_record schema', () => {

  it('writes the five features in the wire order of Google’s MRPC run; regression labels as float32', () => {
    expect([...decodeExample(featuresToExample(f)).entries()]).toEqual([
      ['input_ids', { kind: 'int64', values: [1, 3, 2] }],
      ['is_real_example', { kind: 'int64', values: [0] }],
      ['input_mask', { kind: 'int64', values: [1, 1, 1] }],
      ['label_ids', { kind: 'int64', values: [1] }],
      ['segment_ids', { kind: 'int64', values: [0, 0, 0] }],
    ]);
    const path = join(tmp, 'stsb.tf_record');
    writeFeaturesTFRecord(path, [{ ...f, labelId: 3.8, isRealExample: true }], true);
    expect(decodeExample([...readTFRecords(path)][0]!).get('label_ids')).toEqual({
      kind: 'float',
      values: [Math.fround(3.8)],
    });
    expect(readFeaturesTFRecord(path)[0]!.labelId).toBe(Math.fround(3.8));
  });

  it('a bad example leaves no partial output file (nor its temporary)', () => {
    const examples = [ex('a1', null, '0', 'train-1'), ex('a1', null, '9', 'train-2')];
    expect(() =>
      fileBasedConvertExamplesToFeatures(examples, ['0', '1'], 8, tiny, join(tmp, 'partial.tf_record')),
    ).toThrow("example train-2: label '9' is not one of 0, 1");
    expect(readdirSync(tmp).filter((n) => n.startsWith('partial'))).toEqual([]);
  });
});

describe('readFeaturesTFRecord errors name the record', () => {
  const good = readFileSync(join(RECORDS, 'eval.tf_record'));

  it('a corrupted record', () => {
    const bytes = new Uint8Array(good);
    bytes[573 * 2 + 40]! ^= 0x01; // inside record 2 (records are 573 or more bytes)
    const path = join(tmp, 'corrupt.tf_record');
    writeFileSync(path, bytes);
    expect(() => readFeaturesTFRecord(path)).toThrow(FormatError);
    expect(() => readFeaturesTFRecord(path)).toThrow(new RegExp(`^${path}: record [12] at byte \\d+: payload crc32c`));
  });

  function fileOf(name: string, examples: Uint8Array[]): string {
    const path = join(tmp, name);
    const w = new TFRecordWriter(path);
    for (const e of examples) w.write(e);
    w.close();
    return path;
  }

  it('a missing feature, a wrong length, a bad is_real_example', () => {
    const ok = featuresToExample(f);
    const noLabel = encodeExample([['input_ids', intFeature([1])]]);
    expect(() => readFeaturesTFRecord(fileOf('a.tf_record', [ok, noLabel]))).toThrow(
      `${join(tmp, 'a.tf_record')}: record 1: no feature 'label_ids'`,
    );
    const longer = featuresToExample({ ...f, inputIds: [1, 2, 3, 4], inputMask: [1, 1, 1, 1], segmentIds: [0, 0, 0, 0] });
    expect(() => readFeaturesTFRecord(fileOf('b.tf_record', [ok, longer]))).toThrow(
      `${join(tmp, 'b.tf_record')}: record 1: feature 'input_ids' has 4 values, expected 3`,
    );
    // Records from before is_real_example existed read as real.
    const old = [...decodeExample(ok)].filter(([k]) => k !== 'is_real_example');
    expect(readFeaturesTFRecord(fileOf('old.tf_record', [encodeExample(old)]))[0]!.isRealExample).toBe(true);
    const decoded = decodeExample(ok);
    decoded.set('is_real_example', intFeature([2]));
    expect(() => readFeaturesTFRecord(fileOf('c.tf_record', [encodeExample(decoded)]))).toThrow(
      `${join(tmp, 'c.tf_record')}: record 0: feature 'is_real_example'[0] = 2, outside [0, 2) (0 or 1)`,
    );
  });

  it('values the model would misread: ids outside the tables, masks not 0/1, int64 beyond int32', () => {
    const limits = { vocabSize: 8, typeVocabSize: 2, configFile: 'cfg.json' };
    const bad = (name: string, feature: Partial<typeof f>): string =>
      fileOf(name, [featuresToExample(f), featuresToExample({ ...f, ...feature })]);
    const cases: [string, Partial<typeof f>, string][] = [
      ['ids.tf_record', { inputIds: [1, 8, 2] }, "'input_ids'[1] = 8, outside [0, 8) (vocab_size 8 of cfg.json)"],
      ['neg.tf_record', { inputIds: [1, -3, 2] }, "'input_ids'[1] = -3, outside [0, 8)"],
      ['seg.tf_record', { segmentIds: [0, 0, 2] }, "'segment_ids'[2] = 2, outside [0, 2) (type_vocab_size 2 of cfg.json)"],
      ['mask.tf_record', { inputMask: [1, 1, 7] }, "'input_mask'[2] = 7, outside [0, 2) (0 or 1)"],
      // 2^32 + 1996 would wrap to 1996 in an Int32Array (TF's to_int32 wraps it too)
      ['wrap.tf_record', { inputIds: [1, 2 ** 32 + 1996, 2] }, "'input_ids'[1] = 4294969292, outside [-2147483648, 2147483648) (int32)"],
    ];
    for (const [name, feature, msg] of cases)
      expect(() => readFeaturesTFRecord(bad(name, feature), 3, limits)).toThrow(
        `${join(tmp, name)}: record 1: feature ${msg}`,
      );
    expect(readFeaturesTFRecord(bad('fine.tf_record', { inputIds: [1, 7, 2] }), 3, limits)).toHaveLength(2);
  });
});
