// run_squad.py's train.tf_record and eval.tf_record (FeatureWriter): one tf.train.Example per
// window — int64 unique_ids [1], input_ids, input_mask, segment_ids [T], and for training
// start_positions, end_positions, is_impossible [1] — written atomically (nothing is left behind
// by a failure), and read back as input_fn_builder parses them (FixedLenFeature: every record
// must have max_seq_length ids). Features are written in the order the Python inserts them;
// TF's C++ map may order them differently on the wire (the decoded records are the same).
import { decodeExample, encodeExample, intFeature, type Feature } from '../../formats/example.js';
import { readTFRecords, TFRecordWriter } from '../../formats/tfrecord.js';
import { FormatError } from '../../util/errors.js';
import {
  checkBit,
  checkInt32,
  checkRange,
  checkSegmentIds,
  checkTokenIds,
  type RecordLimits,
} from '../record_checks.js';
import type { SquadFeatures } from './features.js';

/** FeatureWriter.process_feature's Example. */
export function squadFeaturesToExample(f: SquadFeatures, isTraining: boolean): Uint8Array {
  const features: [string, Feature][] = [
    ['unique_ids', intFeature([f.uniqueId])],
    ['input_ids', intFeature(f.inputIds)],
    ['input_mask', intFeature(f.inputMask)],
    ['segment_ids', intFeature(f.segmentIds)],
  ];
  if (isTraining)
    features.push(
      ['start_positions', intFeature([f.startPosition!])],
      ['end_positions', intFeature([f.endPosition!])],
      ['is_impossible', intFeature([f.isImpossible ? 1 : 0])],
    );
  return encodeExample(features);
}

/** A TFRecord being written; close() puts it in place, abort() removes it. */
export class SquadFeatureWriter {
  private readonly writer: TFRecordWriter;
  constructor(
    readonly path: string,
    private readonly isTraining: boolean,
  ) {
    this.writer = new TFRecordWriter(path);
  }
  get numFeatures(): number {
    return this.writer.count;
  }
  processFeature(f: SquadFeatures): void {
    this.writer.write(squadFeaturesToExample(f, this.isTraining));
  }
  close(): void {
    this.writer.close();
  }
  abort(): void {
    this.writer.abort();
  }
}

/** The records of a SQuAD TFRecord, packed: (N,T) row-major ids, (N) scalars. */
export interface SquadRecords {
  readonly count: number;
  readonly seqLength: number;
  readonly uniqueIds: Float64Array;
  readonly inputIds: Int32Array;
  readonly inputMask: Int32Array;
  readonly segmentIds: Int32Array;
  /** Training records only (else empty). */
  readonly startPositions: Int32Array;
  readonly endPositions: Int32Array;
  readonly isImpossible: Int32Array;
}

function ints(ex: Map<string, Feature>, name: string, n: number, where: string): number[] {
  const f = ex.get(name);
  if (f === undefined) throw new FormatError(`${where}: no feature '${name}'`, 'not a run_squad record');
  if (f.kind !== 'int64') throw new FormatError(`${where}: feature '${name}' is a ${f.kind} list, expected int64`);
  if (f.values.length !== n)
    throw new FormatError(
      `${where}: feature '${name}' has ${f.values.length} values, expected ${n}`,
      'max_seq_length must match the one the records were written with',
    );
  return f.values;
}

/** One decoded record's features (the answer positions empty for prediction records). */
interface SquadRow {
  readonly uniqueId: number;
  readonly inputIds: number[];
  readonly inputMask: number[];
  readonly segmentIds: number[];
  /** start_positions, end_positions, is_impossible: training records only. */
  readonly answer: readonly [number, number, number] | null;
}

/**
 * The record's features, with the values the model would misread refused: ints outside int32
 * (an Int32Array would wrap them), a mask or is_impossible other than 0/1, answer positions
 * outside the sequence, and with `limits` ids outside the config's tables.
 */
function decodeRow(
  ex: Map<string, Feature>,
  T: number,
  isTraining: boolean,
  limits: RecordLimits | undefined,
  where: string,
): SquadRow {
  const checked = (name: string, n: number) => {
    const v = ints(ex, name, n, where);
    checkInt32(v, where, name);
    return v;
  };
  const row = {
    uniqueId: ints(ex, 'unique_ids', 1, where)[0]!,
    inputIds: checked('input_ids', T),
    inputMask: checked('input_mask', T),
    segmentIds: checked('segment_ids', T),
    answer: null,
  };
  checkBit(row.inputMask, where, 'input_mask');
  if (limits !== undefined) {
    checkTokenIds(row.inputIds, limits, where, 'input_ids');
    checkSegmentIds(row.segmentIds, limits, where);
  }
  if (!isTraining) return row;
  const [start, end, impossible] = ['start_positions', 'end_positions', 'is_impossible'].map(
    (name) => checked(name, 1),
  ) as [number[], number[], number[]];
  checkRange(start, [0, T], `max_seq_length ${T}`, where, 'start_positions');
  checkRange(end, [0, T], `max_seq_length ${T}`, where, 'end_positions');
  checkBit(impossible, where, 'is_impossible');
  return { ...row, answer: [start[0]!, end[0]!, impossible[0]!] };
}

/**
 * Reads every record of `path` (training records carry the answer positions too), each checked
 * as decodeRow says; errors name the file, the record and the feature.
 */
export function readSquadRecords(
  path: string,
  seqLength: number,
  isTraining: boolean,
  limits?: RecordLimits,
): SquadRecords {
  const rows: SquadRow[] = [];
  const T = seqLength;
  for (const bytes of readTFRecords(path)) {
    const where = `${path}: record ${rows.length}`;
    rows.push(decodeRow(decodeExample(bytes, where), T, isTraining, limits, where));
  }
  const N = rows.length;
  const t = {
    count: N,
    seqLength: T,
    uniqueIds: new Float64Array(N),
    inputIds: new Int32Array(N * T),
    inputMask: new Int32Array(N * T),
    segmentIds: new Int32Array(N * T),
    startPositions: new Int32Array(isTraining ? N : 0),
    endPositions: new Int32Array(isTraining ? N : 0),
    isImpossible: new Int32Array(isTraining ? N : 0),
  };
  rows.forEach((r, i) => {
    t.uniqueIds[i] = r.uniqueId;
    t.inputIds.set(r.inputIds, i * T);
    t.inputMask.set(r.inputMask, i * T);
    t.segmentIds.set(r.segmentIds, i * T);
    if (r.answer === null) return;
    [t.startPositions[i], t.endPositions[i], t.isImpossible[i]] = r.answer;
  });
  return t;
}
