// Fuzzing the weight readers with seeded mutations of the shipped Brown BERT-Tiny (a TF
// checkpoint this project wrote) and of its safetensors conversion: convert_checkpoint (in-process
// CLI) reads every tensor and writes its output atomically, so a refusal must name the file (and
// the tensor where there is one) and leave nothing in the output directory. extract_features
// loads through the one checkpoint loader: a transposed table, a wrong dtype or a config that
// does not fit the checkpoint is refused naming the files.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CASE_TIMEOUT,
  expectClean,
  extractFeatures,
  expectRefused,
  fileWith,
  filesIn,
  MODEL_CKPT,
  MODEL_CONFIG,
  Mutator,
  type Outcome,
  runBert,
  seeds,
  tempDir,
} from './harness.js';

const INDEX = `${MODEL_CKPT}.index`;
const DATA = `${MODEL_CKPT}.data-00000-of-00001`;

/** convert_checkpoint --from=from --to=OUT/name; the outcome and the output directory. */
async function convert(from: string, name: string): Promise<{ o: Outcome; out: string }> {
  const out = tempDir('out');
  const o = await runBert(['convert_checkpoint', `--from=${from}`, `--to=${join(out, name)}`]);
  return { o, out };
}

/** Refused naming `file` (and matching place), with nothing written; or, if allowed, clean. */
async function expectConvertRefused(from: string, name: string, file: string, place?: RegExp) {
  const { o, out } = await convert(from, name);
  expectRefused(o, file, place);
  expect(filesIn(out)).toEqual([]);
}

/** A TF checkpoint prefix in a fresh directory from the given index and data bytes (or files). */
function checkpointWith(index: Uint8Array | string | null, data: Uint8Array | string | null) {
  const dir = tempDir('ckpt');
  const prefix = join(dir, 'bert_model.ckpt');
  const place = (what: Uint8Array | string | null, path: string) => {
    if (typeof what === 'string') symlinkSync(what, path);
    else if (what !== null) writeFileSync(path, what);
  };
  place(index, `${prefix}.index`);
  place(data, `${prefix}.data-00000-of-00001`);
  return prefix;
}

describe('fuzz: TF checkpoint (convert_checkpoint --from=bert_model.ckpt)', () => {
  const index = new Uint8Array(readFileSync(INDEX));
  const data = new Uint8Array(readFileSync(DATA));

  it(
    'the intact checkpoint converts clean',
    async () => {
      const { o, out } = await convert(checkpointWith(INDEX, DATA), 'model.safetensors');
      expectClean(o);
      expect(filesIn(out)).toEqual(['model.safetensors']);
    },
    CASE_TIMEOUT,
  );

  it.each(seeds(4))(
    'index truncated, seed %i',
    async (seed) => {
      const prefix = checkpointWith(new Mutator(seed).truncate(index), DATA);
      await expectConvertRefused(prefix, 'model.safetensors', `${prefix}.index`);
    },
    CASE_TIMEOUT,
  );

  it.each(seeds(4, 10))(
    'index bit flip, seed %i: refused naming the index, or harmless',
    async (seed) => {
      const prefix = checkpointWith(new Mutator(seed).flip(index), DATA);
      const { o, out } = await convert(prefix, 'model.safetensors');
      if (o.code === 0) expect(filesIn(out)).toEqual(['model.safetensors']);
      else {
        expectRefused(o, 'bert_model.ckpt');
        expect(filesIn(out)).toEqual([]);
      }
    },
    CASE_TIMEOUT,
  );

  it.each(seeds(3, 20))(
    'data truncated, seed %i: the tensor past the end is named',
    async (seed) => {
      const prefix = checkpointWith(INDEX, new Mutator(seed).truncate(data));
      await expectConvertRefused(prefix, 'model.safetensors', prefix, /tensor '[^']+'/);
    },
    CASE_TIMEOUT,
  );

  it.each(seeds(3, 30))(
    'data bit flip, seed %i: the tensor whose crc fails is named',
    async (seed) => {
      const prefix = checkpointWith(INDEX, new Mutator(seed).flip(data));
      await expectConvertRefused(prefix, 'model.safetensors', prefix, /tensor '[^']+': crc32c/);
    },
    CASE_TIMEOUT,
  );

  it.each([
    ['no data file', () => checkpointWith(INDEX, null), /data file .* is missing/],
    ['an empty index', () => checkpointWith(new Uint8Array(0), DATA), undefined],
    ['an index of NUL bytes', () => checkpointWith(new Uint8Array(64), DATA), undefined],
  ])(
    '%s',
    async (_name, make, place) => {
      const prefix = make();
      await expectConvertRefused(prefix, 'model.safetensors', prefix, place);
    },
    CASE_TIMEOUT,
  );

  it(
    'the index is a directory',
    async () => {
      const prefix = checkpointWith(null, DATA);
      mkdirSync(`${prefix}.index`);
      await expectConvertRefused(
        prefix,
        'model.safetensors',
        `${prefix}.index`,
        /it is a directory/,
      );
    },
    CASE_TIMEOUT,
  );

  it(
    'a checkpoint state file that is not one',
    async () => {
      const dir = tempDir('state');
      const state = fileWith('checkpoint', 'model_checkpoint_path: "x"\ngarbage\n', dir);
      await expectConvertRefused(dir, 'model.safetensors', state, /line 2/);
    },
    CASE_TIMEOUT,
  );
});

/** The safetensors header (JSON) and the data after it. */
function splitSafetensors(bytes: Uint8Array): {
  header: Record<string, unknown>;
  rest: Uint8Array;
} {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + n)).toString('utf8'));
  return { header, rest: bytes.subarray(8 + n) };
}

function joinSafetensors(header: Record<string, unknown>, rest: Uint8Array): Uint8Array {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(8);
  len.writeBigUint64LE(BigInt(json.length));
  return Buffer.concat([len, json, rest]);
}

describe('fuzz: safetensors (convert_checkpoint and extract_features)', () => {
  let real: Uint8Array;
  let headerLength: number;
  beforeAll(async () => {
    const { o, out } = await convert(MODEL_CKPT, 'model.safetensors');
    expectClean(o);
    real = new Uint8Array(readFileSync(join(out, 'model.safetensors')));
    headerLength = 8 + Number(new DataView(real.buffer).getBigUint64(0, true));
  }, CASE_TIMEOUT);
  const st = (bytes: Uint8Array) => fileWith('model.safetensors', bytes);

  it.each(seeds(4, 40))(
    'truncated, seed %i',
    async (seed) => {
      const path = st(new Mutator(seed).truncate(real));
      await expectConvertRefused(path, 'bert_model.ckpt', path);
    },
    CASE_TIMEOUT,
  );

  it.each(seeds(4, 50))(
    'header bit flip, seed %i: refused naming the file, or harmless',
    async (seed) => {
      const path = st(new Mutator(seed).flip(real, 8, headerLength));
      const { o, out } = await convert(path, 'bert_model.ckpt');
      if (o.code === 0) expect(filesIn(out).length).toBe(2);
      else {
        expectRefused(o, path);
        expect(filesIn(out)).toEqual([]);
      }
    },
    CASE_TIMEOUT,
  );

  it.each(seeds(2, 60))(
    'data bit flip, seed %i: no checksum to fail, converts clean',
    async (seed) => {
      const { o, out } = await convert(
        st(new Mutator(seed).flip(real, headerLength)),
        'bert_model.ckpt',
      );
      expectClean(o);
      expect(filesIn(out).sort()).toEqual([
        'bert_model.ckpt.data-00000-of-00001',
        'bert_model.ckpt.index',
      ]);
    },
    CASE_TIMEOUT,
  );

  it.each(seeds(2, 70))(
    'header length bit flip, seed %i',
    async (seed) => {
      const path = st(new Mutator(seed).flip(real, 0, 8));
      await expectConvertRefused(
        path,
        'bert_model.ckpt',
        path,
        /header|byte|data_offsets|tensors cover/,
      );
    },
    CASE_TIMEOUT,
  );

  it.each([
    ['an empty file', new Uint8Array(0)],
    ['NUL bytes', new Uint8Array(64)],
  ])(
    '%s',
    async (_name, bytes) => {
      const path = st(bytes);
      await expectConvertRefused(path, 'bert_model.ckpt', path);
    },
    CASE_TIMEOUT,
  );

  it(
    'a directory named model.safetensors',
    async () => {
      const path = join(tempDir('st-dir'), 'model.safetensors');
      mkdirSync(path);
      await expectConvertRefused(path, 'bert_model.ckpt', path, /it is a directory/);
    },
    CASE_TIMEOUT,
  );

  const extract = async (weights: string, config?: string): Promise<Outcome> =>
    (await extractFeatures({ weights, config })).o;

  it(
    'word_embeddings stored as [128, 30522] (same bytes) is refused naming both files',
    async () => {
      const { header, rest } = splitSafetensors(real);
      const name = 'bert.embeddings.word_embeddings.weight';
      const e = header[name] as { shape: number[] };
      e.shape = [e.shape[1]!, e.shape[0]!];
      const path = st(joinSafetensors(header, rest));
      const line = expectRefused(
        await extract(path),
        path,
        /shape \[128,30522\] in the checkpoint/,
      );
      expect(line).toContain(MODEL_CONFIG);
    },
    CASE_TIMEOUT,
  );

  it(
    'a float tensor relabelled I32 (same size) is refused by dtype',
    async () => {
      const { header, rest } = splitSafetensors(real);
      (header['bert.pooler.dense.bias'] as { dtype: string }).dtype = 'I32';
      const path = st(joinSafetensors(header, rest));
      expectRefused(await extract(path), path, /tensor bert\/pooler\/dense\/bias: dtype int32/);
    },
    CASE_TIMEOUT,
  );

  it(
    'a config whose vocab_size does not fit the checkpoint names the checkpoint and the config',
    async () => {
      const cfg = JSON.parse(readFileSync(MODEL_CONFIG, 'utf8'));
      const config = fileWith('bert_config.json', JSON.stringify({ ...cfg, vocab_size: 30521 }));
      const line = expectRefused(
        await extract(MODEL_CKPT, config),
        MODEL_CKPT,
        /\[30522,128\] in the checkpoint/,
      );
      expect(line).toContain(config);
    },
    CASE_TIMEOUT,
  );
});
