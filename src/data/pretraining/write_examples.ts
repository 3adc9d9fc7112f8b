// write_instance_to_example_files of create_pretraining_data.py: each TrainingInstance becomes a
// tf.train.Example with the schema run_pretraining reads, written round-robin over the output
// files; the first 20 are logged the way the original logs them.
//
// Features (L = max_seq_length, P = max_predictions_per_seq), in the original's order:
//   input_ids [L], input_mask [L], segment_ids [L]            int64, zero-padded
//   masked_lm_positions [P], masked_lm_ids [P]                 int64, zero-padded
//   masked_lm_weights [P]                                      float, 1.0 real / 0.0 padding
//   next_sentence_labels [1]                                   int64, 1 = B is a random next
import { encodeExample, floatFeature, intFeature, type Feature } from '../../formats/example.js';
import { TFRecordWriter } from '../../formats/tfrecord.js';
import { check, UsageError } from '../../util/errors.js';
import type { Logger } from '../../util/log.js';
import { pyFloatRepr } from '../../util/py_format.js';
import type { TrainingInstance } from './instances.js';

/** The original logs this many instances in full. */
const LOGGED_INSTANCES = 20;

function padded(values: ArrayLike<number>, length: number): number[] {
  const out = new Array<number>(length).fill(0);
  for (let i = 0; i < values.length; i++) out[i] = values[i]!;
  return out;
}

/** The features of one instance, as an ordered list (the original uses an OrderedDict). */
export function instanceFeatures(
  inst: TrainingInstance,
  maxSeqLength: number,
  maxPredictionsPerSeq: number,
): Array<[string, Feature]> {
  const n = inst.tokens.length;
  check(n <= maxSeqLength, () => `internal: instance of ${n} tokens > max_seq_length`);
  const segmentIds = padded(
    Array.from({ length: n }, (_, i) => (i < inst.segmentALength ? 0 : 1)),
    maxSeqLength,
  );
  const p = inst.maskedLmPositions.length;
  return [
    ['input_ids', intFeature(padded(inst.tokens, maxSeqLength))],
    ['input_mask', intFeature(padded(new Array<number>(n).fill(1), maxSeqLength))],
    ['segment_ids', intFeature(segmentIds)],
    ['masked_lm_positions', intFeature(padded(inst.maskedLmPositions, maxPredictionsPerSeq))],
    ['masked_lm_ids', intFeature(padded(inst.maskedLmLabels, maxPredictionsPerSeq))],
    ['masked_lm_weights', floatFeature(padded(new Array<number>(p).fill(1), maxPredictionsPerSeq))],
    ['next_sentence_labels', intFeature([inst.isRandomNext ? 1 : 0])],
  ];
}

function logInstance(
  log: Logger,
  inst: TrainingInstance,
  features: Array<[string, Feature]>,
  idToToken: readonly string[],
): void {
  log.info('*** Example ***');
  log.info(`tokens: ${Array.from(inst.tokens, (id) => idToToken[id]).join(' ')}`);
  for (const [name, f] of features) {
    const values = f.kind === 'float' ? f.values.map(pyFloatRepr) : f.values.map(String);
    log.info(`${name}: ${values.join(' ')}`);
  }
}

/**
 * Writes instances round-robin over several TFRecord files, all under temporary names until
 * `close()` renames them into place; `abort()` removes them (no partial output).
 */
export class ExampleFilesWriter {
  private readonly writers: TFRecordWriter[] = [];
  private next = 0;
  total = 0;

  constructor(
    outputFiles: readonly string[],
    private readonly maxSeqLength: number,
    private readonly maxPredictionsPerSeq: number,
    private readonly idToToken: readonly string[],
    private readonly log: Logger,
  ) {
    if (outputFiles.length === 0 || outputFiles.some((f) => f === ''))
      throw new UsageError(`--output_file: empty file name in '${outputFiles.join(',')}'`);
    const twice = outputFiles.find((f, i) => outputFiles.indexOf(f) !== i);
    if (twice !== undefined)
      throw new UsageError(`--output_file: ${twice} is listed twice (its records would be lost)`);
    try {
      for (const f of outputFiles) this.writers.push(new TFRecordWriter(f));
    } catch (e) {
      this.abort();
      throw e;
    }
  }

  write(inst: TrainingInstance): void {
    const features = instanceFeatures(inst, this.maxSeqLength, this.maxPredictionsPerSeq);
    this.writers[this.next]!.write(encodeExample(features));
    this.next = (this.next + 1) % this.writers.length;
    if (this.total < LOGGED_INSTANCES) logInstance(this.log, inst, features, this.idToToken);
    this.total++;
  }

  close(): void {
    for (const w of this.writers) w.close();
    this.log.info(`Wrote ${this.total} total instances`);
  }

  abort(): void {
    for (const w of this.writers) w.abort();
  }
}
