// Batches for run_classifier from Google's own MRPC eval.tf_record (TF 1.15 run): each batch is
// cut to its longest example, rows keep their real tokens, and in-order batches end short.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFeaturesTFRecord } from '../../src/data/classifier_tfrecord.js';
import { createReferenceKernels } from '../../src/engine/reference/index.js';
import { BatchAssembler, packFeatures } from '../../src/train/runners/classifier_data.js';
import { inOrderBatches } from '../../src/train/sequence_batch.js';
import { SHARED } from '../shared.js';

const EVAL = join(SHARED, 'fixtures/tfrecord/run_classifier_mrpc_seq128/eval.tf_record');
const features = readFeaturesTFRecord(EVAL);
const table = packFeatures(features, 128);
const realLength = (i: number) => features[i]!.inputMask.reduce((a, b) => a + b, 0);

describe('packFeatures on the real MRPC eval.tf_record', () => {
  it('holds 408 examples, labels 279 × 1, and each length = Σ input_mask', () => {
    expect(table.count).toBe(408);
    expect(table.labels.reduce((a, b) => a + b, 0)).toBe(279);
    for (let i = 0; i < 408; i++) expect(table.lengths[i]).toBe(realLength(i));
    expect(table.inputIds[0]).toBe(101); // [CLS]
  });
});

describe('BatchAssembler', () => {
  const k = createReferenceKernels('f32');
  it('cuts a batch to its longest example and keeps every real token', () => {
    const asm = new BatchAssembler(k, 8, 128, false, false);
    const idx = [0, 1, 2, 3];
    const { batch, labels, tokens } = asm.assemble(table, idx);
    const T = Math.max(...idx.map(realLength));
    expect(batch.seqLength).toBe(T);
    expect(batch.batchSize).toBe(4);
    expect(tokens).toBe(idx.map(realLength).reduce((a, b) => a + b, 0));
    for (const [b, i] of idx.entries()) {
      expect(Array.from(batch.inputIds.subarray(b * T, (b + 1) * T))).toEqual(
        features[i]!.inputIds.slice(0, T),
      );
      expect(Array.from(batch.segmentIds!.subarray(b * T, (b + 1) * T))).toEqual(
        features[i]!.segmentIds.slice(0, T),
      );
      expect(labels[b]).toBe(features[i]!.labelId);
    }
  });
  it('pads to max_seq_length when asked (the original)', () => {
    const asm = new BatchAssembler(k, 8, 128, false, true);
    const { batch } = asm.assemble(table, [5, 6]);
    expect(batch.seqLength).toBe(128);
    expect(Array.from(batch.inputMask!.subarray(128, 256))).toEqual(features[6]!.inputMask);
  });
  it('refuses a batch larger than its buffers', () => {
    const asm = new BatchAssembler(k, 2, 128, false, false);
    expect(() => asm.assemble(table, [0, 1, 2])).toThrow(/internal: batch of 3 > 2/);
  });
});

describe('inOrderBatches', () => {
  it('408 dev examples in batches of 8 → 51 full batches; 10 in 4s → 4, 4, 2', () => {
    expect([...inOrderBatches(408, 8)]).toHaveLength(51);
    expect([...inOrderBatches(10, 4)].map((b) => Array.from(b))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
  });
});
