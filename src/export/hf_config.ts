// config.json of a Hugging Face BERT folder, from Google's bert_config.json plus what a bert-ts
// model folder adds (labels, regression). Every BertConfig field keeps its name (HF's BertConfig
// uses Google's names) except hidden_act, whose values mean different functions in the two:
//
//   Google "gelu"  = 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))   (modeling.gelu, tanh form)
//   HF     "gelu"  = 0.5·x·(1 + erf(x/√2))                         (exact; differs by up to ~5e-4)
//   HF "gelu_new"  = the tanh form above, the same numbers as Google's
//
// and the fixed parts of Google's model become explicit fields: layer_norm_eps 1e-12
// (modeling.layer_norm), classifier_dropout 0.1 (run_classifier.create_model's keep_prob 0.9,
// whatever hidden_dropout_prob says).
import type { BertConfig } from '../model/config.js';
import { ConfigError } from '../util/errors.js';

/** modeling.get_activation's names -> the HF ACT2FN names that compute the same function. */
const HF_ACTIVATION: Readonly<Record<string, string>> = {
  gelu: 'gelu_new',
  relu: 'relu',
  tanh: 'tanh',
  linear: 'linear',
  '': 'linear',
};

/** What sits on top of the encoder. */
export type ExportHead =
  | { readonly kind: 'encoder' }
  | {
      readonly kind: 'classifier';
      readonly labels: readonly string[];
      readonly regression: boolean;
    };

/** The HF hidden_act for a Google one (case-insensitive, as modeling.get_activation). */
export function hfActivation(googleAct: string): string {
  const act = HF_ACTIVATION[googleAct.toLowerCase()];
  if (act === undefined)
    throw new ConfigError(`hidden_act "${googleAct}" has no Hugging Face name`);
  return act;
}

function headFields(head: ExportHead): Record<string, unknown> {
  if (head.kind === 'encoder') return { architectures: ['BertModel'] };
  // Regression (STS-B) has one output; HF names it LABEL_0 as its own configs do.
  const names = head.regression ? ['LABEL_0'] : head.labels;
  return {
    architectures: ['BertForSequenceClassification'],
    classifier_dropout: 0.1,
    id2label: Object.fromEntries(names.map((l, i) => [String(i), l])),
    label2id: Object.fromEntries(names.map((l, i) => [l, i])),
    problem_type: head.regression ? 'regression' : 'single_label_classification',
  };
}

/**
 * config.json for `config` with `head` on top. `padTokenId` is the vocabulary's [PAD] id.
 * Keys Google's config carries beyond BertConfig's (the Chinese model's directionality,
 * pooler_*) are kept, as Hugging Face's own copies of those configs keep them.
 */
export function hfConfigJson(config: BertConfig, head: ExportHead, padTokenId: number): string {
  const fields: Record<string, unknown> = {
    ...config.extra,
    ...headFields(head),
    attention_probs_dropout_prob: config.attention_probs_dropout_prob,
    hidden_act: hfActivation(config.hidden_act),
    hidden_dropout_prob: config.hidden_dropout_prob,
    hidden_size: config.hidden_size,
    initializer_range: config.initializer_range,
    intermediate_size: config.intermediate_size,
    layer_norm_eps: 1e-12,
    max_position_embeddings: config.max_position_embeddings,
    model_type: 'bert',
    num_attention_heads: config.num_attention_heads,
    num_hidden_layers: config.num_hidden_layers,
    pad_token_id: padTokenId,
    position_embedding_type: 'absolute',
    torch_dtype: 'float32',
    type_vocab_size: config.type_vocab_size,
    vocab_size: config.vocab_size,
  };
  const sorted = Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(sorted), null, 2) + '\n';
}
