// eval_results.txt and test_results.tsv in the original's exact text, checked against the real
// eval_results.txt of a TF 1.15 run_classifier run (Heytgala/BERT-Model, BERT-Tiny MRPC).
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  evalResultLines,
  testResultsText,
  writeEvalResults,
  writeTestResults,
} from '../../src/train/results.js';
import { SHARED } from '../shared.js';

const REAL = join(SHARED, 'fixtures/tf_checkpoint/bert_tiny_mrpc_finetuned/eval_results.txt');

describe('eval_results.txt', () => {
  it("reproduces the real TF run's file byte for byte from its float32 values", () => {
    const want = readFileSync(REAL, 'utf8');
    // the values as numpy held them: float32 loss/accuracy, int64 step
    const dir = mkdtempSync(join(tmpdir(), 'bert-results-'));
    const path = join(dir, 'eval_results.txt');
    const values = Object.fromEntries(
      want
        .trim()
        .split('\n')
        .map((l) => l.split(' = ') as [string, string])
        .map(([k, v]) => [k, k === 'global_step' ? { int64: Number(v) } : { float32: Number(v) }]),
    );
    // insertion order scrambled on purpose: the writer sorts
    const scrambled = Object.fromEntries(Object.entries(values).reverse());
    writeEvalResults(path, scrambled);
    expect(readFileSync(path, 'utf8')).toBe(want);
    expect(want).toContain('eval_accuracy = 0.72794116\n');
    expect(readdirSync(dir)).toEqual(['eval_results.txt']); // no temporary left behind
  });
  it('prints float32 as numpy str and sorts keys', () => {
    const lines = evalResultLines({
      loss: { float32: 0.5052480101585388 },
      global_step: { int64: 343 },
      eval_f1: { float32: 558 / 687 },
      eval_accuracy: { float32: 279 / 408 },
    });
    expect(lines).toEqual([
      'eval_accuracy = 0.6838235',
      'eval_f1 = 0.8122271',
      'global_step = 343',
      'loss = 0.505248',
    ]);
  });
});

describe('test_results.tsv', () => {
  it('one line per example, probabilities tab-joined as numpy float32 str', () => {
    const probs = new Float32Array([0.25, 0.75, 1e-5, 0.99999, 0.3, 0.7]);
    expect(testResultsText(probs, 3, 2)).toBe('0.25\t0.75\n1e-05\t0.99999\n0.3\t0.7\n');
  });
  it('is written atomically', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bert-results-'));
    writeTestResults(join(dir, 'test_results.tsv'), new Float32Array([0.5, 0.5]), 1, 2);
    expect(readFileSync(join(dir, 'test_results.tsv'), 'utf8')).toBe('0.5\t0.5\n');
    expect(readdirSync(dir)).toEqual(['test_results.tsv']);
  });
});
