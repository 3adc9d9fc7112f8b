// bert_config.json, as modeling.py's BertConfig reads and writes it. The properties keep the
// file's snake_case keys. from_dict copies every key, so unknown ones (the Chinese model's
// directionality and pooler_*) are kept and written back. to_json_string is Python's
// json.dumps(indent=2, sort_keys=True) + "\n": ", " becomes "," at line ends, floats print as
// repr (0.1, 1e-05), non-ASCII is \u-escaped.
import { ConfigError } from '../util/errors.js';
import { readInputText } from '../util/fs.js';
import { parseJsonObject } from '../util/json_file.js';
import { pyFloatRepr, pyJsonString } from '../util/py_format.js';
import { checkParametersFit } from './memory.js';

/** Activations modeling.get_activation knows (case-insensitive; "" means none, as "linear"). */
export const ACTIVATIONS = ['gelu', 'relu', 'tanh', 'linear', ''] as const;

const INT_KEYS = [
  'vocab_size',
  'hidden_size',
  'num_hidden_layers',
  'num_attention_heads',
  'intermediate_size',
  'max_position_embeddings',
  'type_vocab_size',
] as const;
const FLOAT_KEYS = [
  'hidden_dropout_prob',
  'attention_probs_dropout_prob',
  'initializer_range',
] as const;
type IntKey = (typeof INT_KEYS)[number];
/**
 * Upper bounds far above every released BERT (vocabularies to 250k, 48 layers, hidden 4096) that
 * keep each count and product of counts exact; whether the model fits in memory is checked too.
 */
const INT_MAX: Readonly<Record<IntKey, number>> = {
  vocab_size: 10_000_000,
  hidden_size: 65_536,
  num_hidden_layers: 1_000,
  num_attention_heads: 65_536,
  intermediate_size: 1_048_576,
  max_position_embeddings: 1_048_576,
  type_vocab_size: 10_000_000,
};
type FloatKey = (typeof FLOAT_KEYS)[number];
type Fields = Record<IntKey, number> & Record<FloatKey, number> & { hidden_act: string };

/** BertConfig's constructor defaults (type_vocab_size 16: the released configs say 2). */
const DEFAULTS: Omit<Fields, 'vocab_size'> = {
  hidden_size: 768,
  num_hidden_layers: 12,
  num_attention_heads: 12,
  hidden_act: 'gelu',
  intermediate_size: 3072,
  hidden_dropout_prob: 0.1,
  attention_probs_dropout_prob: 0.1,
  max_position_embeddings: 512,
  type_vocab_size: 16,
  initializer_range: 0.02,
};

export class BertConfig implements Fields {
  vocab_size: number;
  hidden_size = DEFAULTS.hidden_size;
  num_hidden_layers = DEFAULTS.num_hidden_layers;
  num_attention_heads = DEFAULTS.num_attention_heads;
  hidden_act = DEFAULTS.hidden_act;
  intermediate_size = DEFAULTS.intermediate_size;
  hidden_dropout_prob = DEFAULTS.hidden_dropout_prob;
  attention_probs_dropout_prob = DEFAULTS.attention_probs_dropout_prob;
  max_position_embeddings = DEFAULTS.max_position_embeddings;
  type_vocab_size = DEFAULTS.type_vocab_size;
  initializer_range = DEFAULTS.initializer_range;
  /** Keys BertConfig does not know, kept as read (e.g. "directionality": "bidi"). */
  readonly extra: Record<string, unknown> = {};

  /** As BertConfig(vocab_size, **kwargs); `source` names the file in errors. */
  constructor(
    vocab_size: number,
    fields: Partial<Omit<Fields, 'vocab_size'>> = {},
    readonly source = 'BertConfig',
  ) {
    this.vocab_size = vocab_size;
    Object.assign(this, fields);
    this.validate();
  }

  /** BertConfig.from_dict: every key copied; known keys type-checked. */
  static fromDict(obj: Record<string, unknown>, source = 'bert_config'): BertConfig {
    const known: Partial<Fields> = {};
    const extra: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) {
      if ((INT_KEYS as readonly string[]).includes(k)) {
        if (!Number.isInteger(v))
          throw new ConfigError(`${source}: "${k}" is ${JSON.stringify(v)}, expected an integer`);
        known[k as IntKey] = v as number;
      } else if ((FLOAT_KEYS as readonly string[]).includes(k)) {
        if (typeof v !== 'number')
          throw new ConfigError(`${source}: "${k}" is ${JSON.stringify(v)}, expected a number`);
        known[k as FloatKey] = v;
      } else if (k === 'hidden_act') {
        if (typeof v !== 'string')
          throw new ConfigError(
            `${source}: "hidden_act" is ${JSON.stringify(v)}, expected a string`,
          );
        known.hidden_act = v;
      } else extra[k] = v;
    }
    const { vocab_size, ...rest } = known;
    if (vocab_size === undefined) throw new ConfigError(`${source}: no "vocab_size"`);
    const c = new BertConfig(vocab_size, rest, source);
    Object.assign(c.extra, extra);
    return c;
  }

  /** BertConfig.from_json_file. */
  static fromJsonFile(path: string): BertConfig {
    const text = readInputText(path, 'BERT config file');
    return BertConfig.fromDict(parseJsonObject(text, path), path);
  }

  /** Head size: hidden_size / num_attention_heads (an integer, checked at construction). */
  get headSize(): number {
    return this.hidden_size / this.num_attention_heads;
  }

  /** A copy of every key: the known ones, then the extra ones. */
  toDict(): Record<string, unknown> {
    const d: Record<string, unknown> = {};
    for (const k of Object.keys(DEFAULTS)) d[k] = this[k as keyof typeof DEFAULTS];
    d.vocab_size = this.vocab_size;
    return { ...d, ...this.extra };
  }

  /** to_json_string: json.dumps(to_dict(), indent=2, sort_keys=True) + "\n". */
  toJsonString(): string {
    return pyJsonDumps(this.toDict(), '') + '\n';
  }

  /**
   * What modeling.py would trip over later, or only after allocating gigabytes: an unknown
   * activation, counts that are not positive integers within bounds, heads that do not divide
   * hidden_size, dropout outside [0, 1], and parameters that cannot fit in memory.
   */
  private validate(): void {
    const source = this.source;
    if (!(ACTIVATIONS as readonly string[]).includes(this.hidden_act.toLowerCase()))
      throw new ConfigError(
        `${source}: unsupported hidden_act "${this.hidden_act}", expected one of gelu, relu, tanh, linear`,
      );
    for (const k of INT_KEYS)
      if (!Number.isInteger(this[k]) || this[k] <= 0 || this[k] > INT_MAX[k])
        throw new ConfigError(
          `${source}: "${k}" is ${this[k]}, expected a positive integer ≤ ${INT_MAX[k]}`,
        );
    if (this.hidden_size % this.num_attention_heads !== 0)
      throw new ConfigError(
        `${source}: hidden_size ${this.hidden_size} is not a multiple of num_attention_heads ${this.num_attention_heads}`,
      );
    for (const k of ['hidden_dropout_prob', 'attention_probs_dropout_prob'] as const)
      if (!(this[k] >= 0 && this[k] <= 1))
        throw new ConfigError(`${source}: "${k}" is ${this[k]}, expected a probability in [0, 1]`);
    if (!(this.initializer_range >= 0 && Number.isFinite(this.initializer_range)))
      throw new ConfigError(
        `${source}: "initializer_range" is ${this.initializer_range}, expected a finite number ≥ 0`,
      );
    checkParametersFit(this, source);
  }
}

/**
 * Python's json.dumps(v, indent=2, sort_keys=True). The known float fields print as floats
 * (0.1, 1.0) as Python would; any other number prints as an int when it is one (JSON.parse
 * cannot tell 1.0 from 1).
 */
function pyJsonDumps(v: unknown, indent: string, key = ''): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if ((FLOAT_KEYS as readonly string[]).includes(key) || !Number.isInteger(v))
      return pyFloatRepr(v);
    return String(v);
  }
  if (typeof v === 'string') return pyJsonString(v);
  const inner = indent + '  ';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => inner + pyJsonDumps(x, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, x]) => `${inner}${pyJsonString(k)}: ${pyJsonDumps(x, inner, k)}`).join(',\n')}\n${indent}}`;
}
