// What a benchmark module gives bench/run.ts, and the timing helper they share.

export interface BenchOptions {
  /** Thread counts to run at (kernel sets are created per count). */
  threads: number[];
  /** Timed runs per measurement; each reports their median. */
  reps: number;
  /** Include the slow measurements (BERT-Base-sized steps). */
  base: boolean;
  /** Compare with PyTorch when /usr/bin/python3 has torch. */
  torch: boolean;
}

/** One timed line of a table. */
export interface BenchRow {
  what: string;
  threads: number;
  /** Median milliseconds of one call. */
  ms: number;
  /** Floating-point operations per second / 1e9, where the row counts them. */
  gflops?: number;
}

/** What a benchmark measured: `json` goes into --json output as is, print() shows it to a reader. */
export interface BenchResult {
  json: unknown;
  print(): void;
}

export interface Bench {
  name: string;
  run(opts: BenchOptions): Promise<BenchResult>;
}

/**
 * Median ms of one call of `fn` over `reps` timed runs, after two warm-up calls; each run repeats
 * the call enough times to last ≥ 20 ms, so short kernels are not timed at the clock's resolution.
 */
export function timeMedian(fn: () => void, reps: number): number {
  fn();
  fn();
  let inner = 1;
  for (const t = time(fn, 1); t * inner < 20 && inner < 1 << 16;) inner *= 2;
  const runs: number[] = [];
  for (let r = 0; r < reps; r++) runs.push(time(fn, inner) / inner);
  runs.sort((a, b) => a - b);
  return runs[Math.floor(runs.length / 2)]!;
}

function time(fn: () => void, n: number): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  return performance.now() - t0;
}

/** Prints rows as an aligned table. */
export function printRows(rows: BenchRow[]): void {
  for (const r of rows) {
    const rate = r.gflops !== undefined ? `${r.gflops.toFixed(1).padStart(6)} GFLOP/s` : '';
    console.log(`${r.what.padEnd(60)} x${r.threads} ${r.ms.toFixed(3).padStart(9)} ms ${rate}`);
  }
}
