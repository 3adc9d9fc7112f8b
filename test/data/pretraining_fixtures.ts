// The Python transcription's fixture (refgen/pretraining/gen.py) and how to compare with it.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import {
  createTrainingInstances,
  type PretrainingDataOptions,
} from '../../src/data/pretraining/create_pretraining_data.js';
import { FullTokenizer } from '../../src/tokenization/full.js';
import type { TrainingInstance } from '../../src/data/pretraining/instances.js';
import { REPO, SHARED } from '../shared.js';

export interface FixtureConfig {
  name: string;
  inputs: string[];
  input_sha256: string[];
  flags: Record<string, number | boolean>;
  vocab: string;
  count: number;
  sha256: string;
  first: unknown[][];
}

export const FIXTURES = JSON.parse(
  readFileSync(join(REPO, 'test/fixtures/pretraining/instances.json'), 'utf8'),
) as { configs: FixtureConfig[] };

export function resolveInput(name: string): string {
  const [kind, rel] = [name.slice(0, name.indexOf(':')), name.slice(name.indexOf(':') + 1)];
  return kind === 'shared' ? join(SHARED, rel) : kind === 'repo' ? join(REPO, rel) : rel;
}

export function optionsOf(flags: FixtureConfig['flags']): PretrainingDataOptions {
  const num = (k: string, d: number): number => (flags[k] as number | undefined) ?? d;
  return {
    maxSeqLength: num('max_seq_length', 128),
    maxPredictionsPerSeq: num('max_predictions_per_seq', 20),
    maskedLmProb: num('masked_lm_prob', 0.15),
    shortSeqProb: num('short_seq_prob', 0.1),
    doWholeWordMask: flags.do_whole_word_mask === true,
    dupeFactor: num('dupe_factor', 10),
    randomSeed: num('random_seed', 12345),
  };
}

/** The fixture's row for an instance: [tokens, segment_ids, is_random_next, positions, labels]. */
export function instanceRow(inst: TrainingInstance, idToToken: readonly string[]): unknown[] {
  const tokens = Array.from(inst.tokens, (id) => idToToken[id]!);
  const segments = tokens.map((_, i) => (i < inst.segmentALength ? 0 : 1));
  const labels = inst.maskedLmLabels.map((id) => idToToken[id]!);
  return [tokens, segments, inst.isRandomNext, inst.maskedLmPositions, labels];
}

export function rowsDigest(rows: unknown[][]): string {
  const text = rows.map((r) => JSON.stringify(r)).join('\n');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}


const UNCASED_VOCAB = 'shared:vocab/uncased/vocab.txt';

/** The config's vocab file: the uncased one, or ("dup:a,b") it with lines a, b appended. */
function vocabFile(spec: string): string {
  if (!spec.startsWith('dup:')) return resolveInput(spec);
  const extra = spec.slice('dup:'.length).split(',');
  const path = join(mkdtempSync(join(tmpdir(), 'vocab-')), 'vocab.txt');
  const base = readFileSync(resolveInput(UNCASED_VOCAB), 'utf8');
  writeFileSync(path, base + extra.map((t) => `${t}\n`).join(''));
  return path;
}

/** Runs a fixture config on `files` (checked by sha256) and compares with the Python instances. */
export function expectFixtureInstances(c: FixtureConfig, files: string[]): void {
  files.forEach((f, i) =>
    expect(createHash('sha256').update(readFileSync(f)).digest('hex'), f).toBe(c.input_sha256[i]),
  );
  const tokenizer = FullTokenizer.fromFile(vocabFile(c.vocab), c.flags.do_lower_case !== false);
  const instances = createTrainingInstances(files, tokenizer, optionsOf(c.flags));
  const rows = instances.map((inst) => {
    const row = instanceRow(inst, tokenizer.vocab.idToToken);
    // With an unusual vocab the fixture also records the ids (tokens, then labels).
    if (c.vocab !== UNCASED_VOCAB) row.push([...inst.tokens, ...inst.maskedLmLabels]);
    return row;
  });
  expect(rows).toHaveLength(c.count);
  rows.slice(0, c.first.length).forEach((r, i) => expect(r, `instance ${i}`).toEqual(c.first[i]));
  expect(rowsDigest(rows)).toBe(c.sha256);
}
