// A SQuAD file (train-v1.1.json, dev-v1.1.json, train-v2.0.json …) read and checked once:
// {"data": [{"paragraphs": [{"context", "qas": [{"id", "question", "answers": [{"text",
// "answer_start"}], "is_impossible"?}]}]}]}. Where run_squad.py dies with a KeyError or an
// IndexError (or silently reads the wrong word: a negative answer_start), bert-ts stops before
// writing anything with one FormatError naming the file and the question id (or the JSON path).
import { FormatError } from '../../util/errors.js';
import { readInputText } from '../../util/fs.js';
import { parseJson } from '../../util/json_file.js';

export interface SquadAnswer {
  readonly text: string;
  /** Offset of the answer in the context, in code points (Python str indexes). */
  readonly answerStart: number;
}

export interface SquadQuestion {
  readonly id: string;
  readonly question: string;
  readonly answers: readonly SquadAnswer[];
  /** v2.0's flag; absent (undefined) in v1.1 files. */
  readonly isImpossible: boolean | undefined;
}

export interface SquadParagraph {
  readonly context: string;
  readonly qas: readonly SquadQuestion[];
}

export interface SquadFile {
  readonly path: string;
  readonly version: string | null;
  /** The paragraphs of every article, article by article. */
  readonly articles: readonly (readonly SquadParagraph[])[];
}

type Json = unknown;

function field(obj: Json, key: string, where: string): Json {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
    throw new FormatError(`${where}: not a JSON object`);
  if (!(key in obj)) throw new FormatError(`${where}: no '${key}'`);
  return (obj as Record<string, Json>)[key];
}

function list(v: Json, where: string): readonly Json[] {
  if (!Array.isArray(v)) throw new FormatError(`${where}: not a JSON list`);
  return v;
}

function text(v: Json, where: string): string {
  if (typeof v !== 'string') throw new FormatError(`${where}: not a string`);
  return v;
}

function answer(a: Json, contextLength: number, where: string): SquadAnswer {
  const t = text(field(a, 'text', where), `${where}: text`);
  const start = field(a, 'answer_start', where);
  if (typeof start !== 'number' || !Number.isInteger(start))
    throw new FormatError(`${where}: answer_start ${JSON.stringify(start)} is not an integer`);
  const length = [...t].length;
  // An answer must lie inside the context (an empty one may sit at its end).
  if (start < 0 || start + Math.max(length, 1) > contextLength)
    throw new FormatError(
      `${where}: answer_start ${start} + ${length} characters lies outside the context (${contextLength} characters)`,
    );
  return { text: t, answerStart: start };
}

function question(qa: Json, contextLength: number, path: string, loc: string): SquadQuestion {
  const idValue = field(qa, 'id', `${path}: ${loc}`);
  if (typeof idValue !== 'string') throw new FormatError(`${path}: ${loc}: id is not a string`);
  const at = `${path}: question ${idValue}`;
  const q = text(field(qa, 'question', at), `${at}: question`);
  const answers = list(field(qa, 'answers', at), `${at}: answers`).map((a, i) =>
    answer(a, contextLength, `${at}: answers[${i}]`),
  );
  const flag = (qa as Record<string, Json>)['is_impossible'];
  if (flag !== undefined && typeof flag !== 'boolean')
    throw new FormatError(`${at}: is_impossible is not true or false`);
  return { id: idValue, question: q, answers, isImpossible: flag };
}

function paragraph(p: Json, path: string, loc: string): SquadParagraph {
  const where = `${path}: ${loc}`;
  const context = text(field(p, 'context', where), `${where}.context`);
  const length = [...context].length;
  const qas = list(field(p, 'qas', where), `${where}.qas`).map((qa, i) =>
    question(qa, length, path, `${loc}.qas[${i}]`),
  );
  return { context, qas };
}

/** Reads and checks a SQuAD JSON file; every error names `path`. */
export function readSquadFile(path: string): SquadFile {
  const text = readInputText(path, 'SQuAD file');
  const root = parseJson(text, path, 'expected a SQuAD file') as Json;
  const data = list(field(root, 'data', path), `${path}: data`);
  const articles = data.map((entry, a) =>
    list(field(entry, 'paragraphs', `${path}: data[${a}]`), `${path}: data[${a}].paragraphs`).map(
      (p, i) => paragraph(p, path, `data[${a}].paragraphs[${i}]`),
    ),
  );
  const version = (root as Record<string, Json>)['version'];
  return { path, version: typeof version === 'string' ? version : null, articles };
}
