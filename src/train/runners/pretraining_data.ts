// run_pretraining's input side: the TFRecords create_pretraining_data writes, decoded as the
// original's input_fn does (FixedLenFeature of max_seq_length / max_predictions_per_seq — a record
// of other lengths is an error: "must match data generation"), packed into arrays, and cut into
// batches (train/sequence_batch.ts). A batch is padded only to its longest example unless
// padToMax: masked positions always lie inside the real tokens and NSP reads token 0.
// Shapes: N records, T = max_seq_length, P = max_predictions_per_seq, B batch, Tb batch length.
import type { FloatArray, Kernels } from '../../engine/kernels.js';
import {
  checkBit,
  checkInt32,
  checkRange,
  checkSegmentIds,
  checkTokenIds,
  type RecordLimits,
} from '../../data/record_checks.js';
import { decodeExample, type Feature } from '../../formats/example.js';
import { readTFRecords } from '../../formats/tfrecord.js';
import type { PretrainingLabels } from '../../model/heads/pretraining.js';
import { FormatError, UsageError } from '../../util/errors.js';
import {
  rowLengths,
  SequenceBatcher,
  type BatchInputs,
  type SequenceTable,
} from '../sequence_batch.js';

/** Every record of the input files, packed; (N,T) and (N,P) arrays are row-major. */
export interface PretrainingTable extends SequenceTable {
  readonly maxPredictions: number;
  readonly maskedLmPositions: Int32Array;
  readonly maskedLmIds: Int32Array;
  readonly maskedLmWeights: Float32Array;
  readonly nextSentenceLabels: Int32Array;
}

const INT_FEATURES = [
  ['input_ids', 'T'],
  ['input_mask', 'T'],
  ['segment_ids', 'T'],
  ['masked_lm_positions', 'P'],
  ['masked_lm_ids', 'P'],
  ['next_sentence_labels', '1'],
] as const;

function values(ex: Map<string, Feature>, name: string, kind: string, n: number, where: string) {
  const f = ex.get(name);
  if (f === undefined)
    throw new FormatError(`${where}: no feature '${name}'`, 'not a create_pretraining_data record');
  if (f.kind !== kind)
    throw new FormatError(`${where}: feature '${name}' is a ${f.kind} list, expected ${kind}`);
  if (f.values.length !== n)
    throw new FormatError(
      `${where}: feature '${name}' has ${f.values.length} values, expected ${n}`,
      'max_seq_length and max_predictions_per_seq must match the data generation',
    );
  if (f.kind === 'int64') checkInt32(f.values, where, name);
  return f.values as number[];
}

type IntFeature = (typeof INT_FEATURES)[number][0];

/**
 * The values of one record the model would misread: masks and labels other than 0/1, positions
 * outside the sequence, ids outside the config's tables (when `limits` are known), NaN weights.
 */
function checkRecord(
  v: ReadonlyMap<IntFeature, number[]>,
  weights: readonly number[],
  T: number,
  limits: RecordLimits | undefined,
  where: string,
): void {
  const get = (name: IntFeature): number[] => v.get(name)!;
  checkBit(get('input_mask'), where, 'input_mask');
  checkBit(get('next_sentence_labels'), where, 'next_sentence_labels');
  const positions = get('masked_lm_positions');
  checkRange(positions, [0, T], `max_seq_length ${T}`, where, 'masked_lm_positions');
  checkRange(weights, [0, Infinity], 'a weight', where, 'masked_lm_weights');
  if (limits === undefined) return;
  checkTokenIds(get('input_ids'), limits, where, 'input_ids');
  checkTokenIds(get('masked_lm_ids'), limits, where, 'masked_lm_ids');
  checkSegmentIds(get('segment_ids'), limits, where);
}

/** A typed column that doubles when full (the record count is known only at the end). */
class Column<T extends Int32Array | Float32Array> {
  private n = 0;
  constructor(private data: T) {}

  push(values: readonly number[]): void {
    if (this.n + values.length > this.data.length) {
      const bigger = new (this.data.constructor as new (n: number) => T)(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data.set(values, this.n);
    this.n += values.length;
  }

  done(): T {
    return this.data.slice(0, this.n) as T;
  }
}

class TableBuilder {
  private readonly ints = new Map<string, Column<Int32Array>>();
  private readonly weights = new Column(new Float32Array(1024));
  count = 0;
  constructor(
    private readonly T: number,
    private readonly P: number,
    private readonly limits: RecordLimits | undefined,
  ) {
    for (const [name] of INT_FEATURES) this.ints.set(name, new Column(new Int32Array(1024)));
  }

  add(ex: Map<string, Feature>, where: string): void {
    const n = { T: this.T, P: this.P, '1': 1 } as const;
    const v = new Map<IntFeature, number[]>();
    for (const [name, len] of INT_FEATURES) v.set(name, values(ex, name, 'int64', n[len], where));
    const weights = values(ex, 'masked_lm_weights', 'float', this.P, where);
    checkRecord(v, weights, this.T, this.limits, where);
    for (const [name, values] of v) this.ints.get(name)!.push(values);
    this.weights.push(weights);
    this.count++;
  }

  build(): PretrainingTable {
    const col = (name: string) => this.ints.get(name)!.done();
    const inputMask = col('input_mask');
    const lengths = rowLengths(inputMask, this.T);
    return {
      count: this.count,
      seqLength: this.T,
      maxPredictions: this.P,
      inputIds: col('input_ids'),
      inputMask,
      segmentIds: col('segment_ids'),
      maskedLmPositions: col('masked_lm_positions'),
      maskedLmIds: col('masked_lm_ids'),
      maskedLmWeights: this.weights.done(),
      nextSentenceLabels: col('next_sentence_labels'),
      lengths,
    };
  }
}

/**
 * Reads every record of `files` in order into one table, each checked where it is decoded
 * (checkRecord; the ids against `limits`, the model's tables, when given).
 */
export function readPretrainingRecords(
  files: readonly string[],
  maxSeqLength: number,
  maxPredictions: number,
  limits?: RecordLimits,
): PretrainingTable {
  const t = new TableBuilder(maxSeqLength, maxPredictions, limits);
  for (const path of files) {
    let n = 0;
    for (const bytes of readTFRecords(path)) {
      const where = `${path}: record ${n++}`;
      t.add(decodeExample(bytes, where), where);
    }
  }
  if (t.count === 0)
    throw new UsageError(`--input_file: no records in ${files.join(', ') || '(no files)'}`);
  return t.build();
}

export interface PretrainingBatch extends BatchInputs {
  readonly labels: PretrainingLabels;
}

/** The inputs of a batch (sequence_batch.ts) and the masked-LM / next-sentence labels. */
export class PretrainingBatcher {
  private readonly inputs: SequenceBatcher;

  constructor(k: Kernels<FloatArray>, maxBatch: number, maxSeq: number, padToMax: boolean) {
    this.inputs = new SequenceBatcher(k, maxBatch, maxSeq, padToMax);
  }

  /** The records `indices` of `t` as one batch (B = indices.length ≤ maxBatch). */
  assemble(t: PretrainingTable, indices: ArrayLike<number>): PretrainingBatch {
    const inputs = this.inputs.inputs(t, indices);
    const B = indices.length;
    const P = t.maxPredictions;
    const labels = {
      maskedLmPositions: new Int32Array(B * P),
      maskedLmIds: new Int32Array(B * P),
      maskedLmWeights: new Float32Array(B * P),
      nextSentenceLabels: new Int32Array(B),
    };
    for (let b = 0; b < B; b++) {
      const i = indices[b]!;
      const pred = i * P;
      labels.maskedLmPositions.set(t.maskedLmPositions.subarray(pred, pred + P), b * P);
      labels.maskedLmIds.set(t.maskedLmIds.subarray(pred, pred + P), b * P);
      labels.maskedLmWeights.set(t.maskedLmWeights.subarray(pred, pred + P), b * P);
      labels.nextSentenceLabels[b] = t.nextSentenceLabels[i]!;
    }
    return { ...inputs, labels };
  }
}

/**
 * Eval batches as the original's eval input_fn: the records in order, repeated, batches of
 * batchSize with drop_remainder, `steps` of them.
 */
export function* evalBatches(count: number, batchSize: number, steps: number) {
  for (let s = 0; s < steps; s++) {
    const idx = new Int32Array(batchSize);
    for (let j = 0; j < batchSize; j++) idx[j] = (s * batchSize + j) % count;
    yield idx;
  }
}
