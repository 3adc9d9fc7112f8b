// `npm run bench` (= node dist/bench/run.js): runs the benchmark modules listed in BENCHES and
// prints their results, or with --json one JSON object { machine, benches: { name: result } }.
// Benchmarks are not tests: they time, they do not check. To add one, write bench/<name>.bench.ts
// exporting a `Bench` (bench/bench.ts) and list it in BENCHES.
//   node dist/bench/run.js [--json] [--only=kernels,step] [--backend=wasm,native] [--threads=1,2]
//                          [--reps=7] [--base] [--torch]
// --backend defaults to both kernel sets where the native one loads, else wasm.
import '../src/host/node.js'; // first: the core runs on the Node host
import { cpus } from 'node:os';
import { inferenceBench } from './inference.bench.js';
import { kernelsBench } from './kernels.bench.js';
import { predictBench } from './predict.bench.js';
import { stepBench, stepRows } from './step.bench.js';
import { printRows, type Bench, type BenchOptions } from './bench.js';
import { nativeAvailable } from '../src/engine/index.js';

/** The whole-step bench (bench/step.bench.ts) at the largest thread count asked for. */
const stepEntry: Bench = {
  name: 'step',
  async run(o) {
    const threads = Math.max(...o.threads);
    const r = await stepBench({ ...o, passes: o.reps, threads });
    return { json: r, print: () => printRows(stepRows(r)) };
  },
};

const BENCHES: Bench[] = [kernelsBench, stepEntry, inferenceBench, predictBench];

type RunOptions = BenchOptions & { json: boolean; only: string[] | null };

function parseArgs(argv: string[]): RunOptions {
  const o: RunOptions = {
    json: false,
    only: null,
    backends: nativeAvailable() ? ['wasm', 'native'] : ['wasm'],
    threads: [1, 2],
    reps: 7,
    base: false,
    torch: false,
  };
  for (const arg of argv) {
    const [key, value = ''] = arg.replace(/^--/, '').split('=');
    if (key === 'json' || key === 'base' || key === 'torch') o[key] = true;
    else if (key === 'only') o.only = value.split(',');
    else if (key === 'threads') o.threads = value.split(',').map(Number);
    else if (key === 'backend') o.backends = value.split(',') as BenchOptions['backends'];
    else if (key === 'reps') o.reps = Number(value);
    else
      throw new Error(
        `bench: unknown argument ${arg} (--json --only= --backend= --threads= --reps= --base --torch)`,
      );
  }
  return o;
}

function machine(): Record<string, string | number> {
  return { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, node: process.version };
}

const opts = parseArgs(process.argv.slice(2));
const results: Record<string, unknown> = {};
if (!opts.json) console.log(`# ${JSON.stringify(machine())}, medians of ${opts.reps} runs`);
for (const bench of BENCHES) {
  if (opts.only !== null && !opts.only.includes(bench.name)) continue;
  const result = await bench.run(opts);
  results[bench.name] = result.json;
  if (opts.json) continue;
  console.log(`\n## ${bench.name}`);
  result.print();
}
if (opts.json) console.log(JSON.stringify({ machine: machine(), benches: results }));
