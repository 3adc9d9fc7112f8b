// The one file-open helper every reader goes through: a missing file, a directory or a file
// without permission is a one-line FormatError naming the path and the kind of file expected.
// The atomic writers: an output path in a missing directory, or a directory, is a one-line
// UsageError naming it, and no temporary file is left beside it.
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTsv } from '../../src/data/tsv.js';
import { readGfileLines } from '../../src/data/pretraining/input_files.js';
import { openCheckpoint } from '../../src/formats/checkpoint/source.js';
import { readTFRecords } from '../../src/formats/tfrecord.js';
import { SafetensorsFile } from '../../src/formats/safetensors.js';
import { BertConfig } from '../../src/model/config.js';
import { Vocab } from '../../src/tokenization/vocab.js';
import { FormatError, UsageError } from '../../src/util/errors.js';
import {
  AtomicFileWriter,
  inputFileError,
  readInputFile,
  writeFileAtomicSync,
} from '../../src/util/fs.js';

describe('openInputFile / readInputFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bert-fs-'));

  it('a missing file and a directory are FormatErrors naming the path and the kind of file', () => {
    const none = join(dir, 'none.txt');
    expect(() => readInputFile(none, 'vocab file')).toThrow(
      new FormatError(`${none}: cannot read the vocab file: no such file`),
    );
    expect(() => readInputFile(dir, 'vocab file')).toThrow(
      new FormatError(`${dir}: cannot read the vocab file: it is a directory`),
    );
  });

  it('permission and other errno errors read as words; other errors pass unchanged', () => {
    // (tests run as root here, where chmod 000 does not deny reading)
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    expect(inputFileError(denied, '/x/y.tsv', 'TSV file')).toEqual(
      new FormatError('/x/y.tsv: cannot read the TSV file: permission denied'),
    );
    const other = new RangeError('not a file error');
    expect(inputFileError(other, '/x', 'file')).toBe(other);
  });

  it('every reader refuses a directory where its file should be, naming it', () => {
    const at = (name: string): string => {
      const d = join(dir, name);
      mkdirSync(d, { recursive: true });
      return d;
    };
    const cases: [string, (p: string) => unknown, string][] = [
      ['train.tsv', readTsv, 'TSV file'],
      ['vocab.txt', Vocab.fromFile, 'vocab file'],
      ['bert_config.json', BertConfig.fromJsonFile, 'BERT config file'],
      ['tf_examples.tfrecord', (p) => [...readTFRecords(p)], 'TFRecord file'],
      ['model.safetensors', (p) => new SafetensorsFile(p), 'safetensors file'],
      ['input.txt', (p) => [...readGfileLines(p)], 'text file'],
      ['model.ckpt.index', (p) => openCheckpoint(p.replace(/\.index$/, '')), 'checkpoint index'],
    ];
    for (const [name, read, what] of cases) {
      const path = at(name);
      expect(() => read(path)).toThrow(`${path}: cannot read the ${what}: it is a directory`);
    }
  });
});

describe('writeFileAtomicSync / AtomicFileWriter', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bert-fs-out-'));
  const streamed = (path: string) => {
    const w = new AtomicFileWriter(path);
    w.write('{"a": 1}\n');
    w.commit();
  };

  it('an output path whose directory does not exist: a UsageError naming it', () => {
    const path = join(dir, 'missing', 'out.jsonl');
    const error = new UsageError(
      `${path}: cannot write the output file: its directory does not exist`,
    );
    expect(() => writeFileAtomicSync(path, 'x')).toThrow(error);
    expect(() => streamed(path)).toThrow(error);
  });

  it('a directory where the output file should go: refused at the rename, nothing left', () => {
    const path = join(dir, 'out.jsonl');
    mkdirSync(path);
    const error = new UsageError(`${path}: cannot write the output file: it is a directory`);
    expect(() => writeFileAtomicSync(path, 'x')).toThrow(error);
    expect(() => streamed(path)).toThrow(error);
    expect(readdirSync(dir)).toEqual(['out.jsonl']);
    expect(readdirSync(path)).toEqual([]);
  });
});
