// `bert create_finetuning_data`'s library side: one split of a GLUE task converted to
// run_classifier's tf_record, exactly as run_classifier.py does before training, eval or predict
// (train.tf_record from get_train_examples, eval.tf_record from get_dev_examples,
// predict.tf_record from get_test_examples). No TPU padding examples are added.
import { FullTokenizer } from '../tokenization/full.js';
import { silentLogger, type Logger } from '../util/log.js';
import { fileBasedConvertExamplesToFeatures } from './classifier_tfrecord.js';
import { getProcessor } from './glue/registry.js';
import type { DataProcessor, InputExample } from './glue/processor.js';

export type Split = 'train' | 'dev' | 'test';

/** The examples of one split of a task. */
export function splitExamples(processor: DataProcessor, split: Split, dataDir: string): InputExample[] {
  switch (split) {
    case 'train':
      return processor.getTrainExamples(dataDir);
    case 'dev':
      return processor.getDevExamples(dataDir);
    case 'test':
      return processor.getTestExamples(dataDir);
    default:
      return split satisfies never;
  }
}

export interface FinetuningDataOptions {
  taskName: string;
  dataDir: string;
  vocabFile: string;
  doLowerCase: boolean;
  maxSeqLength: number;
  split: Split;
  outputFile: string;
  xnliLanguage?: string;
  logger?: Logger;
}

/** Writes one split's features to outputFile (atomically); returns the number of records. */
export function createFinetuningData(o: FinetuningDataOptions): number {
  const logger = o.logger ?? silentLogger;
  const processor = getProcessor(o.taskName, { xnliLanguage: o.xnliLanguage });
  const examples = splitExamples(processor, o.split, o.dataDir);
  const tokenizer = FullTokenizer.fromFile(o.vocabFile, o.doLowerCase);
  const n = fileBasedConvertExamplesToFeatures(
    examples,
    processor.getLabels(),
    o.maxSeqLength,
    tokenizer,
    o.outputFile,
    logger,
  );
  logger.info(`Wrote ${n} examples of ${processor.name} ${o.split} to ${o.outputFile}`);
  return n;
}
