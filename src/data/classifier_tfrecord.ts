// run_classifier.py's train.tf_record / eval.tf_record / predict.tf_record: one tf.train.Example
// per InputFeatures (file_based_convert_examples_to_features) and the schema the input_fn parses
// back (file_based_input_fn_builder: FixedLenFeature [T] input_ids, input_mask, segment_ids and
// scalar label_ids, is_real_example).
import { decodeExample, encodeExample, floatFeature, intFeature } from '../formats/example.js';
import type { Feature } from '../formats/example.js';
import { readTFRecords, TFRecordWriter } from '../formats/tfrecord.js';
import { FormatError } from '../util/errors.js';
import { silentLogger, type Logger } from '../util/log.js';
import {
  checkBit,
  checkInt32,
  checkSegmentIds,
  checkTokenIds,
  type RecordLimits,
} from './record_checks.js';
import { convertSingleExample, type ExampleTokenizer, type InputFeatures } from './features.js';
import type { InputExample } from './glue/processor.js';

/**
 * One tf.train.Example in run_classifier's schema: int64 input_ids [T], input_mask [T],
 * segment_ids [T], label_ids [1], is_real_example [1]. Google's script has no regression task;
 * for one (isRegression) label_ids is a float_list holding the score as float32, which is what a
 * FixedLenFeature([], tf.float32) reads.
 *
 * Python inserts the features as input_ids, input_mask, segment_ids, label_ids, is_real_example,
 * but the wire order is the protobuf C++ map's: in Google's MRPC run (TF 1.15) every record has
 * the order below. Any order decodes the same; this one makes our files byte-identical to it.
 */
export function featuresToExample(f: InputFeatures, isRegression = false): Uint8Array {
  return encodeExample([
    ['input_ids', intFeature(f.inputIds)],
    ['is_real_example', intFeature([f.isRealExample ? 1 : 0])],
    ['input_mask', intFeature(f.inputMask)],
    ['label_ids', isRegression ? floatFeature([f.labelId]) : intFeature([f.labelId])],
    ['segment_ids', intFeature(f.segmentIds)],
  ]);
}

/** Writes features atomically (temp file + rename): a failure leaves no partial file. */
export function writeFeaturesTFRecord(
  path: string,
  features: Iterable<InputFeatures>,
  isRegression = false,
): number {
  const writer = new TFRecordWriter(path);
  try {
    for (const f of features) writer.write(featuresToExample(f, isRegression));
    writer.close();
  } catch (e) {
    writer.abort();
    throw e;
  }
  return writer.count;
}

/**
 * file_based_convert_examples_to_features: converts and writes each example as it goes, logging
 * "Writing example i of n" every 10000 and the first 5 examples. Regression when labelList is
 * empty. Returns the number of records written.
 */
export function fileBasedConvertExamplesToFeatures(
  examples: readonly InputExample[],
  labelList: readonly string[],
  maxSeqLength: number,
  tokenizer: ExampleTokenizer,
  outputFile: string,
  logger: Logger = silentLogger,
): number {
  function* features(): Generator<InputFeatures> {
    for (const [i, ex] of examples.entries()) {
      if (i % 10000 === 0) logger.info(`Writing example ${i} of ${examples.length}`);
      yield convertSingleExample(i, ex, labelList, maxSeqLength, tokenizer, logger);
    }
  }
  return writeFeaturesTFRecord(outputFile, features(), labelList.length === 0);
}

function listOf(ex: Map<string, Feature>, name: string, where: string, length: number | null): number[] {
  const f = ex.get(name);
  if (f === undefined) throw new FormatError(`${where}: no feature '${name}'`, 'not a run_classifier record');
  if (f.kind === 'bytes' || (f.kind === 'float' && name !== 'label_ids'))
    throw new FormatError(`${where}: feature '${name}' is a ${f.kind} list, expected int64`);
  if (length !== null && f.values.length !== length)
    throw new FormatError(
      `${where}: feature '${name}' has ${f.values.length} values, expected ${length}`,
      'records must all have the same max_seq_length',
    );
  if (f.kind === 'int64') checkInt32(f.values, where, name);
  return f.values;
}

function recordToFeatures(
  ex: Map<string, Feature>,
  where: string,
  seqLength: number,
  limits: RecordLimits | undefined,
): InputFeatures {
  const [labelId] = listOf(ex, 'label_ids', where, 1);
  if (!Number.isFinite(labelId)) throw new FormatError(`${where}: label_ids is ${labelId}`);
  // Records from run_classifier before is_real_example existed (early 2019) are all real.
  const real = ex.has('is_real_example') ? listOf(ex, 'is_real_example', where, 1) : [1];
  checkBit(real, where, 'is_real_example');
  const f = {
    inputIds: listOf(ex, 'input_ids', where, seqLength),
    inputMask: listOf(ex, 'input_mask', where, seqLength),
    segmentIds: listOf(ex, 'segment_ids', where, seqLength),
    labelId: labelId!,
    isRealExample: real[0] === 1,
  };
  checkBit(f.inputMask, where, 'input_mask');
  if (limits !== undefined) {
    checkTokenIds(f.inputIds, limits, where, 'input_ids');
    checkSegmentIds(f.segmentIds, limits, where);
  }
  return f;
}

/**
 * Reads a run_classifier TFRecord back into InputFeatures, checking the schema of every record.
 * seqLength defaults to the first record's input_ids length; every record must match it, as
 * FixedLenFeature requires. label_ids may be int64 or (regression) float. Values are checked
 * (int32, input_mask 0/1, and with `limits` the ids against the config's tables). Errors name
 * the file, the record and the feature.
 */
export function readFeaturesTFRecord(
  path: string,
  seqLength?: number,
  limits?: RecordLimits,
): InputFeatures[] {
  const out: InputFeatures[] = [];
  let length = seqLength ?? null;
  let n = 0;
  for (const bytes of readTFRecords(path)) {
    const where = `${path}: record ${n++}`;
    const ex = decodeExample(bytes, where);
    length ??= listOf(ex, 'input_ids', where, null).length;
    out.push(recordToFeatures(ex, where, length, limits));
  }
  return out;
}
