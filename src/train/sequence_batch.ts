// The input side every runner shares: features of one split packed into (N,T) arrays (the
// TFRecords read back as the original's input_fn reads them) and their input_ids / input_mask /
// segment_ids copied, row by row, into batch buffers allocated once from the kernel set (the wasm
// kernels read ids from its memory). A batch is cut to its longest example (Σ input_mask) unless
// padToMax — exact wherever the head reads only real positions, since attention never looks at
// padding (mask −10000).
// Shapes: N examples, T = max_seq_length, B batch, Tb = the batch's sequence length.
import type { FloatArray, Kernels } from '../engine/kernels.js';
import type { BertBatch } from '../model/bert_model.js';
import { check } from '../util/errors.js';
import { batchSeqLength } from './batches.js';

/** The model inputs of N examples, row-major (N,T). */
export interface SequenceTable {
  readonly count: number;
  readonly seqLength: number;
  readonly inputIds: Int32Array;
  readonly inputMask: Int32Array;
  readonly segmentIds: Int32Array;
  /** Real tokens per example (Σ input_mask). */
  readonly lengths: Int32Array;
}

/** Σ input_mask of every row of (N,T) `inputMask`. */
export function rowLengths(inputMask: Int32Array, T: number): Int32Array {
  const lengths = new Int32Array(inputMask.length / T);
  for (let i = 0; i < inputMask.length; i++) lengths[Math.floor(i / T)]! += inputMask[i]!;
  return lengths;
}

export interface BatchInputs {
  readonly batch: BertBatch;
  /** Real tokens in the batch. */
  readonly tokens: number;
}

/** The input buffers of batches of at most maxBatch examples of at most maxSeq tokens. */
export class SequenceBatcher {
  private readonly ids: Int32Array;
  private readonly mask: Int32Array;
  private readonly seg: Int32Array;

  constructor(
    k: Kernels<FloatArray>,
    readonly maxBatch: number,
    maxSeq: number,
    private readonly padToMax: boolean,
  ) {
    this.ids = k.allocInt(maxBatch * maxSeq);
    this.mask = k.allocInt(maxBatch * maxSeq);
    this.seg = k.allocInt(maxBatch * maxSeq);
  }

  /** The examples `indices` of `t` as one batch (B = indices.length ≤ maxBatch). */
  inputs(t: SequenceTable, indices: ArrayLike<number>, padToMax = this.padToMax): BatchInputs {
    const B = indices.length;
    check(B >= 1 && B <= this.maxBatch, () => `internal: batch of ${B} > ${this.maxBatch}`);
    const lengths = Array.from(indices, (i) => t.lengths[i]!);
    const Tb = batchSeqLength(lengths, t.seqLength, padToMax);
    for (let b = 0; b < B; b++) {
      const from = indices[b]! * t.seqLength;
      this.ids.set(t.inputIds.subarray(from, from + Tb), b * Tb);
      this.mask.set(t.inputMask.subarray(from, from + Tb), b * Tb);
      this.seg.set(t.segmentIds.subarray(from, from + Tb), b * Tb);
    }
    const n = B * Tb;
    const batch: BertBatch = {
      batchSize: B,
      seqLength: Tb,
      inputIds: this.ids.subarray(0, n),
      inputMask: this.mask.subarray(0, n),
      segmentIds: this.seg.subarray(0, n),
    };
    return { batch, tokens: lengths.reduce((a, x) => a + x, 0) };
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
