// Evaluation metrics. run_classifier.py's metric_fn reports tf.metrics.accuracy and
// tf.metrics.mean of the per-example loss; the GLUE metrics beside them follow the GLUE
// benchmark's definitions (scikit-learn / scipy): F1 of class 1 for MRPC and QQP, Matthews
// correlation for CoLA, Pearson and Spearman (ties get their average rank) for STS-B.
// Every function takes plain arrays of equal length; an empty input gives 0, as sklearn does
// for its zero-division cases.
import { check } from '../util/errors.js';

type Nums = ArrayLike<number>;

function sameLength(a: Nums, b: Nums, what: string): void {
  check(a.length === b.length, () => `internal: ${what}: ${a.length} vs ${b.length} values`);
}

/** Fraction of predictions equal to their label. */
export function accuracy(predictions: Nums, labels: Nums): number {
  sameLength(predictions, labels, 'accuracy');
  let right = 0;
  for (let i = 0; i < labels.length; i++) if (predictions[i] === labels[i]) right++;
  return labels.length === 0 ? 0 : right / labels.length;
}

/** Mean of the values (tf.metrics.mean with unit weights). */
export function mean(values: Nums): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return values.length === 0 ? 0 : s / values.length;
}

/** True/false positives/negatives with class 1 as the positive class. */
export function confusion(predictions: Nums, labels: Nums) {
  sameLength(predictions, labels, 'confusion');
  let tp = 0,
    fp = 0,
    tn = 0,
    fn = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = predictions[i] === 1;
    const l = labels[i] === 1;
    if (p && l) tp++;
    else if (p) fp++;
    else if (l) fn++;
    else tn++;
  }
  return { tp, fp, tn, fn };
}

/** sklearn f1_score(labels, predictions) for binary labels: 2·tp / (2·tp + fp + fn). */
export function f1(predictions: Nums, labels: Nums): number {
  const { tp, fp, fn } = confusion(predictions, labels);
  const d = 2 * tp + fp + fn;
  return d === 0 ? 0 : (2 * tp) / d;
}

/** sklearn matthews_corrcoef for binary labels; 0 when any marginal is empty. */
export function matthewsCorrelation(predictions: Nums, labels: Nums): number {
  const { tp, fp, tn, fn } = confusion(predictions, labels);
  const d = Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
  return d === 0 ? 0 : (tp * tn - fp * fn) / d;
}

/** scipy.stats.pearsonr's r; 0 when either side is constant. */
export function pearson(x: Nums, y: Nums): number {
  sameLength(x, y, 'pearson');
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0,
    sxx = 0,
    syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  const d = Math.sqrt(sxx * syy);
  return d === 0 ? 0 : sxy / d;
}

/** 1-based ranks; tied values all get the average of the ranks they span (scipy rankdata). */
export function averageRanks(x: Nums): Float64Array {
  const order = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a]! - x[b]!);
  const ranks = new Float64Array(x.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && x[order[j + 1]!] === x[order[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) ranks[order[t]!] = rank;
    i = j + 1;
  }
  return ranks;
}

/** scipy.stats.spearmanr's rho: Pearson of the average ranks. */
export function spearman(x: Nums, y: Nums): number {
  sameLength(x, y, 'spearman');
  return pearson(averageRanks(x), averageRanks(y));
}

/** Index of the largest value in each row of a (rows, n) matrix (ties: the first, as argmax). */
export function argmaxRows(values: Nums, rows: number, n: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < n; c++) if (values[r * n + c]! > values[r * n + best]!) best = c;
    out[r] = best;
  }
  return out;
}
