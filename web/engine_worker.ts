// The page's engine: a dedicated Web Worker running bert-ts's core unchanged on the browser host
// (src/web.ts: an in-memory file system, Web Workers for the kernel pool). "Train" is
// runClassifier with the CLI's flags on files put into that file system — the shipped BERT-Tiny
// and MRPC fetched from the server, or the user's files — so the page's run IS `bert
// run_classifier`; "classify" is Classifier.load on the run's output_dir; "download" zips the
// output_dir's weights (as model.safetensors) with its config, vocab and bert_ts.json.
import { zipSync } from 'fflate';
import {
  BertError,
  Classifier,
  UsageError,
  convertCheckpoint,
  getFile,
  getProcessor,
  latestCheckpoint,
  memoryFs,
  putFile,
  runClassifier,
  setLogSink,
  PACKAGE_DIR,
  RUN_CLASSIFIER_DEFAULTS,
  type Logger,
  type TsvTaskProcessor,
} from '../src/web.js';
import { LABELED_TSV_TASK, labeledTsvProcessor } from '../src/data/glue/labeled_tsv.js';
import { sortFiles, type SortedFiles } from './files.js';
import type { Reply, Request, TrainSettings, UserFile } from './protocol.js';

/**
 * The dedicated worker's global scope, as far as this file uses it (it is type-checked with the
 * core, which compiles without the DOM library).
 */
const scope = globalThis as unknown as {
  postMessage(message: Reply, transfer?: ArrayBuffer[]): void;
  onmessage: ((e: { data: Request }) => void) | null;
  location: { href: string };
};
const post = (m: Reply, transfer: ArrayBuffer[] = []) => scope.postMessage(m, transfer);
const url = (path: string) => new URL(path, scope.location.href).href;

// The URLs of src/serve/page_app.ts, relative to this worker's own.
const SHIPPED_MODEL = 'models/uncased_L-2_H-128_A-2_brown';
const SHIPPED_DATA = 'data/glue/MRPC';
const SHIPPED_FILES = [
  'bert_config.json',
  'vocab.txt',
  'bert_model.ckpt.index',
  'bert_model.ckpt.data-00000-of-00001',
];

const logger: Logger = {
  info: (m) => post({ type: 'log', line: `INFO: ${m}` }),
  warn: (m) => post({ type: 'log', line: `WARNING: ${m}` }),
};
// The core's own log lines (the host's log output) go to the page's log too. The kernels' .wasm
// and the pool worker's script come from the host's default asset base: this bundle's folder.
setLogSink((line) => post({ type: 'log', line }));

/** The fetched file at `path` (relative to this worker), as bytes. */
async function fetchBytes(path: string): Promise<Uint8Array> {
  const r = await fetch(url(path));
  if (!r.ok)
    throw new BertError(`${url(path)}: HTTP ${r.status}`, 'is the page served by `bert web`?');
  return new Uint8Array(await r.arrayBuffer());
}

/** Where the shipped model goes in the in-memory fs: under the browser host's package folder. */
const SHIPPED = `${PACKAGE_DIR}/${SHIPPED_MODEL}`;
let shipped: Promise<void> | null = null;
/** The shipped model's files under SHIPPED (fetched once per worker). */
function stageShippedModel(): Promise<void> {
  shipped ??= Promise.all(
    SHIPPED_FILES.map(async (f) =>
      putFile(`${SHIPPED}/${f}`, await fetchBytes(`${SHIPPED_MODEL}/${f}`)),
    ),
  ).then(() => undefined);
  return shipped;
}

const bytesOf = (f: UserFile) => new Uint8Array(f.bytes);

interface Model {
  readonly configFile: string;
  readonly vocabFile: string;
  readonly checkpoint: string;
}

/** The TF prefix or .safetensors path of the user's checkpoint files, put under `dir`. */
function stageCheckpoint(dir: string, files: readonly UserFile[]): string {
  for (const f of files) putFile(`${dir}/${f.name}`, bytesOf(f));
  const st = files.filter((f) => f.name.endsWith('.safetensors'));
  const index = files.filter((f) => f.name.endsWith('.index'));
  if (st.length + index.length !== 1)
    throw new UsageError(
      `checkpoint files ${files.map((f) => f.name).join(', ')}: give one .safetensors file or one TF .index with its .data-* files`,
    );
  if (st.length === 1) return `${dir}/${st[0]!.name}`;
  const prefix = index[0]!.name.slice(0, -'.index'.length);
  if (!files.some((f) => f.name.startsWith(`${prefix}.data-`)))
    throw new UsageError(`${prefix}.index: its ${prefix}.data-00000-of-00001 was not given`);
  return `${dir}/${prefix}`;
}

/** The model to start from: the user's files where given, the shipped BERT-Tiny's otherwise. */
async function stageModel(dir: string, files: SortedFiles): Promise<Model> {
  await stageShippedModel();
  const own = (f: UserFile | null, name: string) => {
    if (f === null) return `${SHIPPED}/${name}`;
    putFile(`${dir}/${name}`, bytesOf(f));
    return `${dir}/${name}`;
  };
  return {
    configFile: own(files.config, 'bert_config.json'),
    vocabFile: own(files.vocab, 'vocab.txt'),
    checkpoint:
      files.checkpoint.length > 0
        ? stageCheckpoint(dir, files.checkpoint)
        : `${SHIPPED}/bert_model.ckpt`,
  };
}

/** The first `header + rows` lines of a TSV (rows = 0: all of it). */
function firstRows(bytes: Uint8Array, header: boolean, rows: number): Uint8Array {
  if (rows <= 0) return bytes;
  let lines = rows + (header ? 1 : 0);
  for (let i = 0; i < bytes.length; i++)
    if (bytes[i] === 0x0a && --lines === 0) return bytes.subarray(0, i + 1);
  return bytes;
}

interface Data {
  readonly processor: TsvTaskProcessor;
  readonly doEval: boolean;
}

/** The user's train and dev TSVs, or MRPC's shipped ones when the task is MRPC and none given. */
async function taskTsvs(
  s: TrainSettings,
  files: SortedFiles,
): Promise<{ train: Uint8Array; dev: Uint8Array | null }> {
  if (files.train !== null)
    return { train: bytesOf(files.train), dev: files.dev === null ? null : bytesOf(files.dev) };
  if (s.task !== 'mrpc')
    throw new UsageError(
      `no training data for ${s.task}: drop its train.tsv (and a dev.tsv to evaluate)`,
    );
  const [train, dev] = await Promise.all(
    ['train.tsv', 'dev.tsv'].map((f) => fetchBytes(`${SHIPPED_DATA}/${f}`)),
  );
  return { train: train!, dev: dev! };
}

/** The task's TSVs under `dir` and the task's processor (the file checked against its layout). */
async function stageData(dir: string, s: TrainSettings, files: SortedFiles): Promise<Data> {
  const { train, dev } = await taskTsvs(s, files);
  if (s.task === LABELED_TSV_TASK) {
    putFile(`${dir}/train.tsv`, firstRows(train, false, s.trainRows));
    if (dev !== null) putFile(`${dir}/dev.tsv`, dev);
    return { processor: labeledTsvProcessor(dir), doEval: dev !== null };
  }
  const processor = getProcessor(s.task) as TsvTaskProcessor;
  const { layout } = processor;
  putFile(`${dir}/${layout.train.file}`, firstRows(train, layout.train.skipHeader, s.trainRows));
  if (dev !== null) putFile(`${dir}/${layout.dev.file}`, dev);
  processor.getTrainExamples(dir); // a file that does not fit the layout is refused before training
  return { processor, doEval: dev !== null };
}

let classifier: Classifier | null = null;
let outputDir: string | null = null;
let runs = 0;

/** Frees the last run: its classifier's threads and its files (checkpoints with Adam slots). */
async function forgetLastRun(): Promise<void> {
  await classifier?.dispose();
  classifier = null;
  outputDir = null;
  if (runs > 0) memoryFs.rmSync(`/run-${runs}`, { recursive: true, force: true });
}

/** eval_results.txt's `key = value` lines. */
function evalResults(dir: string): Record<string, number> {
  const text = new TextDecoder().decode(getFile(`${dir}/eval_results.txt`));
  const pairs = text
    .trim()
    .split('\n')
    .map((l) => l.split(' = '));
  return Object.fromEntries(pairs.map(([k, v]) => [k!, Number(v)]));
}

async function train(s: TrainSettings, userFiles: UserFile[]): Promise<void> {
  await forgetLastRun();
  const run = `/run-${++runs}`;
  const files = sortFiles(userFiles);
  if (files.ignored.length > 0)
    logger.warn(`not used (unknown file names): ${files.ignored.join(', ')}`);
  const model = await stageModel(`${run}/init`, files);
  const data = await stageData(`${run}/data`, s, files);
  const out = `${run}/output`;
  post({ type: 'started', threads: s.threads });
  await runClassifier({
    ...RUN_CLASSIFIER_DEFAULTS, // the flags the page does not show
    taskName: s.task,
    processor: data.processor,
    dataDir: `${run}/data`,
    vocabFile: model.vocabFile,
    bertConfigFile: model.configFile,
    initCheckpoint: model.checkpoint,
    outputDir: out,
    doLowerCase: s.doLowerCase,
    maxSeqLength: s.maxSeqLength,
    doTrain: true,
    doEval: data.doEval,
    trainBatchSize: s.batchSize,
    learningRate: s.learningRate,
    numTrainEpochs: s.epochs,
    seed: s.seed,
    numThreads: s.threads,
    backend: 'wasm',
    logger,
    onStep: (i) =>
      post({ type: 'step', step: i.step, total: i.totalSteps, loss: i.loss, lr: i.learningRate }),
  });
  classifier = await Classifier.load(out, { numThreads: s.threads, logger });
  outputDir = out;
  post({ type: 'trained', evalResults: data.doEval ? evalResults(out) : null });
}

function trained(): { clf: Classifier; dir: string } {
  if (classifier === null || outputDir === null)
    throw new UsageError('no fine-tuned model yet', 'press Train first');
  return { clf: classifier, dir: outputDir };
}

async function classify(textA: string, textB: string): Promise<void> {
  if (textA.trim() === '') throw new UsageError('text_a is empty: type a sentence to classify');
  const [p] = await trained().clf.predict([{ textA, ...(textB.trim() === '' ? {} : { textB }) }]);
  post({ type: 'prediction', label: p!.label, probabilities: { ...p!.probabilities } });
}

/** The output_dir as a model folder in a zip: model.safetensors, bert_config.json, vocab.txt, bert_ts.json. */
function download(): void {
  const { dir } = trained();
  const checkpoint = latestCheckpoint(dir);
  if (checkpoint === null) throw new BertError(`${dir}: no checkpoint`);
  convertCheckpoint(checkpoint, `${dir}/export/model.safetensors`, logger);
  const names = ['bert_config.json', 'vocab.txt', 'bert_ts.json'];
  const entries = Object.fromEntries(
    names.map((n) => [`bert-ts-model/${n}`, getFile(`${dir}/${n}`)]),
  );
  entries['bert-ts-model/model.safetensors'] = getFile(`${dir}/export/model.safetensors`);
  // level 0 (stored): float32 weights barely compress, and this keeps the download instant
  const zip = zipSync(entries, { level: 0 });
  post({ type: 'zip', bytes: zip.buffer as ArrayBuffer }, [zip.buffer as ArrayBuffer]);
}

/** A one-line message for the page: the BertError's message and hint, or the internal error. */
function describe(e: unknown): string {
  if (e instanceof BertError) return e.hint ? `${e.message} (${e.hint})` : e.message;
  return `internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
}

scope.onmessage = (e) => {
  const m = e.data;
  const job =
    m.type === 'train'
      ? train(m.settings, m.files)
      : m.type === 'classify'
        ? classify(m.textA, m.textB)
        : Promise.resolve().then(download);
  job.catch((err: unknown) => post({ type: 'error', message: describe(err) }));
};
