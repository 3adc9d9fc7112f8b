// Shared builders of the model tests: the tiny gradient-check config and a padded batch.
import type { BertConfigFields } from '../../src/model/layout.js';
import type { BertBatch } from '../../src/model/bert_model.js';

/** hidden 8, 2 layers, 2 heads, intermediate 16, vocab 50, type vocab 2. */
export function tinyConfig(dropout: number): BertConfigFields {
  return {
    vocab_size: 50,
    hidden_size: 8,
    num_hidden_layers: 2,
    num_attention_heads: 2,
    intermediate_size: 16,
    hidden_act: 'gelu',
    hidden_dropout_prob: dropout,
    attention_probs_dropout_prob: dropout,
    max_position_embeddings: 16,
    type_vocab_size: 2,
    initializer_range: 0.3,
  };
}

/** Batch 2, seq 5; the second row has one padded position (input_mask 0). */
export function tinyBatch(): BertBatch {
  return {
    batchSize: 2,
    seqLength: 5,
    inputIds: Int32Array.from([1, 7, 33, 12, 2, 1, 49, 7, 2, 0]),
    inputMask: Int32Array.from([1, 1, 1, 1, 1, 1, 1, 1, 1, 0]),
    segmentIds: Int32Array.from([0, 0, 1, 1, 1, 0, 0, 0, 1, 0]),
  };
}
