// run_squad.read_squad_examples: every question of a SQuAD file as a SquadExample. The context is
// cut into whitespace-separated words (space, \t, \r, \n and U+202F only — not Python's full
// isspace()), with a code point → word map; for training, the answer's character span becomes a
// word span, and an answer whose (whitespace-cleaned) text is not inside those words is skipped
// with the original's warning. v1.1 training needs exactly one answer per question; v2.0
// (version_2_with_negative) reads is_impossible, whose questions get the span (-1, -1) and "".
import { FormatError } from '../../util/errors.js';
import type { Logger } from '../../util/log.js';
import { pySplit } from '../../util/unicode.js';
import type { SquadFile, SquadQuestion } from './squad_json.js';

export interface SquadExample {
  readonly qasId: string;
  readonly questionText: string;
  /** The context's words; the same array for every question of a paragraph. */
  readonly docTokens: readonly string[];
  /** Training only (null when predicting). */
  readonly origAnswerText: string | null;
  /** Word indexes of the answer (training), -1 for an impossible question. */
  readonly startPosition: number | null;
  readonly endPosition: number | null;
  readonly isImpossible: boolean;
}

function isSquadWhitespace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\u202f';
}

/** The context's words and, per code point, the index of the word it belongs to (or precedes). */
export function splitContext(context: string): { docTokens: string[]; charToWord: number[] } {
  const docTokens: string[] = [];
  const charToWord: number[] = [];
  let prevIsWhitespace = true;
  for (const c of context) {
    if (isSquadWhitespace(c)) prevIsWhitespace = true;
    else {
      if (prevIsWhitespace) docTokens.push(c);
      else docTokens[docTokens.length - 1] += c;
      prevIsWhitespace = false;
    }
    charToWord.push(docTokens.length - 1);
  }
  return { docTokens, charToWord };
}

/** Python's a[i] (negative i counts from the end); reading outside is the caller's error. */
export function pyAt<T>(a: readonly T[], i: number): T | undefined {
  return a[i < 0 ? a.length + i : i];
}

/** Python's a[start:stop] for a step of 1: negative bounds count from the end, then clamp. */
export function pySlice<T>(a: readonly T[], start: number, stop: number): T[] {
  const norm = (i: number) => Math.min(Math.max(i < 0 ? a.length + i : i, 0), a.length);
  return a.slice(norm(start), norm(stop));
}

interface TrainingSpan {
  readonly origAnswerText: string;
  readonly startPosition: number;
  readonly endPosition: number;
}

/** The answer's word span, or null (skipped, with the warning) when its text is not found. */
function trainingSpan(
  qa: SquadQuestion,
  doc: { docTokens: string[]; charToWord: number[] },
  where: string,
  logger: Logger,
): TrainingSpan | null {
  const answer = qa.answers[0]!;
  const length = [...answer.text].length;
  const start = pyAt(doc.charToWord, answer.answerStart);
  const end = pyAt(doc.charToWord, answer.answerStart + length - 1);
  if (start === undefined || end === undefined)
    throw new FormatError(`${where}: the answer lies outside the context`);
  const actualText = pySlice(doc.docTokens, start, end + 1).join(' ');
  const cleanedAnswerText = pySplit(answer.text).join(' ');
  if (!actualText.includes(cleanedAnswerText)) {
    logger.warn(`Could not find answer: '${actualText}' vs. '${cleanedAnswerText}'`);
    return null;
  }
  return { origAnswerText: answer.text, startPosition: start, endPosition: end };
}

function impossibleFlag(qa: SquadQuestion, where: string): boolean {
  if (qa.isImpossible === undefined)
    throw new FormatError(`${where}: no 'is_impossible'`, 'a SQuAD 2.0 file is needed');
  return qa.isImpossible;
}

/** read_squad_examples(input_file, is_training) with FLAGS.version_2_with_negative. */
export function readSquadExamples(
  file: SquadFile,
  isTraining: boolean,
  version2WithNegative: boolean,
  logger: Logger,
): SquadExample[] {
  const examples: SquadExample[] = [];
  for (const paragraphs of file.articles)
    for (const paragraph of paragraphs) {
      const doc = splitContext(paragraph.context);
      for (const qa of paragraph.qas) {
        const base = { qasId: qa.id, questionText: qa.question, docTokens: doc.docTokens };
        if (!isTraining) {
          examples.push({ ...base, ...NO_SPAN, isImpossible: false });
          continue;
        }
        const where = `${file.path}: question ${qa.id}`;
        const isImpossible = version2WithNegative && impossibleFlag(qa, where);
        if (qa.answers.length !== 1 && !isImpossible)
          throw new FormatError(
            `${where}: ${qa.answers.length} answers; for training, each question should have exactly 1 answer.`,
          );
        const span = isImpossible ? IMPOSSIBLE : trainingSpan(qa, doc, where, logger);
        if (span !== null) examples.push({ ...base, ...span, isImpossible });
      }
    }
  return examples;
}

const NO_SPAN = { origAnswerText: null, startPosition: null, endPosition: null } as const;
const IMPOSSIBLE: TrainingSpan = { origAnswerText: '', startPosition: -1, endPosition: -1 };
