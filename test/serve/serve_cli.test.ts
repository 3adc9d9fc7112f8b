// `bert serve` end to end: the built CLI as a child process on 127.0.0.1 (a free port), serving a
// short run_classifier output made here from the shipped Brown BERT-Tiny. Its answers are checked
// against the library (Classifier.predict, Encoder.embed, Tokenizer.encode) loaded in this
// process; the same instance alone and inside mixed batches must agree to 1e-6; bad requests get
// a 4xx and leave the server answering; a short load test with malformed requests mixed in checks
// every answer; SIGTERM during a request lets it finish and exits 0; a client that disconnects
// has its queued instances dropped.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Classifier } from '../../src/api/classifier.js';
import { Encoder } from '../../src/api/encoder.js';
import { pretrainedModelPath } from '../../src/api/assets.js';
import { Tokenizer } from '../../src/api/tokenizer.js';
import { startServe, metricValue, type ServeProcess } from '../../bench/serve_process.js';
import { loadTest, type Expected, type Pair } from '../../bench/serve_load.js';
import { mrpcDevPairs, shortMrpcRun, shortRun } from '../../bench/serve_fixture.js';
import { REPO, SHARED } from '../shared.js';

const TOL = 1e-6;
const PAIRS = mrpcDevPairs(24);
let MODEL = '';
let server: ServeProcess;
let clf: Classifier;
let expected: Expected[];

const toPair = (p: Pair) => ({ textA: p.text_a, textB: p.text_b });

async function post(url: string, body: unknown, signal?: AbortSignal) {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal,
  });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

async function metrics(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}

function expectPredictions(got: unknown, want: readonly Expected[]): void {
  const g = got as Expected[];
  expect(g).toHaveLength(want.length);
  g.forEach((p, i) => {
    expect(p.label).toBe(want[i]!.label);
    for (const [label, q] of Object.entries(want[i]!.probabilities))
      expect(Math.abs(p.probabilities[label]! - q)).toBeLessThanOrEqual(TOL);
  });
}

beforeAll(async () => {
  MODEL = await shortMrpcRun(64, 2);
  clf = await Classifier.load(MODEL, { numThreads: 1 });
  expected = [];
  for (const p of PAIRS) expected.push((await clf.predict([toPair(p)]))[0]!);
  server = await startServe([
    `--model_dir=${MODEL}`,
    '--num_threads=2',
    '--max_batch_size=16',
    '--max_instances=32',
    '--max_body_bytes=65536',
  ]);
});

afterAll(async () => {
  await server?.stop();
  await clf?.dispose();
});

describe('bert serve (a short run_classifier output)', () => {
  it('POST /v1/classify answers what Classifier.predict gives each pair alone (1e-6)', async () => {
    const r = await post(`${server.url}/v1/classify`, { instances: PAIRS.slice(0, 8) });
    expect(r.status).toBe(200);
    expectPredictions(r.json.predictions, expected.slice(0, 8));
  });

  it('an instance alone and inside mixed concurrent batches: the same probabilities (1e-6)', async () => {
    const before = metricValue(await metrics(server.url), 'bert_batch_size_count');
    // 12 requests at once, of 1-3 pairs each with overlapping pairs of different lengths.
    const reqs = Array.from({ length: 12 }, (_, i) =>
      Array.from({ length: 1 + (i % 3) }, (_, j) => (i * 5 + j * 7) % PAIRS.length),
    );
    const answers = await Promise.all(
      reqs.map((idx) => post(`${server.url}/v1/classify`, { instances: idx.map((i) => PAIRS[i]) })),
    );
    answers.forEach((r, k) => {
      expect(r.status).toBe(200);
      expectPredictions(
        r.json.predictions,
        reqs[k]!.map((i) => expected[i]!),
      );
    });
    const page = await metrics(server.url);
    const batches = metricValue(page, 'bert_batch_size_count') - before;
    expect(batches).toBeLessThan(reqs.length); // requests were batched together
  });

  it('POST /v1/embed and /v1/tokenize answer what Encoder.embed and Tokenizer.encode give', async () => {
    const texts = PAIRS.slice(0, 3).map((p) => p.text_a);
    const enc = await Encoder.load(MODEL, { numThreads: 1 });
    try {
      for (const pooling of ['cls', 'mean', 'pooled'] as const) {
        const want = await enc.embed(texts, { pooling });
        const r = await post(`${server.url}/v1/embed`, {
          instances: texts.map((text) => ({ text })),
          pooling,
        });
        const got = r.json.embeddings as number[][];
        got.forEach((v, i) =>
          v.forEach((x, j) => expect(Math.abs(x - want[i]![j]!)).toBeLessThanOrEqual(TOL)),
        );
      }
    } finally {
      await enc.dispose();
    }
    const tok = await Tokenizer.load(MODEL);
    const e = tok.encode(PAIRS[0]!.text_a, PAIRS[0]!.text_b);
    const r = await post(`${server.url}/v1/tokenize`, { instances: [PAIRS[0]] });
    expect(r.json.results).toEqual([
      {
        tokens: e.tokens,
        input_ids: e.inputIds,
        input_mask: e.inputMask,
        segment_ids: e.segmentIds,
      },
    ]);
  });

  it("TF Serving's routes: :predict gives the probabilities in label order, GET the status", async () => {
    const r = await post(`${server.url}/v1/models/bert:predict`, {
      instances: [PAIRS[0], PAIRS[1]!.text_a],
    });
    expect(r.status).toBe(200);
    const alone = (await clf.predict([{ textA: PAIRS[1]!.text_a }]))[0]!;
    const want = [expected[0]!, alone];
    (r.json.predictions as { label: string; probabilities: number[] }[]).forEach((p, i) => {
      expect(p.label).toBe(want[i]!.label);
      clf.labels.forEach((l, c) =>
        expect(Math.abs(p.probabilities[c]! - want[i]!.probabilities[l]!)).toBeLessThanOrEqual(TOL),
      );
    });
    const s = await fetch(`${server.url}/v1/models/bert`);
    expect(
      ((await s.json()) as { model_version_status: { state: string }[] }).model_version_status[0]!
        .state,
    ).toBe('AVAILABLE');
  });

  it('/healthz is 200 and /metrics counts requests by route and code', async () => {
    const h = await fetch(`${server.url}/healthz`);
    expect([h.status, await h.json()]).toEqual([200, { status: 'ok', model: 'bert' }]);
    const page = await metrics(server.url);
    expect(
      metricValue(page, 'bert_http_requests_total{method="POST",route="/v1/classify",code="200"}'),
    ).toBeGreaterThanOrEqual(13);
    expect(metricValue(page, 'bert_queue_depth')).toBe(0);
  });

  it('bad requests get a 4xx {"error"} and the server answers the next one', async () => {
    const url = `${server.url}/v1/classify`;
    const bad: [unknown, number][] = [
      ['{"instances": [', 400],
      [{ instances: [{ text_a: 1 }] }, 400],
      [{ instances: Array(33).fill({ text_a: 'x' }) }, 400],
      [{ instances: [{ text_a: 'x'.repeat(70_000) }] }, 413],
    ];
    for (const [body, code] of bad) {
      const r = await post(url, body);
      expect(r.status).toBe(code);
      expect(typeof r.json.error).toBe('string');
      const ok = await post(url, { instances: [PAIRS[2]] });
      expectPredictions(ok.json.predictions, [expected[2]!]);
    }
    // A huge text is truncated to max_seq_length as run_classifier does, not refused.
    const long = { text_a: `${PAIRS[3]!.text_a} `.repeat(200) };
    const r = await post(url, { instances: [long] });
    expectPredictions(r.json.predictions, await clf.predict([toPair(long)]));
  });

  it('a short load test (8 connections, ≤ 400 requests, 5 % malformed): every answer right', async () => {
    const report = await loadTest({
      url: server.url,
      connections: 8,
      durationSec: 4,
      maxRequests: 400,
      malformedRate: 0.05,
      maxInstancesPerRequest: 8,
      serverMaxInstances: 32,
      pairs: PAIRS,
      expected,
      tolerance: TOL,
      seed: 7,
      warmupSec: 0,
    });
    expect(report.mismatches).toEqual([]);
    expect(report.errors + report.timeouts).toBe(0);
    expect(report.valid.ok).toBe(report.valid.sent);
    expect(report.malformed.rejected4xx).toBe(report.malformed.sent);
    expect(report.requests).toBeGreaterThan(20);
  });
});

describe('bert serve shutdown and disconnects (a 1.5 s batch timeout holds requests queued)', () => {
  let slow: ServeProcess;
  beforeAll(async () => {
    slow = await startServe([`--model_dir=${MODEL}`, '--num_threads=1', '--batch_timeout_ms=1500']);
  });
  afterAll(async () => slow?.stop('SIGKILL'));

  async function waitForMetric(sample: string, ok: (v: number) => boolean): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if (ok(metricValue(await metrics(slow.url), sample))) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`${sample} never reached the expected value`);
  }

  it('a client that disconnects while queued: its instances are dropped unrun', async () => {
    const ac = new AbortController();
    const sent = post(`${slow.url}/v1/classify`, { instances: PAIRS.slice(0, 3) }, ac.signal);
    await waitForMetric('bert_queue_depth', (v) => v === 3);
    ac.abort();
    await expect(sent).rejects.toThrow();
    await waitForMetric('bert_dropped_instances_total', (v) => v === 3);
    expect(metricValue(await metrics(slow.url), 'bert_queue_depth')).toBe(0);
  });

  it('SIGTERM during a request: the request is answered, then exit 0', async () => {
    const answer = post(`${slow.url}/v1/classify`, { instances: PAIRS.slice(0, 2) });
    await waitForMetric('bert_queue_depth', (v) => v === 2);
    const code = slow.stop('SIGTERM');
    const r = await answer;
    expect(r.status).toBe(200);
    expectPredictions(r.json.predictions, expected.slice(0, 2));
    expect(await code).toBe(0);
    await expect(fetch(`${slow.url}/healthz`)).rejects.toThrow();
    expect(slow.logs.some((l) => String(l.msg).includes('SIGTERM'))).toBe(true);
  });
});

describe('bert serve on a bare encoder (the shipped Brown BERT-Tiny)', () => {
  it('serves embeddings (Encoder.embed, 1e-6); classification is a 400 that says why', async () => {
    const dir = pretrainedModelPath('uncased_L-2_H-128_A-2_brown');
    const enc = await Encoder.load(dir, { numThreads: 1 });
    const bare = await startServe([`--model_dir=${dir}`, '--num_threads=1', '--model_name=tiny']);
    try {
      const texts = ['The cat sat.', 'Stocks fell.'];
      const want = await enc.embed(texts, { pooling: 'pooled' });
      const r = await post(`${bare.url}/v1/models/tiny:predict`, { instances: texts });
      const got = r.json.predictions as { pooled_output: number[] }[];
      got.forEach((p, i) =>
        p.pooled_output.forEach((x, j) =>
          expect(Math.abs(x - want[i]![j]!)).toBeLessThanOrEqual(TOL),
        ),
      );
      const c = await post(`${bare.url}/v1/classify`, { instances: [{ text_a: 'x' }] });
      expect(c.status).toBe(400);
      expect(c.json.error).toMatch(/^model 'tiny' is a bare encoder/);
      expect(bare.logs.find((l) => 'model_name' in l)?.labels).toBeNull();
      expect(await bare.stop('SIGINT')).toBe(0);
    } finally {
      await bare.stop('SIGKILL');
      await enc.dispose();
    }
  });
});

describe('bert serve on a regression model (a short STS-B run)', () => {
  it('classify answers Classifier.predict (score, 1e-6); :predict answers {score}', async () => {
    const dir = await shortRun('STS-B', join(SHARED, 'glue/STS-B/train.tsv'), 16, 1);
    const reg = await Classifier.load(dir, { numThreads: 1 });
    const sts = await startServe([`--model_dir=${dir}`, '--num_threads=1']);
    try {
      const want = await reg.predict([toPair(PAIRS[0]!)]);
      expect(want[0]!.score).toEqual(expect.any(Number));
      const r = await post(`${sts.url}/v1/classify`, { instances: [PAIRS[0]] });
      const got = (r.json.predictions as Expected[])[0]!;
      expect(got.probabilities).toEqual({});
      expect(Math.abs(got.score! - want[0]!.score!)).toBeLessThanOrEqual(TOL);
      const tf = await post(`${sts.url}/v1/models/bert:predict`, { instances: [PAIRS[0]] });
      const row = (tf.json.predictions as { score: number }[])[0]!;
      expect(Math.abs(row.score - want[0]!.score!)).toBeLessThanOrEqual(TOL);
      expect(String(sts.logs.find((l) => 'model_name' in l)?.msg)).toContain('a regression head');
    } finally {
      await sts.stop();
      await reg.dispose();
    }
  });
});

describe('bert serve refuses bad flags before listening', () => {
  const bert = (...args: string[]) =>
    spawnSync(process.execPath, [join(REPO, 'dist/src/cli/run.js'), 'serve', ...args], {
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('a folder that is not a model: a message naming it and what is missing, exit 2', () => {
    const empty = mkdtempSync(join(tmpdir(), 'bert-serve-empty-'));
    const r = bert(`--model_dir=${empty}`, '--port=0');
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(
      `bert: ${empty}: not a model folder: no bert_config.json, no vocab.txt, no weights ` +
        "(a 'checkpoint' file, bert_model.ckpt.index or model.safetensors)",
    );
    expect(r.stdout).toBe('');
  });

  it('--max_batch_size=0: a usage error, exit 2', () => {
    const r = bert(`--model_dir=${REPO}`, '--max_batch_size=0');
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('bert: --max_batch_size=0: must be at least 1');
  });
});
