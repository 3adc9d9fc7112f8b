// run_classifier's data side: examples → InputFeatures → {train,eval,predict}.tf_record (written
// as the original writes them, then read back as its input_fn does), held in packed arrays, and
// cut into batches. A batch is padded only to its own longest example (input_mask sums) unless
// padToMax: attention never looks at padding (mask −10000) and the pooled output reads token 0,
// so the results are the same up to float rounding, for less work.
// Shapes: N examples, T = max_seq_length, B batch, Tb = the batch's sequence length.
import type { FloatArray, Kernels } from '../../engine/kernels.js';
import {
  fileBasedConvertExamplesToFeatures,
  readFeaturesTFRecord,
} from '../../data/classifier_tfrecord.js';
import type { ExampleTokenizer, InputFeatures } from '../../data/features.js';
import type { InputExample } from '../../data/glue/processor.js';
import type { BertBatch } from '../../model/bert_model.js';
import type { ClassifierLabels } from '../../model/heads/classifier.js';
import { check } from '../../util/errors.js';
import type { Logger } from '../../util/log.js';
import { batchSeqLength } from '../batches.js';

/** Features of one split, packed: inputIds/inputMask/segmentIds are (N,T) row-major. */
export interface FeatureTable {
  readonly count: number;
  readonly seqLength: number;
  readonly inputIds: Int32Array;
  readonly inputMask: Int32Array;
  readonly segmentIds: Int32Array;
  /** Class ids, or scores for regression. */
  readonly labels: Float64Array;
  /** Real tokens per example (Σ input_mask). */
  readonly lengths: Int32Array;
}

/** Packs features of max_seq_length T into a FeatureTable. */
export function packFeatures(features: readonly InputFeatures[], T: number): FeatureTable {
  const N = features.length;
  const t: FeatureTable = {
    count: N,
    seqLength: T,
    inputIds: new Int32Array(N * T),
    inputMask: new Int32Array(N * T),
    segmentIds: new Int32Array(N * T),
    labels: new Float64Array(N),
    lengths: new Int32Array(N),
  };
  features.forEach((f, i) => {
    t.inputIds.set(f.inputIds, i * T);
    t.inputMask.set(f.inputMask, i * T);
    t.segmentIds.set(f.segmentIds, i * T);
    t.labels[i] = f.labelId;
    t.lengths[i] = f.inputMask.reduce((a, b) => a + b, 0);
  });
  return t;
}

/**
 * file_based_convert_examples_to_features into `path`, then the records read back (as the
 * original's input_fn reads them) and packed.
 */
export function writeAndReadFeatures(
  examples: readonly InputExample[],
  labelList: readonly string[],
  maxSeqLength: number,
  tokenizer: ExampleTokenizer,
  path: string,
  logger: Logger,
): FeatureTable {
  fileBasedConvertExamplesToFeatures(examples, labelList, maxSeqLength, tokenizer, path, logger);
  return packFeatures(readFeaturesTFRecord(path, maxSeqLength), maxSeqLength);
}

export interface ClassifierBatch {
  readonly batch: BertBatch;
  readonly labels: ClassifierLabels;
  /** Real tokens in the batch. */
  readonly tokens: number;
}

/** Batch buffers allocated once from the kernel set (wasm kernels read ids from its memory). */
export class BatchAssembler<A extends FloatArray> {
  private readonly ids: Int32Array;
  private readonly mask: Int32Array;
  private readonly seg: Int32Array;
  private readonly classes: Int32Array;
  private readonly scores: A;

  constructor(
    k: Kernels<A>,
    private readonly maxBatch: number,
    maxSeq: number,
    private readonly regression: boolean,
    private readonly padToMax: boolean,
  ) {
    [this.ids, this.mask, this.seg] = [0, 1, 2].map(() => k.allocInt(maxBatch * maxSeq)) as [
      Int32Array,
      Int32Array,
      Int32Array,
    ];
    this.classes = k.allocInt(maxBatch);
    this.scores = k.alloc(maxBatch);
  }

  /** The examples `indices` of `t` as one batch (B = indices.length ≤ maxBatch). */
  assemble(t: FeatureTable, indices: ArrayLike<number>): ClassifierBatch {
    const B = indices.length;
    check(B >= 1 && B <= this.maxBatch, () => `internal: batch of ${B} > ${this.maxBatch}`);
    const lengths = Array.from(indices, (i) => t.lengths[i]!);
    const Tb = batchSeqLength(lengths, t.seqLength, this.padToMax);
    let tokens = 0;
    for (let b = 0; b < B; b++) {
      const i = indices[b]!;
      const from = i * t.seqLength;
      this.ids.set(t.inputIds.subarray(from, from + Tb), b * Tb);
      this.mask.set(t.inputMask.subarray(from, from + Tb), b * Tb);
      this.seg.set(t.segmentIds.subarray(from, from + Tb), b * Tb);
      if (this.regression) this.scores[b] = t.labels[i]!;
      else this.classes[b] = t.labels[i]!;
      tokens += lengths[b]!;
    }
    const n = B * Tb;
    const batch: BertBatch = {
      batchSize: B,
      seqLength: Tb,
      inputIds: this.ids.subarray(0, n),
      inputMask: this.mask.subarray(0, n),
      segmentIds: this.seg.subarray(0, n),
    };
    const labels = this.regression ? this.scores.subarray(0, B) : this.classes.subarray(0, B);
    return { batch, labels, tokens };
  }
}

/** Consecutive index ranges [0, size), [size, 2·size) … of n examples; the last may be short. */
export function* inOrderBatches(n: number, size: number): Generator<Int32Array> {
  for (let s = 0; s < n; s += size) {
    const idx = new Int32Array(Math.min(size, n - s));
    for (let j = 0; j < idx.length; j++) idx[j] = s + j;
    yield idx;
  }
}
