// The official SQuAD evaluation scripts (evaluate-v1.1.py, evaluate-v2.0.py), restated: the
// answer normalisation (lower case, drop ASCII punctuation, drop the words a/an/the, collapse
// whitespace), exact match and token F1 with the maximum over the gold answers; v1.1 prints
// {"exact_match", "f1"} (percentages over every question), v2.0 {"exact", "f1", "total",
// HasAns_*, NoAns_*} and, with a no-answer probability file, best_exact/best_f1 and their
// thresholds. Sums run in the scripts' order (Python 3.11's sum() adds left to right).
import { PyInt, pyJsonDumps, type PyJsonValue } from '../../util/py_json.js';
import { pySplit } from '../../util/unicode.js';
import { pyLower } from '../../util/unicode.js';
import { UsageError } from '../../util/errors.js';
import type { SquadFile } from './squad_json.js';

const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');
// Python's \b with Unicode str patterns: a word character is a letter, a digit or "_".
const ARTICLES = /(?<![\p{L}\p{N}_])(a|an|the)(?![\p{L}\p{N}_])/gu;

/** normalize_answer. */
export function normalizeAnswer(s: string): string {
  let t = '';
  for (const c of pyLower(s)) if (!PUNCTUATION.has(c)) t += c;
  return pySplit(t.replace(ARTICLES, ' ')).join(' ');
}

function commonCount(a: readonly string[], b: readonly string[]): number {
  const counts = new Map<string, number>();
  for (const t of a) counts.set(t, (counts.get(t) ?? 0) + 1);
  let same = 0;
  for (const t of b) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      same++;
      counts.set(t, c - 1);
    }
  }
  return same;
}

function f1FromTokens(pred: readonly string[], gold: readonly string[]): number {
  const numSame = commonCount(pred, gold);
  if (numSame === 0) return 0;
  const precision = (1.0 * numSame) / pred.length;
  const recall = (1.0 * numSame) / gold.length;
  return (2 * precision * recall) / (precision + recall);
}

/** v1.1 f1_score(prediction, ground_truth). */
export function f1ScoreV1(prediction: string, groundTruth: string): number {
  return f1FromTokens(pySplit(normalizeAnswer(prediction)), pySplit(normalizeAnswer(groundTruth)));
}

/** v2.0 compute_f1(a_gold, a_pred): an empty side scores 1 only when both are empty. */
export function computeF1V2(gold: string, pred: string): number {
  const g = gold === '' ? [] : pySplit(normalizeAnswer(gold));
  const p = pred === '' ? [] : pySplit(normalizeAnswer(pred));
  if (g.length === 0 || p.length === 0) return g.length === p.length && g.every((t, i) => t === p[i]) ? 1 : 0;
  return f1FromTokens(p, g);
}

function questions(data: SquadFile) {
  return data.articles.flatMap((paragraphs) => paragraphs.flatMap((p) => p.qas));
}

/**
 * evaluate-v1.1.py's evaluate(): {exact_match, f1}; a question without a prediction scores 0
 * (reported through `warn`, as the script prints to stderr).
 */
export function evaluateV1(data: SquadFile, predictions: ReadonlyMap<string, string>, warn: (line: string) => void) {
  let exactMatch = 0;
  let f1 = 0;
  let total = 0;
  for (const qa of questions(data)) {
    total += 1;
    const prediction = predictions.get(qa.id);
    if (prediction === undefined) {
      warn(`Unanswered question ${qa.id} will receive score 0.`);
      continue;
    }
    const golds = qa.answers.map((a) => a.text);
    if (golds.length === 0) throw new UsageError(`${data.path}: question ${qa.id}: no answers to score against`, 'a SQuAD 2.0 file needs --version_2_with_negative');
    exactMatch += Math.max(...golds.map((g) => (normalizeAnswer(prediction) === normalizeAnswer(g) ? 1 : 0)));
    f1 += Math.max(...golds.map((g) => f1ScoreV1(prediction, g)));
  }
  return { exact_match: (100.0 * exactMatch) / total, f1: (100.0 * f1) / total };
}

/** json.dumps(evaluate(...)): what evaluate-v1.1.py prints. */
export function formatV1(r: { exact_match: number; f1: number }): string {
  return pyJsonDumps(new Map([['exact_match', r.exact_match], ['f1', r.f1]]));
}

/** A no-answer probability as read from JSON; `int` when the file wrote it without a point. */
export interface NaProb {
  readonly value: number;
  readonly int: boolean;
}

export interface EvaluateV2Options {
  /** na_prob.json's values, or null: then every prediction counts as 0.0. */
  readonly naProbs: ReadonlyMap<string, NaProb> | null;
  readonly naProbThresh: number;
  /** Where the script's "Missing prediction for …" lines go (it prints them to stdout). */
  readonly warn: (line: string) => void;
}

function rawScoresV2(data: SquadFile, preds: ReadonlyMap<string, string>, warn: (l: string) => void) {
  const exact = new Map<string, number>();
  const f1 = new Map<string, number>();
  for (const qa of questions(data)) {
    let golds = qa.answers.map((a) => a.text).filter((t) => normalizeAnswer(t) !== '');
    if (golds.length === 0) golds = [''];
    const pred = preds.get(qa.id);
    if (pred === undefined) {
      warn(`Missing prediction for ${qa.id}`);
      continue;
    }
    exact.set(qa.id, Math.max(...golds.map((g) => (normalizeAnswer(g) === normalizeAnswer(pred) ? 1 : 0))));
    f1.set(qa.id, Math.max(...golds.map((g) => computeF1V2(g, pred))));
  }
  return { exact, f1 };
}

function naProbOf(naProbs: ReadonlyMap<string, NaProb> | null, qid: string): NaProb {
  if (naProbs === null) return { value: 0, int: false };
  const p = naProbs.get(qid);
  if (p === undefined) throw new UsageError(`no no-answer probability for question ${qid}`);
  return p;
}

function sumOver(scores: ReadonlyMap<string, number>, qids: Iterable<string>): number {
  let s = 0;
  for (const q of qids) {
    const v = scores.get(q);
    if (v === undefined) throw new UsageError(`no prediction for question ${q}`, 'evaluate-v2.0.py fails here with a KeyError');
    s += v;
  }
  return s;
}

function evalDict(exact: ReadonlyMap<string, number>, f1: ReadonlyMap<string, number>, qids: readonly string[] | null) {
  const list = qids ?? [...exact.keys()];
  const total = list.length;
  return { exact: (100.0 * sumOver(exact, list)) / total, f1: (100.0 * sumOver(f1, list)) / total, total };
}

function bestThresh(preds: ReadonlyMap<string, string>, scores: ReadonlyMap<string, number>, naProbs: ReadonlyMap<string, NaProb>, hasAns: ReadonlyMap<string, boolean>) {
  let cur = [...hasAns.values()].filter((h) => !h).length;
  let best = cur;
  let thresh: NaProb = { value: 0.0, int: false };
  const order = [...naProbs.keys()].sort((a, b) => naProbs.get(a)!.value - naProbs.get(b)!.value);
  for (const qid of order) {
    const s = scores.get(qid);
    if (s === undefined) continue;
    cur += hasAns.get(qid) ? s : preds.get(qid) ? -1 : 0;
    if (cur > best) [best, thresh] = [cur, naProbs.get(qid)!];
  }
  return { best: (100.0 * best) / scores.size, thresh };
}

/** evaluate-v2.0.py's out_eval, in its key order (Python ints as PyInt). */
export function evaluateV2(data: SquadFile, preds: ReadonlyMap<string, string>, o: EvaluateV2Options): Map<string, PyJsonValue> {
  const hasAns = new Map<string, boolean>();
  for (const qa of questions(data)) hasAns.set(qa.id, qa.answers.length > 0);
  const raw = rawScoresV2(data, preds, o.warn);
  const threshold = (scores: Map<string, number>) =>
    new Map([...scores].map(([qid, s]) => [qid, naProbOf(o.naProbs, qid).value > o.naProbThresh ? (hasAns.get(qid) ? 0.0 : 1.0) : s]));
  const [exact, f1] = [threshold(raw.exact), threshold(raw.f1)];
  const out = new Map<string, PyJsonValue>();
  const put = (prefix: string, d: { exact: number; f1: number; total: number }) => {
    out.set(`${prefix}exact`, d.exact);
    out.set(`${prefix}f1`, d.f1);
    out.set(`${prefix}total`, new PyInt(d.total));
  };
  put('', evalDict(exact, f1, null));
  const has = [...hasAns].filter(([, h]) => h).map(([q]) => q);
  const no = [...hasAns].filter(([, h]) => !h).map(([q]) => q);
  if (has.length > 0) put('HasAns_', evalDict(exact, f1, has));
  if (no.length > 0) put('NoAns_', evalDict(exact, f1, no));
  if (o.naProbs !== null) {
    for (const [name, scores] of [['exact', raw.exact], ['f1', raw.f1]] as const) {
      const b = bestThresh(preds, scores, o.naProbs, hasAns);
      out.set(`best_${name}`, b.best);
      out.set(`best_${name}_thresh`, b.thresh.int ? new PyInt(b.thresh.value) : b.thresh.value);
    }
  }
  return out;
}

/** print(json.dumps(out_eval, indent=2)): what evaluate-v2.0.py prints. */
export function formatV2(out: Map<string, PyJsonValue>): string {
  return pyJsonDumps(out, 2);
}
