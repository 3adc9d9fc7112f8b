// The fuzz tests' harness: seeded mutations of real files, the CLI run in-process (the same
// dispatch and error report as `bert`, src/cli/main.ts) or as a child process for stdin, and
// the two outcomes a reader may give — a refusal (non-zero exit, exactly one `bert:` error line
// naming the file and the place, no stack trace, no output left) or a clean run.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { expect, vi } from 'vitest';
import { errorReport, runCommand } from '../../src/cli/main.js';
import { Rng } from '../../src/util/rng.js';
import { REPO } from '../shared.js';

export const MODEL = join(REPO, 'models', 'uncased_L-2_H-128_A-2_brown');
export const MODEL_CONFIG = join(MODEL, 'bert_config.json');
export const MODEL_CKPT = join(MODEL, 'bert_model.ckpt');
export const VOCAB = join(MODEL, 'vocab.txt');
/** Per case: a runaway reader fails its test instead of hanging the suite. */
export const CASE_TIMEOUT = 60_000;
/** Per case: the process may not grow past this (a runaway allocation fails the case). */
const RSS_LIMIT = 3 * 1024 ** 3;

export interface Outcome {
  readonly code: number;
  readonly stderr: string;
  readonly stdout: string;
}

/** `bert ...argv` in this process, stdout and stderr captured, errors reported as `bert` does. */
export async function runBert(argv: string[]): Promise<Outcome> {
  const out: string[] = [];
  const err: string[] = [];
  const capture = (into: string[]) => (chunk: string | Uint8Array) => {
    into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const o = vi.spyOn(process.stdout, 'write').mockImplementation(capture(out));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation(capture(err));
  let code: number;
  try {
    code = await runCommand(argv, process.stdout);
  } catch (x) {
    const report = errorReport(x);
    err.push(report.text);
    code = report.exitCode;
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  expect(process.memoryUsage().rss).toBeLessThan(RSS_LIMIT);
  return { code, stderr: err.join(''), stdout: out.join('') };
}

/** `bert ...argv` as a child process (the built CLI) with `input` on stdin and a small heap. */
export function spawnBert(argv: string[], input: Buffer | string | null, stdinFile?: string) {
  const cli = join(REPO, 'dist', 'src', 'cli', 'run.js');
  const r = spawnSync(process.execPath, ['--max-old-space-size=256', cli, ...argv], {
    input: input ?? undefined,
    stdio: stdinFile === undefined ? 'pipe' : [openForStdin(stdinFile), 'pipe', 'pipe'],
    timeout: CASE_TIMEOUT,
    maxBuffer: 64 << 20,
  });
  return { code: r.status ?? -1, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString() };
}

/** A read-only descriptor for a child's stdin (a directory opens too, as `bert … < dir`). */
function openForStdin(path: string): number {
  return openSync(path, 'r');
}

/**
 * A refusal: exit non-zero, exactly one `bert:` line, naming the file (its base name at least)
 * and matching `place` (record / line / tensor) when given; no internal error, no stack trace.
 */
export function expectRefused(o: Outcome, file: string, place?: RegExp): string {
  expect(o.code, o.stderr).not.toBe(0);
  expect(o.stderr).not.toMatch(/internal error|^\s+at /m);
  const errors = o.stderr.split('\n').filter((l) => l.startsWith('bert: '));
  expect(errors, o.stderr).toHaveLength(1);
  const line = errors[0]!;
  expect(line).toContain(basename(file));
  if (place !== undefined) expect(line).toMatch(place);
  return line;
}

/** A clean run: exit 0, no error line. */
export function expectClean(o: Outcome): void {
  expect(o.stderr).not.toMatch(/^bert: |internal error|^\s+at /m);
  expect(o.code, o.stderr).toBe(0);
}

/** The model files a CLI run reads: the shipped model's unless replaced. */
export interface ModelFiles {
  readonly vocab?: string;
  readonly config?: string;
  /** --init_checkpoint (null: none, the seeded initialisers). */
  readonly weights?: string | null;
}

/** --vocab_file, --bert_config_file and --init_checkpoint of the shipped model, or replacements. */
export function modelFlags(w: ModelFiles = {}): string[] {
  return [
    `--vocab_file=${w.vocab ?? VOCAB}`,
    `--bert_config_file=${w.config ?? MODEL_CONFIG}`,
    ...(w.weights === null ? [] : [`--init_checkpoint=${w.weights ?? MODEL_CKPT}`]),
  ];
}

export interface ExtractRun {
  readonly o: Outcome;
  /** The JSON lines written, or null when nothing was. */
  readonly output: string | null;
  readonly inputFile: string;
}

/**
 * extract_features (last layer, 16 tokens, one thread) of the shipped model, or the given
 * config / weights / vocab / input lines; a refused run must leave its output directory empty.
 */
export async function extractFeatures(
  w: ModelFiles & { readonly weights?: string; readonly input?: Uint8Array | string } = {},
): Promise<ExtractRun> {
  const dir = tempDir('ef');
  const inputFile = fileWith(
    'input.txt',
    w.input ?? 'Hello world.\nThe cat sat ||| on the mat.\n',
    dir,
  );
  mkdirSync(join(dir, 'out'));
  const output = join(dir, 'out', 'features.jsonl');
  const o = await runBert([
    'extract_features',
    `--input_file=${inputFile}`,
    `--output_file=${output}`,
    ...modelFlags(w),
    '--layers=-1',
    '--max_seq_length=16',
    '--num_threads=1',
  ]);
  const written = filesIn(join(dir, 'out'));
  if (o.code !== 0) expect(written).toEqual([]);
  return { o, output: written.length === 0 ? null : readFileSync(output, 'utf8'), inputFile };
}

/** A change the reader cannot or need not see runs clean; anything else is refused as above. */
export function expectCleanOrRefused(o: Outcome, file: string, place?: RegExp): void {
  if (o.code === 0) expectClean(o);
  else expectRefused(o, file, place);
}

/** The two blind mutations, truncation and a bit flip, with their seeds (for `it.each`). */
export function blindMutations(truncSeeds: number[], flipSeeds: number[]): [string, number][] {
  return [
    ...truncSeeds.map((s): [string, number] => ['truncated', s]),
    ...flipSeeds.map((s): [string, number] => ['bit flip', s]),
  ];
}

/** Applies blindMutations' mutation `kind` with `seed`. */
export function mutate(kind: string, seed: number, bytes: Uint8Array): Uint8Array {
  const m = new Mutator(seed);
  return kind === 'truncated' ? m.truncate(bytes) : m.flip(bytes);
}

/** Files under `dir` (none of them a writer's temporary `*.tmp-*`). */
export function filesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String) : [];
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `fuzz-${prefix}-`));
}

/** Writes `bytes` as `name` in a fresh directory; returns its path. */
export function fileWith(name: string, bytes: Uint8Array | string, dir = tempDir('in')): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

export function copyInto(dir: string, ...files: string[]): void {
  for (const f of files) copyFileSync(f, join(dir, basename(f)));
}

/** The first `n` lines of a file. */
export function head(path: string, n: number): Buffer {
  const bytes = readFileSync(path);
  let at = 0;
  for (let i = 0; i < n; i++) at = bytes.indexOf(0x0a, at) + 1;
  return bytes.subarray(0, at);
}

/** Each line passed through `f` (the final "\n" kept). */
export function mapLines(bytes: Buffer, f: (line: string, i: number) => string): Buffer {
  const lines = bytes.toString('utf8').split('\n');
  const last = lines.pop();
  return Buffer.from([...lines.map(f), last].join('\n'), 'utf8');
}

/** Seeded mutations; each case names its seed, so a failure can be replayed. */
export class Mutator {
  private readonly rng: Rng;
  constructor(readonly seed: number) {
    this.rng = new Rng(seed);
  }

  int(n: number): number {
    return this.rng.int(n);
  }

  /** The first k bytes, k in [from, length). */
  truncate(bytes: Uint8Array, from = 1): Uint8Array {
    return bytes.slice(0, from + this.int(bytes.length - from));
  }

  /** One bit flipped at a byte in [from, to). */
  flip(bytes: Uint8Array, from = 0, to = bytes.length): Uint8Array {
    const out = bytes.slice();
    out[from + this.int(to - from)]! ^= 1 << this.int(8);
    return out;
  }

  /** `insert` placed at a random offset in [from, to]. */
  insert(bytes: Uint8Array, insert: Uint8Array, from = 0, to = bytes.length): Uint8Array {
    const at = from + this.int(to - from + 1);
    return Buffer.concat([bytes.subarray(0, at), insert, bytes.subarray(at)]);
  }
}

/** Seeds 1..n, for `it.each`. */
export function seeds(n: number, base = 0): number[] {
  return Array.from({ length: n }, (_, i) => base + i + 1);
}
