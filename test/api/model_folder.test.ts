// Model folders by path: the shipped Brown BERT-Tiny (with bert_ts.json), a Google download
// without it, a checkpoint prefix or .safetensors file named directly, the order in which weights
// are found, and folders that are not models (each error names what is missing or wrong).
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createFolderAtomically,
  modelMeta,
  modelMetaJson,
  parseModelMeta,
  readModelFolder,
} from '../../src/api/model_folder.js';
import { convertCheckpoint } from '../../src/formats/checkpoint/convert.js';
import { updateCheckpointStateFile } from '../../src/formats/checkpoint/paths.js';
import { FormatError, UsageError } from '../../src/util/errors.js';
import { silentLogger } from '../../src/util/log.js';
import { REPO } from '../shared.js';

const BROWN = join(REPO, 'models/uncased_L-2_H-128_A-2_brown');

/** A copy of the shipped model's files (all, or those named) in a new folder called `name`. */
function copyModel(name: string, files = readdirSync(BROWN)): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'bert-folder-')), name);
  mkdirSync(dir);
  for (const f of files) copyFileSync(join(BROWN, f), join(dir, f));
  return dir;
}

const ENCODER_META = modelMeta({
  task_name: null,
  labels: null,
  is_regression: false,
  do_lower_case: true,
  max_seq_length: 128,
});

describe('readModelFolder', () => {
  it('the shipped model: its bert_ts.json (a bare encoder), config and released prefix', () => {
    const f = readModelFolder(BROWN);
    expect(f.weights).toBe(join(BROWN, 'bert_model.ckpt'));
    expect(f.hasMeta).toBe(true);
    expect(f.meta).toEqual(ENCODER_META);
    expect(f.config.hidden_size).toBe(128);
    expect(f.vocabFile).toBe(join(BROWN, 'vocab.txt'));
  });
  it('a Google download (no bert_ts.json): a bare encoder; casing from the folder name', () => {
    const google = ['bert_config.json', 'vocab.txt', 'bert_model.ckpt.index'];
    const files = [...google, 'bert_model.ckpt.data-00000-of-00001'];
    const uncased = readModelFolder(copyModel('uncased_L-2_H-128_A-2', files));
    expect(uncased.hasMeta).toBe(false);
    expect(uncased.meta).toEqual({ ...ENCODER_META, max_seq_length: 512 });
    expect(readModelFolder(copyModel('cased_L-12_H-768_A-12', files)).meta.do_lower_case).toBe(
      false,
    );
  });
  it('a checkpoint prefix or .safetensors file named directly: its folder, those weights', () => {
    const dir = copyModel('m');
    expect(readModelFolder(join(dir, 'bert_model.ckpt')).weights).toBe(
      join(dir, 'bert_model.ckpt'),
    );
    expect(readModelFolder(join(dir, 'bert_model.ckpt.index')).dir).toBe(dir);
    const st = join(dir, 'other.safetensors');
    convertCheckpoint(join(dir, 'bert_model.ckpt'), st, silentLogger);
    expect(readModelFolder(st).weights).toBe(st);
  });
  it("weights: the 'checkpoint' file's latest first, then bert_model.ckpt, then model.safetensors", () => {
    const dir = copyModel('m', ['bert_config.json', 'vocab.txt']);
    convertCheckpoint(join(BROWN, 'bert_model.ckpt'), join(dir, 'model.safetensors'), silentLogger);
    expect(readModelFolder(dir).weights).toBe(join(dir, 'model.safetensors'));
    for (const ext of ['index', 'data-00000-of-00001']) {
      copyFileSync(join(BROWN, `bert_model.ckpt.${ext}`), join(dir, `bert_model.ckpt.${ext}`));
      copyFileSync(join(BROWN, `bert_model.ckpt.${ext}`), join(dir, `model.ckpt-7.${ext}`));
    }
    expect(readModelFolder(dir).weights).toBe(join(dir, 'bert_model.ckpt'));
    updateCheckpointStateFile(dir, join(dir, 'model.ckpt-7'), []);
    expect(readModelFolder(dir).weights).toBe(join(dir, 'model.ckpt-7'));
  });
  it('a folder that is not a model names everything it lacks', () => {
    const empty = mkdtempSync(join(tmpdir(), 'bert-folder-'));
    expect(() => readModelFolder(empty)).toThrow(UsageError);
    expect(() => readModelFolder(empty)).toThrow(
      `${empty}: not a model folder: no bert_config.json, no vocab.txt, no weights (a 'checkpoint' file, bert_model.ckpt.index or model.safetensors)`,
    );
    const noVocab = copyModel('m', ['bert_config.json', 'bert_model.ckpt.index']);
    expect(() => readModelFolder(noVocab)).toThrow(/not a model folder: no vocab.txt$/);
    expect(() => readModelFolder(join(empty, 'nope'))).toThrow('nope: no such model folder');
    expect(() => readModelFolder(join(BROWN, 'vocab.txt'))).toThrow(
      /not a model folder \(a file\)/,
    );
  });
  it('a bad bert_ts.json is a FormatError naming the file and the field', () => {
    const dir = copyModel('m');
    const meta = join(dir, 'bert_ts.json');
    const cases: [unknown, RegExp][] = [
      [
        { ...ENCODER_META, labels: ['0', '0'] },
        /"labels" is \["0","0"\], expected null or a list of distinct strings/,
      ],
      [{ ...ENCODER_META, version: 2 }, /"version" is 2, this bert-ts reads version 1/],
      [{ ...ENCODER_META, format: 'x' }, /"format" is "x", expected "bert-ts-model"/],
      [
        { ...ENCODER_META, do_lower_case: 'yes' },
        /"do_lower_case" is "yes", expected true or false/,
      ],
      [
        { ...ENCODER_META, max_seq_length: 513 },
        /max_seq_length 513 is over .*max_position_embeddings 512/,
      ],
    ];
    for (const [content, message] of cases) {
      writeFileSync(meta, JSON.stringify(content));
      expect(() => readModelFolder(dir)).toThrow(message);
    }
    writeFileSync(meta, '{');
    expect(() => readModelFolder(dir)).toThrow(FormatError);
  });
  it('bert_ts.json round-trips, keys in the contract order', () => {
    const meta = modelMeta({ ...ENCODER_META, task_name: 'mrpc', labels: ['0', '1'] });
    const text = modelMetaJson(meta);
    expect(Object.keys(JSON.parse(text))).toEqual([
      'format',
      'version',
      'task_name',
      'labels',
      'is_regression',
      'do_lower_case',
      'max_seq_length',
    ]);
    expect(parseModelMeta(text, 'x')).toEqual(meta);
  });
});

describe('createFolderAtomically', () => {
  it('a failure leaves nothing; a non-empty target is refused', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'bert-folder-'));
    const dir = join(parent, 'out');
    const fail = createFolderAtomically(dir, (tmp) => {
      writeFileSync(join(tmp, 'half'), 'x');
      throw new Error('boom');
    });
    await expect(fail).rejects.toThrow('boom');
    expect(readdirSync(parent)).toEqual([]);
    await createFolderAtomically(dir, (tmp) => writeFileSync(join(tmp, 'a'), 'x'));
    expect(readdirSync(dir)).toEqual(['a']);
    await expect(createFolderAtomically(dir, () => {})).rejects.toThrow(
      `${dir}: exists and is not empty`,
    );
  });
});
