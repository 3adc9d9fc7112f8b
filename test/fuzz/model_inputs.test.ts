// Fuzzing bert_config.json, the input lines of extract_features (in-process CLI, with the shipped
// Brown BERT-Tiny) and of create_pretraining_data, and JSON lines on stdin (`bert tokenize` as a
// child process, as a shell would run it). Absurd config values are refused naming the file
// before anything is allocated; a BOM or CRLF line ends give exactly the unchanged input's output.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SHARED } from '../shared.js';
import {
  CASE_TIMEOUT,
  expectClean,
  extractFeatures,
  expectCleanOrRefused,
  expectRefused,
  filesIn,
  fileWith,
  MODEL_CONFIG,
  Mutator,
  runBert,
  type Outcome,
  seeds,
  spawnBert,
  tempDir,
  VOCAB,
} from './harness.js';

const INPUT = 'Hello world.\nThe cat sat ||| on the mat.\n';
const enc = (s: string) => Buffer.from(s, 'utf8');

const extract = (config: string, input?: Uint8Array) => extractFeatures({ config, input });

describe('fuzz: bert_config.json (extract_features)', () => {
  const real = readFileSync(MODEL_CONFIG);
  const fields = JSON.parse(real.toString('utf8')) as Record<string, unknown>;
  const config = (bytes: Uint8Array | string) => fileWith('bert_config.json', bytes);
  let base: string;
  beforeAll(async () => {
    const r = await extract(MODEL_CONFIG);
    expectClean(r.o);
    base = r.output!;
  }, CASE_TIMEOUT);

  it.each([
    [
      'num_hidden_layers',
      1e9,
      /"num_hidden_layers" is 1000000000, expected a positive integer ≤ 1000/,
    ],
    ['vocab_size', 1e12, /"vocab_size" is 1000000000000, expected a positive integer/],
    ['intermediate_size', 1e9, /"intermediate_size" is 1000000000, expected a positive integer/],
    ['type_vocab_size', 1e9, /"type_vocab_size" is 1000000000, expected a positive integer/],
    ['hidden_size', -128, /"hidden_size" is -128, expected a positive integer/],
    ['num_attention_heads', 0, /"num_attention_heads" is 0, expected a positive integer/],
    ['hidden_size', 2.5, /"hidden_size" is 2.5, expected an integer/],
    ['vocab_size', 'big', /"vocab_size" is "big", expected an integer/],
    ['max_position_embeddings', null, /"max_position_embeddings" is null, expected an integer/],
    ['hidden_act', 'swish', /unsupported hidden_act "swish"/],
    ['hidden_dropout_prob', 7, /"hidden_dropout_prob" is 7, expected a probability/],
    [
      'vocab_size',
      30521,
      /\[30522,128\] in the checkpoint, the model built from .* has \[30521,128\]/,
    ],
  ])(
    '%s: %s',
    async (key, value, place) => {
      const path = config(JSON.stringify({ ...fields, [key]: value }));
      expectRefused((await extract(path)).o, path, place);
    },
    CASE_TIMEOUT,
  );

  it(
    'parameters within every bound that cannot fit in 4 GiB',
    async () => {
      const big = { ...fields, vocab_size: 9_000_000, hidden_size: 4096, num_attention_heads: 64 };
      const path = config(JSON.stringify(big));
      expectRefused(
        (await extract(path)).o,
        path,
        /parameters need [\d.]+ GiB with their gradients, more than the 4\.00 GiB/,
      );
    },
    CASE_TIMEOUT,
  );

  it.each(seeds(3, 800))(
    'truncated, seed %i',
    async (seed) => {
      const path = config(new Mutator(seed).truncate(real));
      expectRefused((await extract(path)).o, path, /not JSON|no "vocab_size"/);
    },
    CASE_TIMEOUT,
  );

  it.each(seeds(3, 900))(
    'bit flip, seed %i: refused naming the config, or harmless',
    async (seed) => {
      const path = config(new Mutator(seed).flip(real));
      const r = await extract(path);
      expectCleanOrRefused(r.o, path);
    },
    CASE_TIMEOUT,
  );

  it.each([
    ['an empty file', ''],
    [
      'invalid UTF-8 in hidden_act',
      Buffer.concat([
        enc('{"vocab_size": 30522, "hidden_act": "ge'),
        Buffer.from([0xff]),
        enc('lu"}'),
      ]),
    ],
    ['a JSON list', '[1, 2]'],
  ])(
    '%s',
    async (_name, bytes) => {
      const path = config(bytes);
      expectRefused((await extract(path)).o, path);
    },
    CASE_TIMEOUT,
  );

  it(
    'a directory',
    async () => {
      const path = join(tempDir('cfg'), 'bert_config.json');
      mkdirSync(path);
      expectRefused((await extract(path)).o, path, /it is a directory/);
    },
    CASE_TIMEOUT,
  );

  it(
    'a vocab with more tokens than vocab_size: refused naming the vocab and the config',
    async () => {
      const vocab = fileWith('vocab.txt', Buffer.concat([readFileSync(VOCAB), enc('x\ny\n')]));
      const line = expectRefused((await extractFeatures({ vocab })).o, vocab, /30524 tokens/);
      expect(line).toContain(`more than vocab_size 30522 of ${MODEL_CONFIG}`);
    },
    CASE_TIMEOUT,
  );

  it.each([
    ['a BOM', Buffer.concat([enc('\ufeff'), real])],
    ['CRLF line ends', enc(real.toString('utf8').replaceAll('\n', '\r\n'))],
  ])(
    '%s: the same features',
    async (_name, bytes) => {
      const r = await extract(config(bytes));
      expectClean(r.o);
      expect(r.output).toBe(base);
    },
    CASE_TIMEOUT,
  );

  it(
    'input lines: invalid UTF-8 on line 2 is refused naming the file and line',
    async () => {
      const input = Buffer.concat([
        enc('Hello world.\nThe cat '),
        Buffer.from([0xc3, 0x28]),
        enc(' sat.\n'),
      ]);
      const r = await extract(MODEL_CONFIG, input);
      expectRefused(r.o, r.inputFile, /line 2 \(byte 21\): invalid UTF-8/);
    },
    CASE_TIMEOUT,
  );

  it(
    'input lines: CRLF line ends give the same features',
    async () => {
      const r = await extract(MODEL_CONFIG, enc(INPUT.replaceAll('\n', '\r\n')));
      expectClean(r.o);
      expect(r.output).toBe(base);
    },
    CASE_TIMEOUT,
  );
});

describe('fuzz: JSON lines on stdin (bert tokenize, a child process)', () => {
  const lines = [
    '{"text": "Hello, world!"}',
    '{"text": "The cat sat on the mat."}',
    '{"text": "naïve café"}',
  ];
  const input = enc(lines.join('\n') + '\n');
  const tokenize = (stdin: Buffer | string | null, stdinFile?: string): Outcome =>
    spawnBert(['tokenize', `--vocab_file=${VOCAB}`], stdin, stdinFile);
  let base: string;
  beforeAll(() => {
    const o = tokenize(input);
    expectClean(o);
    base = o.stdout;
    expect(base.split('\n')).toHaveLength(4);
  }, CASE_TIMEOUT);

  it.each([
    [
      'invalid UTF-8 on line 2',
      Buffer.concat([enc(`${lines[0]}\n{"text": "ab`), Buffer.from([0xff]), enc('"}\n')]),
      /line 2: invalid UTF-8/,
    ],
    [
      'a NUL byte inside a string on line 2',
      enc(`${lines[0]}\n{"text": "a\u0000b"}\n`),
      /line 2: not JSON/,
    ],
    ['not JSON on line 3', enc(`${lines[0]}\n${lines[1]}\nhello\n`), /line 3: not JSON/],
    [
      'no "text" on line 1',
      enc('{"txt": "a"}\n'),
      /line 1: expected an object with a string "text"/,
    ],
    ['a last line cut short', input.subarray(0, input.length - 6), /line 3: not JSON/],
  ])(
    '%s',
    (_name, stdin, place) => {
      const o = tokenize(stdin);
      expectRefused(o, '<stdin>', place);
    },
    CASE_TIMEOUT,
  );

  it(
    'stdin redirected from a directory',
    () => {
      expectRefused(tokenize(null, tempDir('stdin')), '<stdin>', /it is a directory/);
    },
    CASE_TIMEOUT,
  );

  it.each([
    ['CRLF line ends', enc(lines.join('\r\n') + '\r\n')],
    ['a BOM', Buffer.concat([enc('\ufeff'), input])],
  ])(
    '%s: the same answers',
    (_name, stdin) => {
      const o = tokenize(stdin);
      expectClean(o);
      expect(o.stdout).toBe(base);
    },
    CASE_TIMEOUT,
  );

  it(
    'a 1 MB line: answered',
    () => {
      const o = tokenize(enc(`{"text": "${'word '.repeat(200_000)}"}\n`));
      expectClean(o);
      expect(JSON.parse(o.stdout).tokens).toHaveLength(200_000);
    },
    CASE_TIMEOUT,
  );
});

describe('fuzz: create_pretraining_data --input_file (sample_text.txt)', () => {
  const real = readFileSync(join(SHARED, 'text', 'sample_text.txt'));
  let base: Buffer;
  /** create_pretraining_data on `text`; the outcome and the records written (null if none). */
  async function pretrainingData(text: Uint8Array | null) {
    const dir = tempDir('cpd');
    const input = join(dir, 'sample_text.txt');
    if (text === null) mkdirSync(input);
    else fileWith('sample_text.txt', text, dir);
    mkdirSync(join(dir, 'out'));
    const output = join(dir, 'out', 'tf_examples.tfrecord');
    const o = await runBert([
      'create_pretraining_data',
      `--input_file=${input}`,
      `--output_file=${output}`,
      `--vocab_file=${VOCAB}`,
      '--max_seq_length=32',
      '--max_predictions_per_seq=5',
      '--dupe_factor=1',
    ]);
    const written = filesIn(join(dir, 'out'));
    if (o.code !== 0) expect(written).toEqual([]);
    return { o, input, output: written.length === 0 ? null : readFileSync(output) };
  }

  it(
    'the real text: a clean run',
    async () => {
      const r = await pretrainingData(real);
      expectClean(r.o);
      base = r.output!;
    },
    CASE_TIMEOUT,
  );

  it.each([
    ['CRLF line ends', enc(real.toString('utf8').replaceAll('\n', '\r\n'))],
    ['a BOM (a format character the tokenizer drops)', Buffer.concat([enc('\ufeff'), real])],
  ])(
    '%s: the same records',
    async (_name, text) => {
      const r = await pretrainingData(text);
      expectClean(r.o);
      expect(r.output!.equals(base)).toBe(true);
    },
    CASE_TIMEOUT,
  );

  it(
    'invalid UTF-8 on line 5 is refused naming the file, line and byte',
    async () => {
      const lines = real.toString('utf8').split('\n');
      const at = Buffer.byteLength(lines.slice(0, 4).join('\n') + '\n');
      const text = Buffer.concat([
        real.subarray(0, at + 2),
        Buffer.from([0xe2, 0x28]),
        real.subarray(at + 2),
      ]);
      const r = await pretrainingData(text);
      expectRefused(r.o, r.input, new RegExp(`line 5 \\(byte ${at + 2}\\): invalid UTF-8`));
    },
    CASE_TIMEOUT,
  );

  it(
    'a directory',
    async () => {
      const r = await pretrainingData(null);
      expectRefused(r.o, r.input, /is not a file/);
    },
    CASE_TIMEOUT,
  );
});
