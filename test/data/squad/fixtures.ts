// The SQuAD fixtures of refgen/squad/gen.py (the Python restatement of run_squad.py and of the
// official evaluation) and the files they were made from.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSquadFile, type SquadFile } from '../../../src/data/squad/squad_json.js';
import { FullTokenizer } from '../../../src/tokenization/full.js';
import { REPO, SHARED } from '../../shared.js';

export const FIXTURES = join(REPO, 'test/fixtures/squad');
export const DEV_PATH = join(SHARED, 'squad/v1.1/dev-v1.1.json');
export const V2_PATH = join(FIXTURES, 'v2_small.json');
export const UNCASED = FullTokenizer.fromFile(join(SHARED, 'vocab/uncased/vocab.txt'), true);
export const CASED = FullTokenizer.fromFile(join(SHARED, 'vocab/uncased/vocab.txt'), false);

export function fixture<T>(name: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as T;
}

let dev: SquadFile | undefined;
export function devFile(): SquadFile {
  return (dev ??= readSquadFile(DEV_PATH));
}

/** A copy of `file` keeping `paragraphs` paragraphs of article `article` (the generator's subset). */
export function subset(file: SquadFile, article: number, paragraphs: number): SquadFile {
  return { ...file, articles: [file.articles[article]!.slice(0, paragraphs)] };
}

/** npm run squad's training split: articles 0–35, each question with its first answer. */
export function trainSplit(file: SquadFile): SquadFile {
  return {
    ...file,
    articles: file.articles
      .slice(0, 36)
      .map((ps) => ps.map((p) => ({ ...p, qas: p.qas.map((q) => ({ ...q, answers: q.answers.slice(0, 1) })) }))),
  };
}
