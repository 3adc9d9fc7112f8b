// absl-style flags, as the Python scripts' `tf.flags` parse them: `--name=value`, `--name value`,
// `--flag` / `--noflag` for booleans, booleans spelled true/false/True/False/1/0 (also t/f), and
// an error naming any unknown flag. Written here because no npm parser has absl's `--noflag` and
// bool spellings; the table of flags per script is the interface, as in the Python files. A
// mistyped flag gets a "did you mean" hint: the closest name by edit distance (fastest-levenshtein).
import { closest, distance } from 'fastest-levenshtein';
import { UsageError } from '../util/errors.js';

interface Base<T> {
  readonly kind: 'string' | 'int' | 'float' | 'bool' | 'enum';
  readonly help: string;
  readonly default: T;
  readonly required?: boolean;
  readonly choices?: readonly string[];
}
export type FlagSpec<T> = Base<T>;
export type FlagTable = Record<string, FlagSpec<unknown>>;
export type FlagValues<F extends FlagTable> = { [K in keyof F]: F[K]['default'] };

interface Opts<T> {
  help: string;
  default?: T;
  required?: boolean;
}

export function str(o: Opts<string>): FlagSpec<string | null> {
  return {
    kind: 'string',
    help: o.help,
    default: o.default ?? null,
    required: o.required ?? false,
  };
}
export function strDefault(def: string, help: string): FlagSpec<string> {
  return { kind: 'string', help, default: def };
}
export function int(def: number, help: string): FlagSpec<number> {
  return { kind: 'int', help, default: def };
}
export function intOrNull(help: string): FlagSpec<number | null> {
  return { kind: 'int', help, default: null };
}
export function float(def: number, help: string): FlagSpec<number> {
  return { kind: 'float', help, default: def };
}
export function bool(def: boolean, help: string): FlagSpec<boolean> {
  return { kind: 'bool', help, default: def };
}
export function oneOf<T extends string>(choices: readonly T[], def: T, help: string): FlagSpec<T> {
  return { kind: 'enum', help, default: def, choices };
}

const TRUE = new Set(['true', 't', '1', 'yes', 'y']);
const FALSE = new Set(['false', 'f', '0', 'no', 'n']);

function parseBool(name: string, v: string): boolean {
  const l = v.toLowerCase();
  if (TRUE.has(l)) return true;
  if (FALSE.has(l)) return false;
  throw new UsageError(`--${name}: '${v}' is not a boolean (use true/false/True/False/1/0)`);
}

function parseValue(name: string, spec: FlagSpec<unknown>, v: string): unknown {
  switch (spec.kind) {
    case 'string':
      return v;
    case 'int': {
      if (!/^[-+]?\d+$/.test(v.trim())) throw new UsageError(`--${name}: '${v}' is not an integer`);
      return Number(v);
    }
    case 'float': {
      const x = Number(v);
      if (v.trim() === '' || Number.isNaN(x))
        throw new UsageError(`--${name}: '${v}' is not a number`);
      return x;
    }
    case 'bool':
      return parseBool(name, v);
    case 'enum': {
      if (!spec.choices?.includes(v))
        throw new UsageError(`--${name}: '${v}' is not one of ${spec.choices?.join(', ')}`);
      return v;
    }
    default:
      return spec.kind satisfies never;
  }
}

/**
 * "did you mean --learning_rate?" when a known flag is within a third of its length in edits
 * (at least 2) of `name`, compared in lower case with '-' read as '_' (--Learning-Rate).
 */
export function didYouMean(name: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined;
  const typed = name.toLowerCase().replace(/-/g, '_');
  const best = closest(typed, [...known]);
  const within = Math.max(2, Math.floor(best.length / 3));
  return distance(typed, best) <= within ? `did you mean --${best}?` : undefined;
}

/** Parsed flags plus the positional arguments (absl passes those on to main). */
export interface Parsed<F extends FlagTable> {
  flags: FlagValues<F>;
  positional: string[];
  help: boolean;
}

/** Parses argv against a table. `--help` is reported, not acted on. */
export function parseFlags<F extends FlagTable>(table: F, argv: readonly string[]): Parsed<F> {
  const values: Record<string, unknown> = {};
  for (const [k, spec] of Object.entries(table)) values[k] = spec.default;
  const positional: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    const inline = eq < 0 ? undefined : body.slice(eq + 1);
    if (name === 'help' || name === 'helpfull' || name === 'h') {
      help = true;
      continue;
    }
    const spec = table[name];
    if (spec === undefined) {
      const negated = name.startsWith('no') ? table[name.slice(2)] : undefined;
      if (negated?.kind === 'bool' && inline === undefined) {
        values[name.slice(2)] = false;
        continue;
      }
      throw new UsageError(`unknown flag --${name}`, didYouMean(name, Object.keys(table)));
    }
    if (inline !== undefined) {
      values[name] = parseValue(name, spec, inline);
    } else if (spec.kind === 'bool') {
      const next = argv[i + 1];
      if (next !== undefined && (TRUE.has(next.toLowerCase()) || FALSE.has(next.toLowerCase()))) {
        values[name] = parseBool(name, next);
        i++;
      } else values[name] = true;
    } else {
      const next = argv[i + 1];
      if (next === undefined) throw new UsageError(`flag --${name} needs a value`);
      values[name] = parseValue(name, spec, next);
      i++;
    }
  }
  return { flags: values as FlagValues<F>, positional, help };
}

/** Throws a UsageError naming the first required flag that was not given. */
export function requireFlags<F extends FlagTable>(table: F, flags: FlagValues<F>): void {
  for (const [k, spec] of Object.entries(table)) {
    if (spec.required && (flags[k] === null || flags[k] === undefined))
      throw new UsageError(`flag --${k} must be specified`);
  }
}

function showDefault(v: unknown): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return `'${v}'`;
  return String(v);
}

/** absl-like help text: one entry per flag with its help and default. */
export function formatHelp(script: string, summary: string, table: FlagTable): string {
  const lines = [`usage: bert ${script} [--flag=value ...]`, '', summary, '', 'flags:'];
  for (const [k, spec] of Object.entries(table)) {
    const req = spec.required ? ' (required)' : '';
    lines.push(`  --${k}: ${spec.help}${req}`, `    (default: ${showDefault(spec.default)})`);
  }
  return lines.join('\n') + '\n';
}
