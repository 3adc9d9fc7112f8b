// The checks every API call makes on what a caller passes in (texts, pairs, options) — thrown as
// UsageError naming the call, the place (`pairs[3].textB`) and what was there — and the options
// shared by every loaded model.
import type { Backend } from '../engine/index.js';
import { MAX_THREADS } from '../engine/pool.js';
import type { BertConfig } from '../model/config.js';
import { ConfigError, UsageError } from '../util/errors.js';
import type { Logger } from '../util/log.js';

/** One input of a classifier: a text, or a pair of texts (MRPC's two sentences). */
export interface TextPair {
  readonly textA: string;
  readonly textB?: string | null;
}

/** Options every `load` takes. */
export interface LoadOptions {
  /** Threads of the engine, the main thread included (default: the machine's cores, ≤ 48). */
  readonly numThreads?: number;
  /** The kernels: 'auto' (default: native where its binary loads, else WebAssembly), 'native', 'wasm'. */
  readonly backend?: Backend;
  /** Examples per forward pass (default 32); bigger inputs are cut into batches of this size. */
  readonly batchSize?: number;
  /** Longest input in tokens (default: the folder's max_seq_length); longer ones are truncated. */
  readonly maxSeqLength?: number;
  /** Where warnings go (default: stderr); `info` lines are not used by loading and predicting. */
  readonly logger?: Logger;
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (Array.isArray(v)) return 'an array';
  return v === null ? 'null' : typeof v;
}

/** A text must be a string with something in it. */
export function checkText(v: unknown, where: string, call: string): string {
  if (typeof v !== 'string' || v.trim() === '')
    throw new UsageError(`${call}: ${where} must be a non-empty string, got ${describe(v)}`);
  return v;
}

function checkArray(v: unknown, name: string, call: string, shape: string): readonly unknown[] {
  if (!Array.isArray(v))
    throw new UsageError(
      `${call}: ${name} must be an array of ${shape}, got ${describe(v)}`,
      typeof v === 'object' || typeof v === 'string' ? 'wrap a single input in [ ]' : undefined,
    );
  return v;
}

/** `texts` as strings; `call` names the method in messages ('Encoder.embed'). */
export function checkTexts(texts: unknown, call: string): string[] {
  return checkArray(texts, 'texts', call, 'strings').map((t, i) =>
    checkText(t, `texts[${i}]`, call),
  );
}

/** `pairs` as { textA, textB? }; textB may be absent, null or a non-empty string. */
export function checkPairs(pairs: unknown, call: string, name = 'pairs'): TextPair[] {
  return checkArray(pairs, name, call, '{ textA, textB? }').map((p, i) => {
    if (typeof p !== 'object' || p === null || Array.isArray(p))
      throw new UsageError(
        `${call}: ${name}[${i}] must be an object { textA, textB? }, got ${describe(p)}`,
      );
    const { textA, textB } = p as Record<string, unknown>;
    const a = checkText(textA, `${name}[${i}].textA`, call);
    if (textB === undefined || textB === null) return { textA: a };
    return { textA: a, textB: checkText(textB, `${name}[${i}].textB`, call) };
  });
}

/** An integer option in [min, max], or its default when absent. */
export function intOption(v: unknown, name: string, def: number, min: number, max: number): number {
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    throw new UsageError(
      `${name} must be an integer in [${min}, ${max}], got ${typeof v === 'number' ? v : describe(v)}`,
    );
  return v;
}

/** A maxSeqLength over the model's positions is a ConfigError (other bad values: intOption's). */
export function checkSeqLimit(maxSeqLength: unknown, limit: number): void {
  if (typeof maxSeqLength === 'number' && Number.isInteger(maxSeqLength) && maxSeqLength > limit)
    throw new ConfigError(
      `maxSeqLength ${maxSeqLength} is over the model's limit: bert_config.json's max_position_embeddings is ${limit}`,
    );
}

/** The resolved sizes of a load: threads, batch size, max_seq_length within the config's limit. */
export function loadSizes(
  o: LoadOptions,
  config: BertConfig,
  folderMaxSeq: number,
): { numThreads: number | undefined; batchSize: number; maxSeqLength: number } {
  const limit = config.max_position_embeddings;
  checkSeqLimit(o.maxSeqLength, limit);
  return {
    numThreads:
      o.numThreads === undefined
        ? undefined
        : intOption(o.numThreads, 'numThreads', 0, 1, MAX_THREADS),
    batchSize: intOption(o.batchSize, 'batchSize', 32, 1, 4096),
    maxSeqLength: intOption(o.maxSeqLength, 'maxSeqLength', folderMaxSeq, 3, limit),
  };
}
