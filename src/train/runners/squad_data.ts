// run_squad's batches: the windows of train.tf_record / eval.tf_record (data/squad/
// squad_tfrecord.ts) as a SequenceTable, cut into batches with their start/end positions.
// Padding: the original's loss is a softmax over all max_seq_length positions, padding included,
// and its n-best picks the top logits among all of them — so a batch is padded to max_seq_length
// (exact) unless --pad_to_max_seq_length=false asks for its longest window (faster; the loss then
// spans fewer positions and the positions beyond it take no part in the n-best).
import type { FloatArray, Kernels } from '../../engine/kernels.js';
import type { SquadRecords } from '../../data/squad/squad_tfrecord.js';
import type { SquadLabels } from '../../model/heads/squad.js';
import {
  rowLengths,
  SequenceBatcher,
  type BatchInputs,
  type SequenceTable,
} from '../sequence_batch.js';

export type SquadTable = SquadRecords & SequenceTable;

export function squadTable(records: SquadRecords): SquadTable {
  return { ...records, lengths: rowLengths(records.inputMask, records.seqLength) };
}

export interface SquadBatch extends BatchInputs {
  readonly labels: SquadLabels;
}

/** The inputs of a batch and its answer positions (zeros when predicting). */
export class SquadBatcher {
  private readonly inputs: SequenceBatcher;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;

  constructor(k: Kernels<FloatArray>, maxBatch: number, maxSeq: number, padToMax: boolean) {
    this.inputs = new SequenceBatcher(k, maxBatch, maxSeq, padToMax);
    this.starts = new Int32Array(maxBatch);
    this.ends = new Int32Array(maxBatch);
  }

  assemble(t: SquadTable, indices: ArrayLike<number>): SquadBatch {
    const inputs = this.inputs.inputs(t, indices);
    const B = indices.length;
    const training = t.startPositions.length > 0;
    for (let b = 0; b < B; b++) {
      this.starts[b] = training ? t.startPositions[indices[b]!]! : 0;
      this.ends[b] = training ? t.endPositions[indices[b]!]! : 0;
    }
    const labels = {
      startPositions: this.starts.subarray(0, B),
      endPositions: this.ends.subarray(0, B),
    };
    return { ...inputs, labels };
  }
}
