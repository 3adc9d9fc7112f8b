// The value checks of the TFRecord feature decoders (classifier_tfrecord.ts, run_pretraining's
// pretraining_data.ts), made where a record is decoded so that a bad value is reported with its
// file, record number and feature — not later by a kernel with batch coordinates. TF is laxer:
// to_int32 wraps int64 values, one_hot silently zeroes out-of-range labels; bert-ts refuses them.
import { ConfigError, FormatError } from '../util/errors.js';

/** What the model can take: the config's table sizes, and the file they come from. */
export interface RecordLimits {
  readonly vocabSize: number;
  readonly typeVocabSize: number;
  /** The bert_config.json the sizes come from, named in messages. */
  readonly configFile?: string;
}

/** The limits of a model built from `config` (a BertConfig, structurally). */
export function recordLimits(config: {
  readonly vocab_size: number;
  readonly type_vocab_size: number;
  readonly source?: string;
}): RecordLimits {
  return {
    vocabSize: config.vocab_size,
    typeVocabSize: config.type_vocab_size,
    configFile: config.source,
  };
}

const INT32: readonly [number, number] = [-2147483648, 2147483648];
const BIT: readonly [number, number] = [0, 2];

/** Every value of feature `name` lies in [lo, hi); `why` says what the bounds are. */
export function checkRange(
  values: readonly number[],
  [lo, hi]: readonly [number, number],
  why: string,
  where: string,
  name: string,
): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(v >= lo && v < hi))
      throw new FormatError(`${where}: feature '${name}'[${i}] = ${v}, outside [${lo}, ${hi}) (${why})`);
  }
}

/** An int64 feature's values fit the Int32Array they are packed into (no silent wrap-around). */
export function checkInt32(values: readonly number[], where: string, name: string): void {
  checkRange(values, INT32, 'int32', where, name);
}

/** 0 or 1: input_mask, next_sentence_labels, is_real_example. */
export function checkBit(values: readonly number[], where: string, name: string): void {
  checkRange(values, BIT, '0 or 1', where, name);
}

/** "vocab_size 30522 of bert_config.json": where a limit comes from, for messages. */
function limitWhy(limits: RecordLimits, key: string, value: number): string {
  return `${key} ${value}${limits.configFile === undefined ? '' : ` of ${limits.configFile}`}`;
}

/** A token id feature (input_ids, masked_lm_ids) lies inside the vocabulary table. */
export function checkTokenIds(
  values: readonly number[],
  limits: RecordLimits,
  where: string,
  name: string,
): void {
  const why = limitWhy(limits, 'vocab_size', limits.vocabSize);
  checkRange(values, [0, limits.vocabSize], why, where, name);
}

/** segment_ids lie inside the token type table. */
export function checkSegmentIds(values: readonly number[], limits: RecordLimits, where: string): void {
  const why = limitWhy(limits, 'type_vocab_size', limits.typeVocabSize);
  checkRange(values, [0, limits.typeVocabSize], why, where, 'segment_ids');
}

/**
 * The ids a tokenizer over `vocab` gives fit the config's tables — every vocab id a word
 * embedding row, and segment id 1 a token type row when there are sentence pairs. Checked before
 * any record is written: a mismatch is named up front, not when record N is read back.
 */
export function checkTokenizerFits(
  vocab: { readonly size: number; readonly source: string },
  limits: RecordLimits,
  pairs: boolean,
): void {
  if (vocab.size > limits.vocabSize)
    throw new ConfigError(
      `${vocab.source}: ${vocab.size} tokens, more than ${limitWhy(limits, 'vocab_size', limits.vocabSize)}`,
      'the vocab and the config must come from the same model',
    );
  if (pairs && limits.typeVocabSize < 2)
    throw new ConfigError(
      `${limitWhy(limits, 'type_vocab_size', limits.typeVocabSize)}: no row for segment id 1, the second sentence of a pair`,
    );
}
