// run_squad.write_predictions: for each question, every window's top n_best_size start and end
// logits (_get_best_indexes) paired into candidate spans, kept when both ends lie in the
// window's document part, the start is at its max-context window, end ≥ start and the span is
// at most max_answer_length pieces; v2.0 adds the null span (position 0) of the window with the
// lowest null score. Candidates sorted by start + end logit (stable, as Python's sorted), turned
// into text (word pieces de-"##"-ed, get_final_text onto the context words), de-duplicated, cut
// at n_best_size, softmaxed (_compute_softmax) into nbest_predictions.json; predictions.json gets
// the best text — for v2.0 "" when null score − best non-null score > null_score_diff_threshold,
// and null_odds.json that difference. Files as json.dumps(…, indent=4) + "\n".
import type { Logger } from '../../util/log.js';
import { pyExp } from '../../util/py_math.js';
import { pyJsonDumps, type PyJsonValue } from '../../util/py_json.js';
import { pySplit, pyStrip } from '../../util/unicode.js';
import type { SquadExample } from './examples.js';
import type { SquadFeatures } from './features.js';
import { getFinalText } from './final_text.js';

/** RawResult: the logits of one window, all max_seq_length positions. */
export interface RawResult {
  readonly startLogits: ArrayLike<number>;
  readonly endLogits: ArrayLike<number>;
}

export interface PredictionOptions {
  readonly nBestSize: number;
  readonly maxAnswerLength: number;
  readonly doLowerCase: boolean;
  readonly version2WithNegative: boolean;
  readonly nullScoreDiffThreshold: number;
  /** --verbose_logging: get_final_text's failures are logged here. */
  readonly verbose: Logger | null;
}

interface Prelim {
  readonly featureIndex: number;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startLogit: number;
  readonly endLogit: number;
}

export interface NbestEntry {
  readonly text: string;
  readonly probability: number;
  readonly startLogit: number;
  readonly endLogit: number;
}

export interface SquadPredictions {
  readonly predictions: Map<string, string>;
  readonly nbest: Map<string, NbestEntry[]>;
  /** v2.0: score_null − best non-null score per question; null for v1.1. */
  readonly scoresDiff: Map<string, number> | null;
}

/** _get_best_indexes: positions of the n largest logits, ties in position order. */
export function bestIndexes(logits: ArrayLike<number>, n: number): number[] {
  const idx = Array.from({ length: logits.length }, (_, i) => i);
  idx.sort((a, b) => logits[b]! - logits[a]! || a - b);
  return idx.slice(0, n);
}

/** _compute_softmax, in Python's order of operations. */
export function computeSoftmax(scores: readonly number[]): number[] {
  if (scores.length === 0) return [];
  let max = scores[0]!;
  for (const s of scores) if (s > max) max = s;
  const exps = scores.map((s) => pyExp(s - max));
  let total = 0;
  for (const e of exps) total += e;
  return exps.map((e) => e / total);
}

function isCandidate(f: SquadFeatures, start: number, end: number, maxAnswerLength: number) {
  const n = f.tokens.length;
  if (start >= n || end >= n) return false;
  if (f.tokenToOrigMap[start]! < 0 || f.tokenToOrigMap[end]! < 0) return false;
  if (f.tokenIsMaxContext[start] !== 1) return false;
  return end >= start && end - start + 1 <= maxAnswerLength;
}

interface NullScore {
  score: number;
  featureIndex: number;
  startLogit: number;
  endLogit: number;
}

/** The candidate spans of one question, and (v2.0) its minimum null score over the windows. */
function prelimPredictions(
  features: readonly SquadFeatures[],
  results: ReadonlyMap<number, RawResult>,
  o: PredictionOptions,
): { prelim: Prelim[]; nul: NullScore } {
  const prelim: Prelim[] = [];
  const nul: NullScore = { score: 1000000, featureIndex: 0, startLogit: 0, endLogit: 0 };
  features.forEach((f, featureIndex) => {
    const r = results.get(f.uniqueId)!;
    const starts = bestIndexes(r.startLogits, o.nBestSize);
    const ends = bestIndexes(r.endLogits, o.nBestSize);
    if (o.version2WithNegative) {
      const score = r.startLogits[0]! + r.endLogits[0]!;
      if (score < nul.score)
        Object.assign(nul, { score, featureIndex, startLogit: r.startLogits[0]!, endLogit: r.endLogits[0]! });
    }
    for (const s of starts)
      for (const e of ends)
        if (isCandidate(f, s, e, o.maxAnswerLength))
          prelim.push({ featureIndex, startIndex: s, endIndex: e, startLogit: r.startLogits[s]!, endLogit: r.endLogits[e]! });
  });
  if (o.version2WithNegative)
    prelim.push({ featureIndex: nul.featureIndex, startIndex: 0, endIndex: 0, startLogit: nul.startLogit, endLogit: nul.endLogit });
  // sorted(…, key=start+end, reverse=True) keeps equal keys in their order, as a stable sort.
  prelim.sort((a, b) => b.startLogit + b.endLogit - (a.startLogit + a.endLogit));
  return { prelim, nul };
}

/** The text of a non-null span: its word pieces de-"##"-ed, projected onto the context words. */
function spanText(ex: SquadExample, f: SquadFeatures, p: Prelim, o: PredictionOptions): string {
  let tokText = f.tokens.slice(p.startIndex, p.endIndex + 1).join(' ');
  tokText = tokText.replaceAll(' ##', '').replaceAll('##', '');
  tokText = pySplit(pyStrip(tokText)).join(' ');
  const origStart = f.tokenToOrigMap[p.startIndex]!;
  const origEnd = f.tokenToOrigMap[p.endIndex]!;
  const origText = ex.docTokens.slice(origStart, origEnd + 1).join(' ');
  return getFinalText(tokText, origText, o.doLowerCase, o.verbose);
}

interface Nbest {
  readonly text: string;
  readonly startLogit: number;
  readonly endLogit: number;
}

function nbestOf(ex: SquadExample, features: readonly SquadFeatures[], prelim: Prelim[], nul: NullScore, o: PredictionOptions): Nbest[] {
  const seen = new Set<string>();
  const nbest: Nbest[] = [];
  for (const p of prelim) {
    if (nbest.length >= o.nBestSize) break;
    let text = '';
    if (p.startIndex > 0) {
      text = spanText(ex, features[p.featureIndex]!, p, o);
      if (seen.has(text)) continue;
    }
    seen.add(text);
    nbest.push({ text, startLogit: p.startLogit, endLogit: p.endLogit });
  }
  if (o.version2WithNegative && !seen.has(''))
    nbest.push({ text: '', startLogit: nul.startLogit, endLogit: nul.endLogit });
  // "In very rare edge cases we could have no valid predictions": the original's nonce entry.
  if (nbest.length === 0) nbest.push({ text: 'empty', startLogit: 0, endLogit: 0 });
  // v2.0 with only the null entry: the original dies on best_non_null_entry = None; this adds
  // the same nonce in front, as Hugging Face's port of the function does.
  if (o.version2WithNegative && !nbest.some((e) => e.text !== ''))
    nbest.unshift({ text: 'empty', startLogit: 0, endLogit: 0 });
  return nbest;
}

/** write_predictions' results for every example, in example order. */
export function squadPredictions(
  examples: readonly SquadExample[],
  features: readonly SquadFeatures[],
  results: ReadonlyMap<number, RawResult>,
  o: PredictionOptions,
): SquadPredictions {
  const byExample = new Map<number, SquadFeatures[]>();
  for (const f of features) {
    const list = byExample.get(f.exampleIndex);
    if (list === undefined) byExample.set(f.exampleIndex, [f]);
    else list.push(f);
  }
  const out: SquadPredictions = {
    predictions: new Map(),
    nbest: new Map(),
    scoresDiff: o.version2WithNegative ? new Map() : null,
  };
  examples.forEach((ex, exampleIndex) => {
    const exFeatures = byExample.get(exampleIndex) ?? [];
    const { prelim, nul } = prelimPredictions(exFeatures, results, o);
    const nbest = nbestOf(ex, exFeatures, prelim, nul, o);
    const probs = computeSoftmax(nbest.map((e) => e.startLogit + e.endLogit));
    out.nbest.set(ex.qasId, nbest.map((e, i) => ({ ...e, probability: probs[i]! })));
    if (out.scoresDiff === null) {
      out.predictions.set(ex.qasId, nbest[0]!.text);
      return;
    }
    const best = nbest.find((e) => e.text !== '')!;
    const scoreDiff = nul.score - best.startLogit - best.endLogit;
    out.scoresDiff.set(ex.qasId, scoreDiff);
    out.predictions.set(ex.qasId, scoreDiff > o.nullScoreDiffThreshold ? '' : best.text);
  });
  return out;
}

/** The three files' text: json.dumps(…, indent=4) + "\n" (null_odds.json only for v2.0). */
export function predictionFiles(p: SquadPredictions): {
  predictions: string;
  nbest: string;
  nullOdds: string | null;
} {
  const nbest = new Map<string, PyJsonValue>();
  for (const [qid, entries] of p.nbest)
    nbest.set(
      qid,
      entries.map(
        (e) =>
          new Map<string, PyJsonValue>([
            ['text', e.text],
            ['probability', e.probability],
            ['start_logit', e.startLogit],
            ['end_logit', e.endLogit],
          ]),
      ),
    );
  const dump = (v: PyJsonValue) => pyJsonDumps(v, 4) + '\n';
  return {
    predictions: dump(p.predictions),
    nbest: dump(nbest),
    nullOdds: p.scoresDiff === null ? null : dump(p.scoresDiff),
  };
}
