// `npm run loadtest` (= node dist/bench/loadtest.js): the load test of `bert serve` on 127.0.0.1,
// bounded in time and requests. Starts the server as a child process on a free port, sends
// `--connections` connections of POST /v1/classify with 1–8 instances for `--duration` seconds
// (at most `--max_requests`), `--malformed` of them malformed, checks every answer against
// Classifier.predict, and prints requests/s, p50/p99 latency, answers by status code, and the
// server's RSS at start (after a warm-up) and end. Exits 1 if any answer was wrong, a malformed
// request was not a 4xx, or RSS grew more than 10 %.
//   node dist/bench/loadtest.js [--model_dir=DIR] [--duration=60] [--connections=16]
//     [--max_requests=200000] [--num_threads=2] [--max_batch_size=32] [--malformed=0.05] [--json]
import '../src/host/node.js'; // first: the core runs on the Node host
import { cpus, loadavg } from 'node:os';
import { Classifier } from '../src/api/classifier.js';
import { loadTest, type Expected, type LoadReport } from './serve_load.js';
import { startServe } from './serve_process.js';
import { mrpcDevPairs, shortMrpcRun } from './serve_fixture.js';

const NUMBERS = {
  duration: 60,
  connections: 16,
  max_requests: 200_000,
  num_threads: 2,
  max_batch_size: 32,
  malformed: 0.05,
};
type Args = typeof NUMBERS & { model_dir: string | null; json: boolean };

function parseArgs(argv: string[]): Args {
  const a: Args = { ...NUMBERS, model_dir: null, json: false };
  for (const arg of argv) {
    const [key = '', value = ''] = arg.replace(/^--/, '').split('=');
    if (key === 'json') a.json = true;
    else if (key === 'model_dir') a.model_dir = value;
    else if (key in NUMBERS && Number.isFinite(Number(value)))
      a[key as keyof typeof NUMBERS] = Number(value);
    else
      throw new Error(
        `loadtest: bad argument ${arg} (--model_dir= --json ${Object.keys(NUMBERS)
          .map((k) => `--${k}=`)
          .join(' ')})`,
      );
  }
  return a;
}

const MB = (b: number) => (b / 2 ** 20).toFixed(1);

function print(a: Args, r: LoadReport, machine: Record<string, unknown>): void {
  const growth = r.rssEndBytes / r.rssStartBytes - 1;
  const lines = [
    `machine: ${JSON.stringify(machine)}`,
    `load: ${a.connections} connections, ${r.seconds.toFixed(1)} s, 1-8 instances per request, ${a.malformed * 100} % malformed`,
    `requests: ${r.requests} (${r.requestsPerSec.toFixed(1)}/s), instances: ${r.instances} (${(r.instances / r.seconds).toFixed(1)}/s)`,
    `latency: p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, max ${r.latencyMs.max} ms`,
    `status codes: ${JSON.stringify(r.byCode)}; socket errors ${r.errors}, timeouts ${r.timeouts}`,
    `valid: ${r.valid.ok}/${r.valid.sent} answered 200 equal to Classifier.predict; malformed: ${r.malformed.rejected4xx}/${r.malformed.sent} answered 4xx`,
    `server RSS: ${MB(r.rssStartBytes)} MiB at start, ${MB(r.rssEndBytes)} MiB at end (${(growth * 100).toFixed(1)} %)`,
    ...r.mismatches.map((m) => `WRONG: ${m}`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const modelDir = a.model_dir ?? (await shortMrpcRun(64, a.num_threads));
  const pairs = mrpcDevPairs(200);
  const clf = await Classifier.load(modelDir, { numThreads: a.num_threads });
  const expected: Expected[] = [];
  for (const p of pairs)
    expected.push((await clf.predict([{ textA: p.text_a, textB: p.text_b }]))[0]!);
  await clf.dispose();
  const maxInstances = 256;
  const server = await startServe([
    `--model_dir=${modelDir}`,
    `--num_threads=${a.num_threads}`,
    `--max_batch_size=${a.max_batch_size}`,
    `--max_instances=${maxInstances}`,
  ]);
  const machine = {
    cores: cpus().length,
    cpu: cpus()[0]?.model,
    node: process.version,
    loadavg_before: loadavg().map((x) => +x.toFixed(2)),
  };
  let report: LoadReport;
  try {
    report = await loadTest({
      url: server.url,
      connections: a.connections,
      durationSec: a.duration,
      maxRequests: a.max_requests,
      malformedRate: a.malformed,
      maxInstancesPerRequest: 8,
      serverMaxInstances: maxInstances,
      pairs,
      expected,
      tolerance: 1e-6,
      seed: 1,
      warmupSec: 5,
    });
  } finally {
    const code = await server.stop('SIGTERM');
    if (code !== 0) process.exitCode = 1;
  }
  const full = { ...machine, loadavg_after: loadavg().map((x) => +x.toFixed(2)) };
  if (a.json) process.stdout.write(JSON.stringify({ machine: full, ...report }) + '\n');
  else print(a, report, full);
  const flat = report.rssEndBytes <= 1.1 * report.rssStartBytes;
  if (report.mismatchCount > 0 || report.errors > 0 || !flat) process.exitCode = 1;
}

await main();
