// The two result files run_classifier.py writes in output_dir, byte for byte:
//   eval_results.txt  — `key = value` per metric, keys sorted, values as str() of numpy float32
//                       or int64 (e.g. `eval_accuracy = 0.6838235`, `global_step = 343`);
//   test_results.tsv  — one line per test example, class probabilities joined by tabs, each as
//                       str() of a numpy float32, no header.
// Both are written atomically (temporary name + rename).
import { writeFileAtomicSync } from '../util/fs.js';
import { check } from '../util/errors.js';
import { npFloat32Str } from '../util/py_format.js';

/** A metric value with the numpy type that decides how Python prints it. */
export type MetricValue = { readonly float32: number } | { readonly int64: number };

export type EvalResults = Record<string, MetricValue>;

function metricStr(v: MetricValue): string {
  return 'float32' in v ? npFloat32Str(v.float32) : String(Math.trunc(v.int64));
}

/** The lines of eval_results.txt (and of the `***** Eval results *****` log), sorted by key. */
export function evalResultLines(results: EvalResults): string[] {
  return Object.keys(results)
    .sort()
    .map((k) => `${k} = ${metricStr(results[k]!)}`);
}

export function writeEvalResults(path: string, results: EvalResults): void {
  writeFileAtomicSync(path, evalResultLines(results).join('\n') + '\n');
}

/** test_results.tsv from probabilities(R, N): one line per example. */
export function testResultsText(probabilities: ArrayLike<number>, rows: number, n: number): string {
  check(probabilities.length >= rows * n, () => `internal: ${probabilities.length} < ${rows}·${n}`);
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < n; c++) cells.push(npFloat32Str(probabilities[r * n + c]!));
    lines.push(cells.join('\t') + '\n');
  }
  return lines.join('');
}

export function writeTestResults(
  path: string,
  probabilities: ArrayLike<number>,
  rows: number,
  n: number,
): void {
  writeFileAtomicSync(path, testResultsText(probabilities, rows, n));
}
