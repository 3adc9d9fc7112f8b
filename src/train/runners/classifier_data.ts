// run_classifier's data side: examples → InputFeatures → {train,eval,predict}.tf_record (written
// as the original writes them, then read back as its input_fn does), held in packed arrays, and
// cut into batches (train/sequence_batch.ts). A batch is padded only to its own longest example
// unless padToMax: the pooled output reads token 0, so the results are the same up to float
// rounding, for less work.
// Shapes: N examples, T = max_seq_length, B batch, Tb = the batch's sequence length.
import type { FloatArray, Kernels } from '../../engine/kernels.js';
import {
  fileBasedConvertExamplesToFeatures,
  readFeaturesTFRecord,
} from '../../data/classifier_tfrecord.js';
import type { ExampleTokenizer, InputFeatures } from '../../data/features.js';
import type { InputExample } from '../../data/glue/processor.js';
import type { RecordLimits } from '../../data/record_checks.js';
import type { ClassifierLabels } from '../../model/heads/classifier.js';
import type { Logger } from '../../util/log.js';
import { SequenceBatcher, type BatchInputs, type SequenceTable } from '../sequence_batch.js';

/** Features of one split, packed: inputIds/inputMask/segmentIds are (N,T) row-major. */
export interface FeatureTable extends SequenceTable {
  /** Class ids, or scores for regression. */
  readonly labels: Float64Array;
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
  limits?: RecordLimits,
): FeatureTable {
  fileBasedConvertExamplesToFeatures(examples, labelList, maxSeqLength, tokenizer, path, logger);
  return packFeatures(readFeaturesTFRecord(path, maxSeqLength, limits), maxSeqLength);
}

export interface ClassifierBatch extends BatchInputs {
  readonly labels: ClassifierLabels;
}

/** Batch buffers allocated once from the kernel set: the inputs and the labels. */
export class BatchAssembler<A extends FloatArray> {
  private readonly inputs: SequenceBatcher;
  private readonly classes: Int32Array;
  private readonly scores: A;

  constructor(
    k: Kernels<A>,
    maxBatch: number,
    maxSeq: number,
    private readonly regression: boolean,
    padToMax: boolean,
  ) {
    this.inputs = new SequenceBatcher(k, maxBatch, maxSeq, padToMax);
    this.classes = k.allocInt(maxBatch);
    this.scores = k.alloc(maxBatch);
  }

  /** The examples `indices` of `t` as one batch (B = indices.length ≤ maxBatch). */
  assemble(t: FeatureTable, indices: ArrayLike<number>): ClassifierBatch {
    const inputs = this.inputs.inputs(t, indices);
    const B = indices.length;
    for (let b = 0; b < B; b++) {
      if (this.regression) this.scores[b] = t.labels[indices[b]!]!;
      else this.classes[b] = t.labels[indices[b]!]!;
    }
    const labels = this.regression ? this.scores.subarray(0, B) : this.classes.subarray(0, B);
    return { ...inputs, labels };
  }
}
