// What a benchmark module gives bench/run.ts, and the timing helper they share.

export interface BenchOptions {
  /** Kernel sets to run ('wasm', 'native'); each gets its own rows and ratios. */
  backends: ('wasm' | 'native')[];
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
  /** The kernel set's name ('native-avx512 x2', 'wasm-relaxed-simd x2', ...). */
  set?: string;
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

/** Calls per timed run so that a run lasts ≥ 20 ms, from the time of one call. */
function callsPerRun(oneCallMs: number): number {
  let inner = 1;
  while (oneCallMs * inner < 20 && inner < 1 << 16) inner *= 2;
  return inner;
}

function median(runs: number[]): number {
  runs.sort((a, b) => a - b);
  return runs[Math.floor(runs.length / 2)]!;
}

/**
 * Median ms of one call of `fn` over `reps` timed runs, after two warm-up calls; each run repeats
 * the call enough times to last ≥ 20 ms, so short kernels are not timed at the clock's resolution.
 */
export function timeMedian(fn: () => void, reps: number): number {
  fn();
  fn();
  const inner = callsPerRun(time(fn, 1));
  const runs: number[] = [];
  for (let r = 0; r < reps; r++) runs.push(time(fn, inner) / inner);
  return median(runs);
}

/**
 * Median ms of one call of each of `fns` (sync or async), timed in turns — run r of every fn,
 * then run r + 1 — so that load from other processes falls on all of them alike; each run lasts
 * ≥ 20 ms as in timeMedian.
 */
export async function interleavedMedians(
  fns: readonly (() => unknown)[],
  reps: number,
): Promise<number[]> {
  const inner: number[] = [];
  for (const fn of fns) {
    await fn();
    await fn();
    inner.push(callsPerRun(await timeAsync(fn, 1)));
  }
  const runs: number[][] = fns.map(() => []);
  for (let r = 0; r < reps; r++)
    for (const [i, fn] of fns.entries())
      runs[i]!.push((await timeAsync(fn, inner[i]!)) / inner[i]!);
  return runs.map(median);
}

function time(fn: () => void, n: number): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fn();
  return performance.now() - t0;
}

async function timeAsync(fn: () => unknown, n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return performance.now() - t0;
}

/** Prints rows as an aligned table. */
export function printRows(rows: BenchRow[]): void {
  for (const r of rows) {
    const rate = r.gflops !== undefined ? `${r.gflops.toFixed(1).padStart(6)} GFLOP/s` : '';
    const who = (r.set ?? `x${r.threads}`).padEnd(22);
    console.log(`${r.what.padEnd(60)} ${who} ${r.ms.toFixed(3).padStart(9)} ms ${rate}`);
  }
}
