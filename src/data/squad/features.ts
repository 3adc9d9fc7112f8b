// run_squad.convert_examples_to_features: each SquadExample as one or more InputFeatures —
// `[CLS] query [SEP] doc window [SEP]`, the query cut to max_query_length word pieces, the
// document's word pieces cut into windows of max_seq_length − |query| − 3 that start doc_stride
// apart (_DocSpan), each window's tokens mapped back to context words, the max-context flag of
// every document token (_check_is_max_context), and for training the answer's word-piece span
// (_improve_answer_span) as positions in the window, or 0/0 when the window does not hold it or
// the question is impossible. unique_id counts from 1000000000 across all windows.
import type { Logger } from '../../util/log.js';
import { pyAt } from './examples.js';
import type { SquadExample } from './examples.js';

/** What the conversion needs of a tokenizer (tokenization/full.ts's FullTokenizer has it). */
export interface SquadTokenizer {
  tokenize(text: string): string[];
  convertTokensToIds(tokens: readonly string[]): number[];
}

export interface SquadFeatureOptions {
  readonly maxSeqLength: number;
  readonly docStride: number;
  readonly maxQueryLength: number;
  readonly isTraining: boolean;
}

export interface SquadFeatures {
  readonly uniqueId: number;
  readonly exampleIndex: number;
  readonly docSpanIndex: number;
  readonly tokens: readonly string[];
  /** Per position of `tokens`: its word in the example's docTokens, or -1 outside the window. */
  readonly tokenToOrigMap: Int32Array;
  /** Per position: 1 when this window is the token's max-context window (dict.get(i, False)). */
  readonly tokenIsMaxContext: Uint8Array;
  readonly inputIds: number[];
  readonly inputMask: number[];
  readonly segmentIds: number[];
  /** Training only: the answer's positions in this window (0, 0 when it is not inside). */
  readonly startPosition: number | null;
  readonly endPosition: number | null;
  readonly isImpossible: boolean;
}

export const FIRST_UNIQUE_ID = 1000000000;

/** A document's word pieces and the maps between them and its words. */
interface DocPieces {
  readonly tokToOrigIndex: number[];
  readonly origToTokIndex: number[];
  readonly allDocTokens: string[];
}

interface DocSpan {
  readonly start: number;
  readonly length: number;
}

function docPieces(docTokens: readonly string[], tokenizer: SquadTokenizer): DocPieces {
  const p: DocPieces = { tokToOrigIndex: [], origToTokIndex: [], allDocTokens: [] };
  docTokens.forEach((token, i) => {
    p.origToTokIndex.push(p.allDocTokens.length);
    for (const sub of tokenizer.tokenize(token)) {
      p.tokToOrigIndex.push(i);
      p.allDocTokens.push(sub);
    }
  });
  return p;
}

/** _improve_answer_span: the sub-span whose pieces equal the answer's own pieces, if any. */
export function improveAnswerSpan(
  docTokens: readonly string[],
  inputStart: number,
  inputEnd: number,
  tokenizer: SquadTokenizer,
  origAnswerText: string,
): [number, number] {
  const tokAnswerText = tokenizer.tokenize(origAnswerText).join(' ');
  for (let newStart = inputStart; newStart <= inputEnd; newStart++)
    for (let newEnd = inputEnd; newEnd >= newStart; newEnd--)
      if (docTokens.slice(newStart, newEnd + 1).join(' ') === tokAnswerText) return [newStart, newEnd];
  return [inputStart, inputEnd];
}

/** _check_is_max_context: the window where min(left, right) context + 0.01·length is largest. */
export function checkIsMaxContext(spans: readonly DocSpan[], cur: number, position: number): boolean {
  let bestScore: number | null = null;
  let bestSpanIndex: number | null = null;
  spans.forEach((span, spanIndex) => {
    const end = span.start + span.length - 1;
    if (position < span.start || position > end) return;
    const score = Math.min(position - span.start, end - position) + 0.01 * span.length;
    if (bestScore === null || score > bestScore) [bestScore, bestSpanIndex] = [score, spanIndex];
  });
  return cur === bestSpanIndex;
}

/** The sliding windows over n document pieces. */
export function docSpans(n: number, maxTokensForDoc: number, docStride: number): DocSpan[] {
  const spans: DocSpan[] = [];
  let startOffset = 0;
  while (startOffset < n) {
    const length = Math.min(n - startOffset, maxTokensForDoc);
    spans.push({ start: startOffset, length });
    if (startOffset + length === n) break;
    startOffset += Math.min(length, docStride);
  }
  return spans;
}

/** The answer's word-piece span in the whole document (training), or null. */
function answerPieces(ex: SquadExample, doc: DocPieces, tokenizer: SquadTokenizer) {
  if (ex.isImpossible) return { start: -1, end: -1 };
  const start = pyAt(doc.origToTokIndex, ex.startPosition!)!;
  const end =
    ex.endPosition! < ex.docTokens.length - 1
      ? pyAt(doc.origToTokIndex, ex.endPosition! + 1)! - 1
      : doc.allDocTokens.length - 1;
  const [s, e] = improveAnswerSpan(doc.allDocTokens, start, end, tokenizer, ex.origAnswerText!);
  return { start: s, end: e };
}

/** The window's answer positions: inside it, shifted past `[CLS] query [SEP]`; else 0, 0. */
function windowPositions(
  answer: { start: number; end: number } | null,
  ex: SquadExample,
  span: DocSpan,
  queryLength: number,
): [number | null, number | null] {
  if (answer === null) return [null, null];
  if (ex.isImpossible) return [0, 0];
  const docEnd = span.start + span.length - 1;
  if (!(answer.start >= span.start && answer.end <= docEnd)) return [0, 0];
  const offset = queryLength + 2;
  return [answer.start - span.start + offset, answer.end - span.start + offset];
}

interface WindowInput {
  readonly ex: SquadExample;
  readonly exampleIndex: number;
  readonly uniqueId: number;
  readonly queryTokens: readonly string[];
  readonly doc: DocPieces;
  readonly spans: readonly DocSpan[];
  readonly spanIndex: number;
  readonly answer: { start: number; end: number } | null;
}

function windowFeatures(w: WindowInput, o: SquadFeatureOptions, tokenizer: SquadTokenizer) {
  const span = w.spans[w.spanIndex]!;
  const tokens = ['[CLS]', ...w.queryTokens, '[SEP]'];
  const segmentIds = tokens.map(() => 0);
  const T = tokens.length + span.length + 1;
  const tokenToOrigMap = new Int32Array(T).fill(-1);
  const tokenIsMaxContext = new Uint8Array(T);
  for (let i = 0; i < span.length; i++) {
    const split = span.start + i;
    tokenToOrigMap[tokens.length] = w.doc.tokToOrigIndex[split]!;
    tokenIsMaxContext[tokens.length] = checkIsMaxContext(w.spans, w.spanIndex, split) ? 1 : 0;
    tokens.push(w.doc.allDocTokens[split]!);
    segmentIds.push(1);
  }
  tokens.push('[SEP]');
  segmentIds.push(1);
  const inputIds = tokenizer.convertTokensToIds(tokens);
  const inputMask = inputIds.map(() => 1);
  while (inputIds.length < o.maxSeqLength) {
    inputIds.push(0);
    inputMask.push(0);
    segmentIds.push(0);
  }
  const [startPosition, endPosition] = windowPositions(w.answer, w.ex, span, w.queryTokens.length);
  const f: SquadFeatures = {
    uniqueId: w.uniqueId,
    exampleIndex: w.exampleIndex,
    docSpanIndex: w.spanIndex,
    tokens,
    tokenToOrigMap,
    tokenIsMaxContext,
    inputIds,
    inputMask,
    segmentIds,
    startPosition,
    endPosition,
    isImpossible: w.ex.isImpossible,
  };
  return f;
}

function logFeatures(log: Logger, f: SquadFeatures, isTraining: boolean): void {
  const docPositions = [...f.tokenToOrigMap.keys()].filter((i) => f.tokenToOrigMap[i]! >= 0);
  log.info('*** Example ***');
  log.info(`unique_id: ${f.uniqueId}`);
  log.info(`example_index: ${f.exampleIndex}`);
  log.info(`doc_span_index: ${f.docSpanIndex}`);
  log.info(`tokens: ${f.tokens.join(' ')}`);
  log.info(`token_to_orig_map: ${docPositions.map((i) => `${i}:${f.tokenToOrigMap[i]}`).join(' ')}`);
  const maxContext = docPositions.map((i) => `${i}:${f.tokenIsMaxContext[i] ? 'True' : 'False'}`);
  log.info(`token_is_max_context: ${maxContext.join(' ')}`);
  log.info(`input_ids: ${f.inputIds.join(' ')}`);
  log.info(`input_mask: ${f.inputMask.join(' ')}`);
  log.info(`segment_ids: ${f.segmentIds.join(' ')}`);
  if (isTraining && f.isImpossible) log.info('impossible example');
  if (isTraining && !f.isImpossible) {
    const [s, e] = [f.startPosition!, f.endPosition!];
    log.info(`start_position: ${s}`);
    log.info(`end_position: ${e}`);
    log.info(`answer: ${f.tokens.slice(s, e + 1).join(' ')}`);
  }
}

/**
 * convert_examples_to_features: calls `output` with every window's features in order, logging
 * the windows of the first 20 examples as the original does. Returns the number of windows.
 * The word pieces of a context are computed once for all its questions (same answer: the
 * tokenizer is a pure function of the word).
 */
export function convertExamplesToFeatures(
  examples: readonly SquadExample[],
  tokenizer: SquadTokenizer,
  o: SquadFeatureOptions,
  output: (f: SquadFeatures) => void,
  logger: Logger,
): number {
  const pieces = new WeakMap<readonly string[], DocPieces>();
  let uniqueId = FIRST_UNIQUE_ID;
  examples.forEach((ex, exampleIndex) => {
    const queryTokens = tokenizer.tokenize(ex.questionText).slice(0, o.maxQueryLength);
    let doc = pieces.get(ex.docTokens);
    if (doc === undefined) pieces.set(ex.docTokens, (doc = docPieces(ex.docTokens, tokenizer)));
    const answer = o.isTraining ? answerPieces(ex, doc, tokenizer) : null;
    const maxTokensForDoc = o.maxSeqLength - queryTokens.length - 3; // [CLS], [SEP], [SEP]
    const spans = docSpans(doc.allDocTokens.length, maxTokensForDoc, o.docStride);
    for (let spanIndex = 0; spanIndex < spans.length; spanIndex++) {
      const w = { ex, exampleIndex, uniqueId, queryTokens, doc, spans, spanIndex, answer };
      const f = windowFeatures(w, o, tokenizer);
      if (exampleIndex < 20) logFeatures(logger, f, o.isTraining);
      output(f);
      uniqueId++;
    }
  });
  return uniqueId - FIRST_UNIQUE_ID;
}
