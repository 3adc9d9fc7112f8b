// run_squad.py's train.tf_record and eval.tf_record (FeatureWriter): one tf.train.Example per
// window — int64 unique_ids [1], input_ids, input_mask, segment_ids [T], and for training
// start_positions, end_positions, is_impossible [1] — written atomically (nothing is left behind
// by a failure), and read back as input_fn_builder parses them (FixedLenFeature: every record
// must have max_seq_length ids). Features are written in the order the Python inserts them;
// TF's C++ map may order them differently on the wire (the decoded records are the same).
import { decodeExample, encodeExample, intFeature, type Feature } from '../../formats/example.js';
import { readTFRecords, TFRecordWriter } from '../../formats/tfrecord.js';
import { FormatError } from '../../util/errors.js';
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

/** Reads every record of `path` (training records carry the answer positions too). */
export function readSquadRecords(path: string, seqLength: number, isTraining: boolean): SquadRecords {
  const rows: Map<string, Feature>[] = [];
  let n = 0;
  for (const bytes of readTFRecords(path)) rows.push(decodeExample(bytes, `${path}: record ${n++}`));
  const T = seqLength;
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
  rows.forEach((ex, i) => {
    const where = `${path}: record ${i}`;
    t.uniqueIds[i] = ints(ex, 'unique_ids', 1, where)[0]!;
    t.inputIds.set(ints(ex, 'input_ids', T, where), i * T);
    t.inputMask.set(ints(ex, 'input_mask', T, where), i * T);
    t.segmentIds.set(ints(ex, 'segment_ids', T, where), i * T);
    if (!isTraining) return;
    t.startPositions[i] = ints(ex, 'start_positions', 1, where)[0]!;
    t.endPositions[i] = ints(ex, 'end_positions', 1, where)[0]!;
    t.isImpossible[i] = ints(ex, 'is_impossible', 1, where)[0]!;
  });
  return t;
}
