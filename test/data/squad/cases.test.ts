// Corner cases against the Python restatements (refgen/squad/gen.py → cases.json):
// get_final_text (the alignment and each of its fallbacks), the official evaluation scripts'
// printed JSON on hand-made prediction files (v1.1 on dev articles 0–11 with unanswered
// questions, articles, punctuation and case; v2.0 with and without no-answer probabilities,
// thresholds, int-valued probabilities), and math.exp as this machine's Python computes it.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { evaluateV1, evaluateV2, formatV1, formatV2 } from '../../../src/data/squad/evaluate.js';
import { readNaProbFile } from '../../../src/data/squad/eval_files.js';
import { getFinalText } from '../../../src/data/squad/final_text.js';
import { readSquadFile } from '../../../src/data/squad/squad_json.js';
import { UsageError } from '../../../src/util/errors.js';
import { pyExp } from '../../../src/util/py_math.js';
import { devFile, fixture, V2_PATH } from './fixtures.js';

interface Cases {
  final_text: { pred: string; orig: string; lower: boolean; out: string; fallback: string | null }[];
  evaluation: {
    name: string;
    version: 1 | 2;
    preds: Record<string, string>;
    na_probs?: Record<string, number> | null;
    na_prob_thresh?: number;
    out: string;
    log: string[];
  }[];
  exp: [string, string][];
}

const CASES = fixture<Cases>('cases.json');
const TMP = mkdtempSync(join(tmpdir(), 'bert-squad-cases-'));

describe('get_final_text', () => {
  it.each(CASES.final_text)('$pred in $orig (lower $lower) → $out ($fallback)', (c) => {
    expect(getFinalText(c.pred, c.orig, c.lower)).toBe(c.out);
  });
});

describe('the official evaluation', () => {
  it.each(CASES.evaluation)('$name prints what the script prints', (c) => {
    const preds = new Map(Object.entries(c.preds));
    const log: string[] = [];
    if (c.version === 1) {
      const dev = { ...devFile(), articles: devFile().articles.slice(0, 12) };
      expect(formatV1(evaluateV1(dev, preds, (l) => log.push(l)))).toBe(c.out);
    } else {
      // Through a file, as `bert evaluate_squad --na_prob_file` reads it (ints stay ints).
      let naProbs = null;
      if (c.na_probs) {
        const path = join(TMP, `${c.name}.json`);
        writeFileSync(path, JSON.stringify(c.na_probs));
        naProbs = readNaProbFile(path);
      }
      const out = evaluateV2(readSquadFile(V2_PATH), preds, { naProbs, naProbThresh: c.na_prob_thresh!, warn: (l) => log.push(l) });
      expect(formatV2(out)).toBe(c.out);
    }
    expect(log).toEqual(c.log);
  });
  it('v2.0: a question with answers but no prediction is an error naming it (the script: KeyError)', () => {
    const preds = new Map([['v2-1', 'France']]);
    expect(() => evaluateV2(readSquadFile(V2_PATH), preds, { naProbs: null, naProbThresh: 1, warn: () => {} })).toThrow(UsageError);
    expect(() => evaluateV2(readSquadFile(V2_PATH), preds, { naProbs: null, naProbThresh: 1, warn: () => {} })).toThrow(/v2-3/);
  });
});

describe('math.exp (glibc)', () => {
  it(`${CASES.exp.length} inputs: every result bit for bit (Math.exp differs on about 1 in 10)`, () => {
    let mathExpDiffers = 0;
    for (const [x, want] of CASES.exp) {
      expect(pyExp(Number(x)), x).toBe(Number(want));
      if (Math.exp(Number(x)) !== Number(want)) mathExpDiffers++;
    }
    expect(mathExpDiffers).toBeGreaterThan(100);
  });
});
