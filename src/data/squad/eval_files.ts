// The two inputs of the official evaluation beside the data file: predictions.json ({id: text})
// and, for v2.0, the no-answer probabilities (null_odds.json: {id: number}). A number written
// without a point or exponent is a Python int, and evaluate-v2.0.py prints a threshold taken from
// it as an int — so the file is scanned for how each value was written, not only parsed.
import { FormatError } from '../../util/errors.js';
import { readInputText } from '../../util/fs.js';
import { parseJsonObject } from '../../util/json_file.js';
import type { NaProb } from './evaluate.js';

function readJsonObject(path: string, what: string): { obj: Record<string, unknown>; text: string } {
  const text = readInputText(path, `JSON file of ${what}`);
  return { obj: parseJsonObject(text, path, `a JSON object of ${what}`), text };
}

/** predictions.json: question id → predicted text. */
export function readPredictionFile(path: string): Map<string, string> {
  const { obj } = readJsonObject(path, 'question id → answer text');
  const out = new Map<string, string>();
  for (const [qid, text] of Object.entries(obj)) {
    if (typeof text !== 'string')
      throw new FormatError(`${path}: question ${qid}: the prediction is not a string`);
    out.set(qid, text);
  }
  return out;
}

const KEY = /\s*("(?:[^"\\]|\\.)*")\s*:\s*(-?\d+(\.\d+)?([eE][-+]?\d+)?)\s*[,}]/y;

/**
 * A no-answer probability file: question id → number and whether it was written as an int, in
 * the file's order (a JS object would move integer-like ids first; Python's dict keeps them).
 */
export function readNaProbFile(path: string): Map<string, NaProb> {
  const { obj, text } = readJsonObject(path, 'question id → no-answer probability');
  for (const [qid, p] of Object.entries(obj))
    if (typeof p !== 'number')
      throw new FormatError(`${path}: question ${qid}: the probability is not a number`);
  const out = new Map<string, NaProb>();
  KEY.lastIndex = text.indexOf('{') + 1;
  for (let m = KEY.exec(text); m !== null; m = KEY.exec(text)) {
    const qid = JSON.parse(m[1]!) as string;
    out.set(qid, { value: obj[qid] as number, int: m[3] === undefined && m[4] === undefined });
  }
  if (out.size !== Object.keys(obj).length)
    throw new FormatError(`${path}: expected one "id": number pair per entry`);
  return out;
}
