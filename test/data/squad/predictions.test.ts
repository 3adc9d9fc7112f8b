// write_predictions against the Python restatement of run_squad.py (refgen/squad/gen.py): windows
// of real dev paragraphs and of the hand-made v2 file, logits drawn from Python's
// random.Random(seed) (float32; every third window on a 0.25 grid, so many ties test sorted()'s
// stability), then predictions.json, null_odds.json byte for byte and nbest_predictions.json by
// sha256 (its start shown in full): n-best selection, the filters, get_final_text, de-duplication,
// the softmax (math.exp as glibc computes it), v2's null score and threshold, json.dumps(indent=4).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readSquadExamples } from '../../../src/data/squad/examples.js';
import { convertExamplesToFeatures, type SquadFeatures } from '../../../src/data/squad/features.js';
import { predictionFiles, squadPredictions, type RawResult } from '../../../src/data/squad/predictions.js';
import { readSquadFile } from '../../../src/data/squad/squad_json.js';
import { silentLogger } from '../../../src/util/log.js';
import { PyRandom } from '../../../src/util/py_random.js';
import { devFile, fixture, subset, UNCASED, V2_PATH } from './fixtures.js';

interface PredictionCase {
  name: string;
  do_lower_case: boolean;
  source: { file: 'dev' | 'v2_small'; article?: number; paragraphs?: number };
  seed: number;
  n_best_size: number;
  max_answer_length: number;
  version_2_with_negative: boolean;
  null_score_diff_threshold: number;
  max_seq_length: number;
  doc_stride: number;
  max_query_length: number;
  files: { predictions: string; nbest_predictions: { sha256: string; head: string }; null_odds?: string };
}

/** The generator's logits: float32(random()·12 − 6), floored to 0.25 steps when unique_id % 3 = 0. */
function logits(features: readonly SquadFeatures[], seed: number, T: number): Map<number, RawResult> {
  const rng = new PyRandom(seed);
  const out = new Map<number, RawResult>();
  for (const f of features) {
    const [startLogits, endLogits] = [0, 1].map(() => {
      const xs = Float64Array.from({ length: T }, () => Math.fround(rng.random() * 12 - 6));
      if (f.uniqueId % 3 === 0) for (let i = 0; i < T; i++) xs[i] = Math.fround(Math.floor(xs[i]! * 4) / 4);
      return xs;
    }) as [Float64Array, Float64Array];
    out.set(f.uniqueId, { startLogits, endLogits });
  }
  return out;
}

describe.each(fixture<PredictionCase[]>('predictions.json'))('$name', (c) => {
  it('writes the files write_predictions writes', () => {
    const { file, article, paragraphs } = c.source;
    const data = file === 'v2_small' ? readSquadFile(V2_PATH) : subset(devFile(), article!, paragraphs!);
    const examples = readSquadExamples(data, false, false, silentLogger);
    const features: SquadFeatures[] = [];
    const options = { maxSeqLength: c.max_seq_length, docStride: c.doc_stride, maxQueryLength: c.max_query_length, isTraining: false };
    convertExamplesToFeatures(examples, UNCASED, options, (f) => features.push(f), silentLogger);
    const p = squadPredictions(examples, features, logits(features, c.seed, c.max_seq_length), {
      nBestSize: c.n_best_size,
      maxAnswerLength: c.max_answer_length,
      doLowerCase: c.do_lower_case,
      version2WithNegative: c.version_2_with_negative,
      nullScoreDiffThreshold: c.null_score_diff_threshold,
      verbose: null,
    });
    const files = predictionFiles(p);
    expect(files.predictions).toBe(c.files.predictions);
    expect(files.nullOdds).toBe(c.files.null_odds ?? null);
    expect(files.nbest.slice(0, c.files.nbest_predictions.head.length)).toBe(c.files.nbest_predictions.head);
    expect(createHash('sha256').update(files.nbest).digest('hex')).toBe(c.files.nbest_predictions.sha256);
  });
});
