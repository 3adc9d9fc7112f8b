// load_vocab and the vocabulary lookups, on the real vocab files and on small files that hit each
// rule (str.strip, "\n"-only line splitting, duplicates, BOM, bad UTF-8).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError } from '../../src/util/errors.js';
import { UnknownTokenError, Vocab } from '../../src/tokenization/vocab.js';
import { SHARED } from '../shared.js';

const dir = mkdtempSync(join(tmpdir(), 'bert-vocab-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function vocabFile(name: string, bytes: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

describe('the real vocabularies', () => {
  it('uncased: 30522 ids, the special tokens at 0 and 100-103', () => {
    const v = Vocab.fromFile(join(SHARED, 'vocab/uncased/vocab.txt'));
    expect(v.size).toBe(30522);
    expect(v.tokenToId.size).toBe(30522);
    expect(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]'].map((t) => v.idOf(t))).toEqual([
      0, 100, 101, 102, 103,
    ]);
    expect(v.tokenOf(2002)).toBe('he');
    expect(v.tokenOf(30521)).toBe('##～');
  });

  it('chinese: 21128 ids; line 344 (U+2028) strips to "" and line 13503 ("##\\u2028") to "##"', () => {
    const v = Vocab.fromFile(join(SHARED, 'vocab/chinese/vocab.txt'));
    expect(v.size).toBe(21128);
    expect(v.idOf('')).toBe(343);
    expect(v.idOf('##')).toBe(13502);
    expect(v.tokenOf(343)).toBe('');
    expect(v.idOf('##😂')).toBe(21126);
  });
});

describe('load_vocab rules', () => {
  it('strips every str.isspace() character, keeps U+FEFF and U+200B, splits at \\n only', () => {
    const v = Vocab.fromFile(
      vocabFile('strip.txt', '\ufeffa\n  b \r\n\u3000c\u0085\nd\u2028e\n\u200bf'),
    );
    expect(v.idToToken).toEqual(['\ufeffa', 'b', 'c', 'd\u2028e', '\u200bf']);
    expect(v.idOf('\u200bf')).toBe(4); // the last line needs no "\n"
  });

  it('a blank line is the empty token with its own id; a repeat keeps the later id', () => {
    const v = Vocab.fromFile(vocabFile('dup.txt', 'a\n\nb\na\n'));
    expect(v.size).toBe(4);
    expect(v.idOf('')).toBe(1);
    expect(v.idOf('a')).toBe(3);
    expect(v.tokenOf(3)).toBe('a');
    expect(() => v.tokenOf(0)).toThrow('id 0 is not in the vocabulary');
    expect(() => v.tokenOf(0)).toThrow('line 1 repeats "a"');
  });

  it('every "\\r" is dropped, as TF\'s BufferedInputStream::ReadLine does', () => {
    const v = Vocab.fromFile(vocabFile('cr.txt', 'a\rb\n\r\nc\r\r'));
    expect(v.idToToken).toEqual(['ab', '', 'c']); // a lone trailing "\r" adds no line
  });

  it('an empty file is an empty vocabulary', () => {
    expect(Vocab.fromFile(vocabFile('empty.txt', '')).size).toBe(0);
  });
});

describe('bad input', () => {
  it('invalid UTF-8: FormatError naming the file, line and byte', () => {
    const path = vocabFile('bad.txt', Buffer.from([0x61, 0x0a, 0x62, 0x0a, 0x63, 0xff, 0x0a]));
    expect(() => Vocab.fromFile(path)).toThrow(FormatError);
    expect(() => Vocab.fromFile(path)).toThrow(`${path}: line 3 (byte 4): invalid UTF-8`);
  });

  it('a missing file: FormatError naming the path', () => {
    const path = join(dir, 'missing.txt');
    expect(() => Vocab.fromFile(path)).toThrow(`${path}: cannot read the vocab file`);
  });

  it('an unknown token or id: UnknownTokenError naming it and the vocab (Python: KeyError)', () => {
    const path = vocabFile('small.txt', '[UNK]\nx\n');
    const v = Vocab.fromFile(path);
    expect(() => v.idOf('y')).toThrow(UnknownTokenError);
    expect(() => v.idOf('y')).toThrow(`token "y" is not in the vocabulary ${path}`);
    expect(() => v.tokenOf(2)).toThrow(`id 2 is not in the vocabulary ${path} (2 lines)`);
    expect(() => v.tokenOf(-1)).toThrow(UnknownTokenError);
    expect(() => v.tokenOf(0.5)).toThrow(UnknownTokenError);
  });
});
