// Throughput of run_classifier's data pipeline on MRPC train (3668 pairs): reading the TSV,
// tokenizing + laying out features, and encoding tf.train.Examples. Run:
//   npx vitest bench --run bench/finetuning_data.bench.ts
// Reports ops/s of a whole pass; examples/s = 3668 × ops/s. Same-machine comparisons only.
import { join } from 'node:path';
import { bench, describe } from 'vitest';
import { featuresToExample } from '../src/data/classifier_tfrecord.js';
import { convertExamplesToFeatures } from '../src/data/features.js';
import { getProcessor } from '../src/data/glue/registry.js';
import { decodeExample } from '../src/formats/example.js';
import { readTFRecords } from '../src/formats/tfrecord.js';
import { FullTokenizer } from '../src/tokenization/full.js';
import { SHARED } from '../test/shared.js';

const MRPC = join(SHARED, 'glue/MRPC');
const mrpc = getProcessor('mrpc');
const tokenizer = FullTokenizer.fromFile(join(SHARED, 'vocab/uncased/vocab.txt'), true);
const examples = mrpc.getTrainExamples(MRPC);
const features = convertExamplesToFeatures(examples, mrpc.getLabels(), 128, tokenizer);
const records = [
  ...readTFRecords(join(SHARED, 'fixtures/tfrecord/run_classifier_mrpc_seq128/train.tf_record')),
];

describe('MRPC train, 3668 examples per op', () => {
  bench('read + parse train.tsv', () => {
    mrpc.getTrainExamples(MRPC);
  });
  bench('tokenize + convert_single_example (T=128)', () => {
    convertExamplesToFeatures(examples, mrpc.getLabels(), 128, tokenizer);
  });
  bench('encode tf.train.Example', () => {
    for (const f of features) featuresToExample(f);
  });
  bench('decode tf.train.Example', () => {
    for (const r of records) decodeExample(r);
  });
});
