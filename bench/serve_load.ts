// The load test of `bert serve` (autocannon, 127.0.0.1 only, bounded in time and request count):
// `connections` connections send POST /v1/classify with 1–8 instances drawn from a pool of text
// pairs, and a share of malformed requests (bad JSON, wrong types, missing or empty texts, too
// many instances, a wrong route or content type). Every answer is checked as it arrives: a valid
// request must get 200 with, for each instance, the label and probabilities (to `tolerance`) that
// Classifier.predict gave that pair alone; a malformed one must get a 4xx with {"error"}. The
// server's resident memory is read from its /metrics before (after a warm-up) and after.
import autocannon from 'autocannon';
import { metricValue } from './serve_process.js';

export interface Pair {
  readonly text_a: string;
  readonly text_b?: string;
}
export interface Expected {
  readonly label: string;
  readonly probabilities: Readonly<Record<string, number>>;
  readonly score?: number;
}

export interface LoadOptions {
  readonly url: string;
  readonly connections: number;
  readonly durationSec: number;
  /** Stop after this many requests even if durationSec has not passed. */
  readonly maxRequests: number;
  readonly malformedRate: number;
  readonly maxInstancesPerRequest: number;
  /** The server's --max_instances, to send one more. */
  readonly serverMaxInstances: number;
  readonly pairs: readonly Pair[];
  /** What each pair must get: Classifier.predict on it alone. */
  readonly expected: readonly Expected[];
  readonly tolerance: number;
  readonly seed: number;
  /** Seconds of unmeasured traffic first, so RSS at start is after JIT and buffer warm-up. */
  readonly warmupSec: number;
}

export interface LoadReport {
  readonly requests: number;
  readonly seconds: number;
  readonly requestsPerSec: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly byCode: Record<string, number>;
  /** Socket errors and timeouts (autocannon's `errors`, `timeouts`). */
  readonly errors: number;
  readonly timeouts: number;
  readonly valid: { readonly sent: number; readonly ok: number };
  readonly malformed: { readonly sent: number; readonly rejected4xx: number };
  readonly instances: number;
  /** The first few wrong answers, described. */
  readonly mismatches: string[];
  readonly mismatchCount: number;
  readonly rssStartBytes: number;
  readonly rssEndBytes: number;
}

/** mulberry32: a small seeded generator, so a run's request mix can be repeated. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Malformed {
  readonly path: string;
  readonly contentType: string;
  readonly body: string;
}

function malformedRequests(o: LoadOptions): Malformed[] {
  const json = (body: unknown, path = '/v1/classify') => ({
    path,
    contentType: 'application/json',
    body: JSON.stringify(body),
  });
  return [
    {
      path: '/v1/classify',
      contentType: 'application/json',
      body: '{"instances": [{"text_a": "x"',
    },
    json({ instances: [{ text_a: 42 }] }),
    json({ instances: [{ text_b: 'no text_a' }] }),
    json({ instances: [{ text_a: '' }] }),
    json({ instances: [] }),
    json({ instances: Array(o.serverMaxInstances + 1).fill({ text_a: 'x' }) }),
    json({ instances: [{ text_a: 'x' }] }, '/v1/clasify'),
    { path: '/v1/classify', contentType: 'text/plain', body: 'The cat sat.' },
  ];
}

interface Sent {
  readonly indices: number[] | null; // null: a malformed request
}

function checkPrediction(got: unknown, want: Expected, tol: number): string | null {
  const g = got as Expected | undefined;
  if (g?.label !== want.label) return `label ${String(g?.label)}, expected ${want.label}`;
  for (const [label, p] of Object.entries(want.probabilities)) {
    const q = g.probabilities[label];
    if (q === undefined || !(Math.abs(q - p) <= tol))
      return `probabilities[${label}] ${q}, expected ${p} (tolerance ${tol})`;
  }
  return null;
}

export async function serverRss(url: string): Promise<number> {
  const r = await fetch(`${url}/metrics`);
  return metricValue(await r.text(), 'process_resident_memory_bytes');
}

function runAutocannon(o: LoadOptions, seconds: number, tally: Tally): Promise<autocannon.Result> {
  const random = rng(o.seed + seconds);
  const bad = malformedRequests(o);
  const req: autocannon.Request = {
    method: 'POST',
    path: '/v1/classify',
    setupRequest: (r, context) => {
      const ctx = context as { sent?: Sent };
      if (random() < o.malformedRate) {
        const m = bad[Math.floor(random() * bad.length)]!;
        ctx.sent = { indices: null };
        return { ...r, path: m.path, body: m.body, headers: { 'content-type': m.contentType } };
      }
      const n = 1 + Math.floor(random() * o.maxInstancesPerRequest);
      const indices = Array.from({ length: n }, () => Math.floor(random() * o.pairs.length));
      ctx.sent = { indices };
      const body = JSON.stringify({ instances: indices.map((i) => o.pairs[i]) });
      return { ...r, path: '/v1/classify', body, headers: { 'content-type': 'application/json' } };
    },
    onResponse: (status, body, context) =>
      tally.record((context as { sent: Sent }).sent, status, body),
  };
  return autocannon({
    url: o.url,
    connections: o.connections,
    duration: seconds,
    maxOverallRequests: o.maxRequests,
    requests: [req],
  });
}

class Tally {
  valid = 0;
  ok = 0;
  malformed = 0;
  rejected = 0;
  instances = 0;
  mismatchCount = 0;
  readonly mismatches: string[] = [];

  constructor(private readonly o: LoadOptions) {}

  record(sent: Sent, status: number, body: string): void {
    if (sent.indices === null) {
      this.malformed++;
      if (status >= 400 && status < 500 && typeof parse(body)?.error === 'string') this.rejected++;
      else this.miss(`malformed request answered ${status}: ${body.slice(0, 200)}`);
      return;
    }
    this.valid++;
    this.instances += sent.indices.length;
    const predictions = (parse(body) as { predictions?: unknown[] } | null)?.predictions;
    if (status !== 200 || predictions?.length !== sent.indices.length)
      return this.miss(`valid request answered ${status}: ${body.slice(0, 200)}`);
    const wrong = sent.indices
      .map((pi, k) => checkPrediction(predictions[k], this.o.expected[pi]!, this.o.tolerance))
      .find((m) => m !== null);
    if (wrong === undefined) this.ok++;
    else this.miss(`instance pair ${JSON.stringify(sent.indices)}: ${wrong}`);
  }

  private miss(what: string): void {
    this.mismatchCount++;
    if (this.mismatches.length < 10) this.mismatches.push(what);
  }
}

function parse(body: string): Record<string, unknown> | null {
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    return null;
  }
}

export async function loadTest(o: LoadOptions): Promise<LoadReport> {
  if (o.warmupSec > 0) await runAutocannon(o, o.warmupSec, new Tally(o));
  const rssStartBytes = await serverRss(o.url);
  const tally = new Tally(o);
  const t0 = performance.now();
  const r = await runAutocannon(o, o.durationSec, tally);
  const seconds = (performance.now() - t0) / 1000;
  const rssEndBytes = await serverRss(o.url);
  const byCode: Record<string, number> = {};
  for (const [code, s] of Object.entries(r.statusCodeStats ?? {})) byCode[code] = s.count ?? 0;
  return {
    requests: tally.valid + tally.malformed,
    seconds,
    requestsPerSec: (tally.valid + tally.malformed) / seconds,
    latencyMs: { p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max },
    byCode,
    errors: r.errors,
    timeouts: r.timeouts,
    valid: { sent: tally.valid, ok: tally.ok },
    malformed: { sent: tally.malformed, rejected4xx: tally.rejected },
    instances: tally.instances,
    mismatches: tally.mismatches,
    mismatchCount: tally.mismatchCount,
    rssStartBytes,
    rssEndBytes,
  };
}
