// run_classifier.py's feature conversion: InputExample -> InputFeatures (convert_single_example,
// _truncate_seq_pair, convert_examples_to_features). classifier_tfrecord.ts writes and reads them.
//
// Shapes: T = max_seq_length. input_ids, input_mask, segment_ids are [T]; label_ids and
// is_real_example are [1]. Layout: [CLS] a [SEP] (b [SEP]), segment 0 for [CLS] a [SEP], 1 for
// b [SEP], mask 1 on real tokens, zero padding.
import { FormatError, UsageError } from '../util/errors.js';
import { silentLogger, type Logger } from '../util/log.js';
import { pyFloatRepr } from '../util/py_format.js';
import type { InputExample } from './glue/processor.js';
import { parsePyFloat } from './py_float.js';

/** run_classifier.InputFeatures. For regression tasks labelId is the score itself. */
export interface InputFeatures {
  inputIds: number[];
  inputMask: number[];
  segmentIds: number[];
  labelId: number;
  isRealExample: boolean;
}

/** What feature conversion needs of a tokenizer (tokenization/full.ts's FullTokenizer has it). */
export interface ExampleTokenizer {
  tokenize(text: string): string[];
  convertTokensToIds(tokens: readonly string[]): number[];
}

/**
 * _truncate_seq_pair: pops one token at a time from the end of the longer list (b on ties) until
 * the pair fits in maxLength. Modifies both arrays in place, as the Python does.
 */
export function truncateSeqPair(tokensA: string[], tokensB: string[], maxLength: number): void {
  if (maxLength < 0) throw new UsageError(`cannot truncate a pair to ${maxLength} tokens`);
  while (tokensA.length + tokensB.length > maxLength) {
    if (tokensA.length > tokensB.length) tokensA.pop();
    else tokensB.pop();
  }
}

/** [CLS] a [SEP] (b [SEP]) and the segment ids that go with it. */
function assemble(tokensA: string[], tokensB: string[] | null): [string[], number[]] {
  const tokens = ['[CLS]', ...tokensA, '[SEP]'];
  const segmentIds = tokens.map(() => 0);
  if (tokensB) {
    tokens.push(...tokensB, '[SEP]');
    for (let i = 0; i <= tokensB.length; i++) segmentIds.push(1);
  }
  return [tokens, segmentIds];
}

/** The label's id in labelList; with an empty labelList (regression) the score as a number. */
function labelIdOf(example: InputExample, labelList: readonly string[]): number {
  if (labelList.length === 0) {
    const score = parsePyFloat(example.label);
    if (score === null)
      throw new FormatError(`example ${example.guid}: score '${example.label}' is not a number`);
    return score;
  }
  const id = labelList.indexOf(example.label);
  if (id < 0)
    throw new FormatError(
      `example ${example.guid}: label '${example.label}' is not one of ${labelList.join(', ')}`,
    );
  return id;
}

function logExample(log: Logger, ex: InputExample, tokens: string[], f: InputFeatures, regression: boolean): void {
  log.info('*** Example ***');
  log.info(`guid: ${ex.guid}`);
  log.info(`tokens: ${tokens.join(' ')}`);
  log.info(`input_ids: ${f.inputIds.join(' ')}`);
  log.info(`input_mask: ${f.inputMask.join(' ')}`);
  log.info(`segment_ids: ${f.segmentIds.join(' ')}`);
  const id = regression ? pyFloatRepr(f.labelId) : String(f.labelId);
  log.info(`label: ${ex.label} (id = ${id})`);
}

/** [CLS] a [SEP] needs 2 positions, [CLS] a [SEP] b [SEP] 3 (Python fails obscurely below that). */
function checkMaxSeqLength(maxSeqLength: number, isPair: boolean): void {
  const least = isPair ? 3 : 2;
  if (!Number.isInteger(maxSeqLength) || maxSeqLength < least)
    throw new UsageError(
      `max_seq_length must be an integer ≥ ${least} for a ${isPair ? 'pair' : 'single text'}, got ${maxSeqLength}`,
    );
}

/** [CLS] a [SEP] (b [SEP]) as tokens and the three id lists BERT reads. */
export interface EncodedText {
  readonly tokens: string[];
  readonly inputIds: number[];
  readonly inputMask: number[];
  readonly segmentIds: number[];
}

/**
 * convert_single_example's encoding. A pair is truncated to maxSeqLength - 3 tokens, a single
 * text to maxSeqLength - 2. As in Python, textB counts only when it is non-empty and tokenizes to
 * at least one token; otherwise the text is encoded alone. padToMax = false leaves the lists
 * unpadded (tokens are never padded).
 */
export function encodeText(
  textA: string,
  textB: string | null,
  maxSeqLength: number,
  tokenizer: ExampleTokenizer,
  padToMax = true,
): EncodedText {
  let tokensA = tokenizer.tokenize(textA);
  const tokensB = textB ? tokenizer.tokenize(textB) : [];
  checkMaxSeqLength(maxSeqLength, tokensB.length > 0);
  if (tokensB.length > 0) truncateSeqPair(tokensA, tokensB, maxSeqLength - 3);
  else if (tokensA.length > maxSeqLength - 2) tokensA = tokensA.slice(0, maxSeqLength - 2);

  const [tokens, segmentIds] = assemble(tokensA, tokensB.length > 0 ? tokensB : null);
  const inputIds = tokenizer.convertTokensToIds(tokens);
  const inputMask = inputIds.map(() => 1);
  while (padToMax && inputIds.length < maxSeqLength) {
    inputIds.push(0);
    inputMask.push(0);
    segmentIds.push(0);
  }
  return { tokens, inputIds, inputMask, segmentIds };
}

/**
 * convert_single_example: encodeText and the label's id. The first 5 examples (exIndex < 5) are
 * logged as the Python logs them. padToMax = false leaves the lists unpadded.
 */
export function convertSingleExample(
  exIndex: number,
  example: InputExample,
  labelList: readonly string[],
  maxSeqLength: number,
  tokenizer: ExampleTokenizer,
  logger: Logger = silentLogger,
  padToMax = true,
): InputFeatures {
  const e = encodeText(example.textA, example.textB, maxSeqLength, tokenizer, padToMax);
  const labelId = labelIdOf(example, labelList);
  const { inputIds, inputMask, segmentIds } = e;
  const features = { inputIds, inputMask, segmentIds, labelId, isRealExample: true };
  if (exIndex < 5) logExample(logger, example, e.tokens, features, labelList.length === 0);
  return features;
}

/**
 * convert_examples_to_features: every example, logging progress every 10000 as the Python.
 * padToMax = false leaves each example unpadded (see convertSingleExample).
 */
export function convertExamplesToFeatures(
  examples: readonly InputExample[],
  labelList: readonly string[],
  maxSeqLength: number,
  tokenizer: ExampleTokenizer,
  logger: Logger = silentLogger,
  padToMax = true,
): InputFeatures[] {
  return examples.map((ex, i) => {
    if (i % 10000 === 0) logger.info(`Writing example ${i} of ${examples.length}`);
    return convertSingleExample(i, ex, labelList, maxSeqLength, tokenizer, logger, padToMax);
  });
}
