// create_pretraining_data.py's pipeline: read documents, shuffle them, make `dupe_factor` passes
// of instances over every document (each pass masks differently), shuffle the instances, write
// them. One PyRandom(random_seed) flows through every step in the original's order, so the same
// seed and input give Google's instances, instance for instance (Python 3 semantics).
//
// Beyond the original, `streaming` runs that pipeline per input file (documents and instances
// shuffled within the file, random-next sentences drawn from the same file) and writes each
// file's instances before reading the next, so memory is bounded by the largest input file
// rather than the corpus. With a single input file the output is identical to the original's.
import { UsageError } from '../../util/errors.js';
import type { Logger } from '../../util/log.js';
import { PyRandom } from '../../util/py_random.js';
import {
  pretrainingVocab,
  readDocuments,
  readDocumentsInto,
  type Document,
  type PretrainingTokenizer,
  type PretrainingVocab,
} from './documents.js';
import { createInstancesFromDocument, type InstanceOptions, type TrainingInstance } from './instances.js';
import { ExampleFilesWriter } from './write_examples.js';

export interface PretrainingDataOptions extends InstanceOptions {
  readonly dupeFactor: number;
  readonly randomSeed: number;
}

/** The flag checks the original leaves to a crash deep inside (randint on an empty range). */
export function checkPretrainingOptions(o: PretrainingDataOptions): void {
  if (o.maxSeqLength < 5)
    throw new UsageError(
      `--max_seq_length=${o.maxSeqLength}: needs at least 5 ([CLS] A [SEP] B [SEP] with a target of 2)`,
    );
  if (o.maxPredictionsPerSeq < 1)
    throw new UsageError(`--max_predictions_per_seq=${o.maxPredictionsPerSeq}: needs at least 1`);
  if (o.dupeFactor < 0) throw new UsageError(`--dupe_factor=${o.dupeFactor}: must be ≥ 0`);
  if (!(o.maskedLmProb >= 0 && o.maskedLmProb <= 1))
    throw new UsageError(`--masked_lm_prob=${o.maskedLmProb}: must be in [0, 1]`);
}

/** The dupe_factor passes over shuffled documents, then the final shuffle of the instances. */
export function instancesFromDocuments(
  documents: Document[],
  opts: PretrainingDataOptions,
  vocab: PretrainingVocab,
  rng: PyRandom,
): TrainingInstance[] {
  rng.shuffle(documents);
  const instances: TrainingInstance[] = [];
  for (let pass = 0; pass < opts.dupeFactor; pass++)
    for (let d = 0; d < documents.length; d++)
      for (const inst of createInstancesFromDocument(documents, d, opts, vocab, rng))
        instances.push(inst);
  rng.shuffle(instances);
  return instances;
}

/** create_training_instances(input_files, ...): every instance of the corpus, in memory. */
export function createTrainingInstances(
  inputFiles: readonly string[],
  tokenizer: PretrainingTokenizer,
  opts: PretrainingDataOptions,
): TrainingInstance[] {
  checkPretrainingOptions(opts);
  const vocab = pretrainingVocab(tokenizer);
  const documents = readDocuments(inputFiles, tokenizer, vocab);
  return instancesFromDocuments(documents, opts, vocab, new PyRandom(opts.randomSeed));
}

export interface PretrainingWriteOptions {
  readonly inputFiles: readonly string[];
  readonly outputFiles: readonly string[];
  readonly streaming: boolean;
  readonly log: Logger;
}

/** The whole script: instances from the input files into the output files. Returns the count. */
export function createPretrainingData(
  tokenizer: PretrainingTokenizer,
  opts: PretrainingDataOptions,
  io: PretrainingWriteOptions,
): number {
  checkPretrainingOptions(opts);
  const vocab = pretrainingVocab(tokenizer);
  const rng = new PyRandom(opts.randomSeed);
  const { log } = io;
  log.info('*** Reading from input files ***');
  for (const f of io.inputFiles) log.info(`  ${f}`);
  // The original reads everything before it names the output files; so do we, unless streaming.
  const batches = io.streaming ? io.inputFiles.map((f) => [f]) : [io.inputFiles];
  let writer: ExampleFilesWriter | null = null;
  try {
    for (const files of batches) {
      const documents = io.streaming
        ? readDocumentsInto([], files[0]!, tokenizer, vocab).filter((d) => d.length > 0)
        : readDocuments(files, tokenizer, vocab);
      const instances = instancesFromDocuments(documents, opts, vocab, rng);
      writer ??= openWriter(io, opts, vocab);
      for (const inst of instances) writer.write(inst);
    }
    writer ??= openWriter(io, opts, vocab);
    writer.close();
    return writer.total;
  } catch (e) {
    writer?.abort();
    throw e;
  }
}

function openWriter(
  io: PretrainingWriteOptions,
  opts: PretrainingDataOptions,
  vocab: PretrainingVocab,
): ExampleFilesWriter {
  io.log.info('*** Writing to output files ***');
  for (const f of io.outputFiles) io.log.info(`  ${f}`);
  return new ExampleFilesWriter(
    io.outputFiles,
    opts.maxSeqLength,
    opts.maxPredictionsPerSeq,
    vocab.idToToken,
    io.log,
  );
}
