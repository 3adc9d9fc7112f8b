// The parameter layout (STYLE.md §6, llm.c's pointer table): every trainable tensor once, with
// Google's TF variable name, its TF shape (dense kernels [in, out]), its offset in ONE flat
// parameter buffer, its weight-decay flag and its initialiser. Gradients (and Adam's m and v)
// are buffers of the same size laid out the same way. Entries are listed in the order
// modeling.py creates the variables (= tf.trainable_variables() order, which run_classifier logs).
// Heads append their own entries (heads/classifier.ts) before the buffers are allocated.
import { ConfigError } from '../util/errors.js';

/** The bert_config.json fields the model reads (src/model/config.ts's BertConfig has them). */
export interface BertConfigFields {
  readonly vocab_size: number;
  readonly hidden_size: number;
  readonly num_hidden_layers: number;
  readonly num_attention_heads: number;
  readonly intermediate_size: number;
  readonly hidden_act: string;
  readonly hidden_dropout_prob: number;
  readonly attention_probs_dropout_prob: number;
  readonly max_position_embeddings: number;
  readonly type_vocab_size: number;
  readonly initializer_range: number;
  /** The file the config was read from, named in errors (BertConfig.fromJsonFile sets it). */
  readonly source?: string;
}

/** How a tensor starts (modeling.create_initializer, tf.zeros_initializer, layer_norm's ones). */
export type ParamInit =
  | { readonly kind: 'truncated_normal'; readonly stddev: number }
  | { readonly kind: 'zeros' }
  | { readonly kind: 'ones' };

export interface ParamEntry {
  /** Google's TF variable name, e.g. bert/encoder/layer_0/attention/self/query/kernel. */
  readonly name: string;
  /** TF shape: dense kernels [in, out], embeddings [rows, H], classifier output_weights [labels, H]. */
  readonly shape: readonly number[];
  /** Element offset in the flat parameter (and gradient, m, v) buffer. */
  readonly offset: number;
  /** Element count = product of shape. */
  readonly size: number;
  /** False when the name matches LayerNorm, layer_norm or bias (optimization.py's exclude list). */
  readonly decay: boolean;
  readonly init: ParamInit;
}

/** optimization.AdamWeightDecayOptimizer._do_use_weight_decay: a regex *search* per pattern. */
const NO_DECAY = /LayerNorm|layer_norm|bias/;

export function usesWeightDecay(name: string): boolean {
  return !NO_DECAY.test(name);
}

export class ParamLayout {
  readonly entries: ParamEntry[] = [];
  private readonly byName = new Map<string, ParamEntry>();
  private total = 0;

  /** Total elements: the size of the parameter buffer. */
  get size(): number {
    return this.total;
  }

  /** Appends a tensor; a name may appear once. */
  add(name: string, shape: readonly number[], init: ParamInit): ParamEntry {
    if (this.byName.has(name)) throw new ConfigError(`parameter layout: ${name} is added twice`);
    const size = shape.reduce((a, b) => a * b, 1);
    const entry: ParamEntry = {
      name,
      shape: [...shape],
      offset: this.total,
      size,
      decay: usesWeightDecay(name),
      init,
    };
    this.entries.push(entry);
    this.byName.set(name, entry);
    this.total += size;
    return entry;
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The entry of `name`; a ConfigError when the layout has no such tensor. */
  entry(name: string): ParamEntry {
    const e = this.byName.get(name);
    if (e === undefined) throw new ConfigError(`parameter layout: no tensor named ${name}`);
    return e;
  }
}

/** Adds a dense layer's kernel [in, out] (truncated normal) and bias [out] (zeros). */
export function addDense(
  layout: ParamLayout,
  scope: string,
  nIn: number,
  nOut: number,
  stddev: number,
): void {
  layout.add(`${scope}/kernel`, [nIn, nOut], { kind: 'truncated_normal', stddev });
  layout.add(`${scope}/bias`, [nOut], { kind: 'zeros' });
}

/** Adds a LayerNorm's beta (zeros) and gamma (ones), in tf.contrib.layers.layer_norm's order. */
export function addLayerNorm(layout: ParamLayout, scope: string, n: number): void {
  layout.add(`${scope}/LayerNorm/beta`, [n], { kind: 'zeros' });
  layout.add(`${scope}/LayerNorm/gamma`, [n], { kind: 'ones' });
}

/** The encoder layer's scope, bert/encoder/layer_<l>. */
export function layerScope(l: number): string {
  return `bert/encoder/layer_${l}`;
}

/** Adds every tensor of modeling.BertModel (embeddings, encoder layers, pooler), in its order. */
export function addBertParams(layout: ParamLayout, config: BertConfigFields): void {
  const { hidden_size: H, intermediate_size: I, initializer_range: std } = config;
  const normal = { kind: 'truncated_normal', stddev: std } as const;
  layout.add('bert/embeddings/word_embeddings', [config.vocab_size, H], normal);
  layout.add('bert/embeddings/token_type_embeddings', [config.type_vocab_size, H], normal);
  layout.add('bert/embeddings/position_embeddings', [config.max_position_embeddings, H], normal);
  addLayerNorm(layout, 'bert/embeddings', H);
  for (let l = 0; l < config.num_hidden_layers; l++) {
    const s = layerScope(l);
    addDense(layout, `${s}/attention/self/query`, H, H, std);
    addDense(layout, `${s}/attention/self/key`, H, H, std);
    addDense(layout, `${s}/attention/self/value`, H, H, std);
    addDense(layout, `${s}/attention/output/dense`, H, H, std);
    addLayerNorm(layout, `${s}/attention/output`, H);
    addDense(layout, `${s}/intermediate/dense`, H, I, std);
    addDense(layout, `${s}/output/dense`, I, H, std);
    addLayerNorm(layout, `${s}/output`, H);
  }
  addDense(layout, 'bert/pooler/dense', H, H, std);
}
