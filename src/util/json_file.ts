// Parsing the JSON files bert-ts reads (bert_config.json, bert_ts.json, SQuAD files, predictions):
// one error naming the file when the text is not JSON, and a leading UTF-8 BOM dropped — editors
// on Windows write one (Python's json.load would refuse it; refusing a file for an invisible mark
// helps no one).
import { FormatError } from './errors.js';

/** The value of JSON `text` read from `path`. */
export function parseJson(text: string, path: string, hint?: string): unknown {
  try {
    return JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (e) {
    throw new FormatError(`${path}: not JSON (${(e as Error).message})`, hint);
  }
}

/** The value of JSON `text` read from `path`, which must be an object (`what` names it). */
export function parseJsonObject(
  text: string,
  path: string,
  what = 'a JSON object',
): Record<string, unknown> {
  const v = parseJson(text, path);
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new FormatError(`${path}: expected ${what}`);
  return v as Record<string, unknown>;
}
