// What a model costs in memory, worked out from the config before anything is allocated: the
// kernels keep every buffer in one wasm32 memory of at most 4 GiB, and a config that cannot fit
// (num_hidden_layers: 1e9, vocab_size: 1e12) must be refused with the numbers and the file's
// name, not discovered gigabytes later deep inside the allocator. Counts are float32 elements.
import { ConfigError } from '../util/errors.js';
import type { BertConfigFields } from './layout.js';

/** The wasm32 memory every buffer lives in (engine/wasm_memory.ts's MAX_PAGES · 64 KiB). */
export const MEMORY_LIMIT_BYTES = 4 * 1024 ** 3;
const FLOAT_BYTES = 4;

/** Parameters of the encoder (bert/*), as layout.addBertParams lays them out. */
export function encoderParameterCount(c: BertConfigFields): number {
  const { hidden_size: H, intermediate_size: I } = c;
  const embeddings = (c.vocab_size + c.type_vocab_size + c.max_position_embeddings) * H + 2 * H;
  // query, key, value, attention output (H·H + H each), two LayerNorms, intermediate, output
  const layer = 4 * (H * H + H) + 4 * H + (H * I + I) + (I * H + H);
  const pooler = H * H + H;
  return embeddings + c.num_hidden_layers * layer + pooler;
}

/** Activation and scratch elements of BertModel for batches up to maxBatch × maxSeq (activations.ts). */
export function activationCount(
  c: BertConfigFields,
  maxBatch: number,
  maxSeq: number,
  inference: boolean,
): number {
  const { hidden_size: C, intermediate_size: I, num_attention_heads: NH } = c;
  const L = c.num_hidden_layers;
  const rows = maxBatch * maxSeq;
  const layer = 10 * rows * C + 2 * maxBatch * NH * maxSeq * maxSeq + 4 * rows + 2 * rows * I;
  const embeddings = 4 * rows * C + 5 * rows;
  const scratch = inference ? rows * C : 10 * rows * C + 2 * rows * I + 2 * maxBatch * C;
  const layers = inference ? layer + L * rows * C : L * layer;
  return embeddings + layers + scratch + rows * C + 5 * maxBatch * C;
}

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toPrecision(3)} GiB`;
}

/**
 * Refuses a config whose parameters alone cannot fit: the parameter and gradient buffers
 * (ParameterStore) of the encoder. Called when a config is read; `source` names the file.
 */
export function checkParametersFit(c: BertConfigFields, source: string): void {
  const n = encoderParameterCount(c);
  const bytes = 2 * n * FLOAT_BYTES;
  if (bytes > MEMORY_LIMIT_BYTES)
    throw new ConfigError(
      `${source}: ${n.toExponential(3)} parameters need ${gib(bytes)} with their gradients, more than the ${gib(MEMORY_LIMIT_BYTES)} of wasm32 memory`,
      'check vocab_size, hidden_size, intermediate_size, num_hidden_layers, type_vocab_size and max_position_embeddings',
    );
}

/**
 * Refuses a model whose parameters (with gradients, and Adam's two slots when it trains) and
 * activations for maxBatch × maxSeq cannot fit, before BertModel allocates anything.
 */
export function checkModelFits(
  c: BertConfigFields,
  parameters: number,
  limits: { maxBatch: number; maxSeq: number; inference: boolean },
): void {
  const copies = limits.inference ? 2 : 4;
  const paramBytes = copies * parameters * FLOAT_BYTES;
  const actBytes =
    activationCount(c, limits.maxBatch, limits.maxSeq, limits.inference) * FLOAT_BYTES;
  if (paramBytes + actBytes <= MEMORY_LIMIT_BYTES) return;
  const what = limits.inference ? 'with gradients' : 'with gradients and Adam slots';
  throw new ConfigError(
    `${c.source ?? 'bert_config'}: the model needs ${gib(paramBytes + actBytes)} — ${parameters} parameters (${gib(paramBytes)} ${what}) and activations for batch ${limits.maxBatch} × ${limits.maxSeq} tokens (${gib(actBytes)}) — more than the ${gib(MEMORY_LIMIT_BYTES)} of wasm32 memory`,
    'use a smaller batch size or max_seq_length, or a smaller model',
  );
}
