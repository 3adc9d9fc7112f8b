// The one error family of bert-ts (STYLE.md §4): every message says what, where and, when one
// exists, a hint. The CLI maps UsageError to usage + exit 2 and every other error to exit 1.

export class BertError extends Error {
  readonly hint: string | undefined;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.hint = hint;
  }
}

/** Bad flags or arguments. */
export class UsageError extends BertError {}
/** A file that is not what it claims to be (bad magic, crc, truncation, bad line). */
export class FormatError extends BertError {}
/** Tensors or arrays whose shapes do not fit together. */
export class ShapeError extends BertError {}
/** An impossible or unsupported configuration (bert_config.json, flag combinations). */
export class ConfigError extends BertError {}

/** Invariant check: `check(cond, () => 'internal: ...')`. The message is built only on failure. */
export function check(cond: unknown, message: () => string): asserts cond {
  if (!cond) throw new BertError(message());
}

/** 0x-prefixed, zero-padded 32-bit hex, for crcs in messages. */
export function hex32(x: number): string {
  return '0x' + (x >>> 0).toString(16).padStart(8, '0');
}
