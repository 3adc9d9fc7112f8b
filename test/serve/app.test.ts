// The HTTP layer of `bert serve` through fastify's inject (no socket), on a model with a
// closed-form answer (fake_model.ts): every route's answer, batching of concurrent requests,
// each kind of bad request with its status and message, /healthz before and after loading,
// and the Prometheus text of /metrics.
import { afterEach, describe, expect, it } from 'vitest';
import { createServeApp, type ServeApp, type ServeOptions } from '../../src/serve/app.js';
import { FakeModel, fakeEmbedding, fakePrediction } from './fake_model.js';

const OPTIONS: ServeOptions = {
  modelName: 'bert',
  maxBatchSize: 8,
  batchTimeoutMs: 5,
  maxInstances: 16,
  bodyLimit: 4096,
  maxQueue: 512,
  logger: false,
};

let app: ServeApp;
afterEach(async () => app?.close());

function serve(model: FakeModel | null = new FakeModel(), o: Partial<ServeOptions> = {}) {
  app = createServeApp({ ...OPTIONS, ...o });
  if (model !== null) app.setModel(model);
  return app;
}

function post(url: string, body: unknown) {
  return app.fastify.inject({ method: 'POST', url, payload: body as object });
}

const LABELS = ['0', '1'];
const pairs = [
  { text_a: 'The cat sat.', text_b: 'A cat was sitting.' },
  { text_a: 'Only one text here' },
];

describe('bert serve routes (fake model)', () => {
  it('POST /v1/classify: one prediction per instance, in order', async () => {
    serve();
    const r = await post('/v1/classify', { instances: pairs });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      predictions: [
        fakePrediction(LABELS, { textA: pairs[0]!.text_a, textB: pairs[0]!.text_b }),
        fakePrediction(LABELS, { textA: pairs[1]!.text_a }),
      ],
    });
  });

  it('concurrent requests are answered from shared model calls, each with its own results', async () => {
    const model = new FakeModel();
    serve(model);
    const bodies = Array.from({ length: 6 }, (_, i) => ({
      instances: Array.from({ length: 1 + (i % 3) }, (_, j) => ({ text_a: `req ${i} item ${j}` })),
    }));
    const answers = await Promise.all(bodies.map((b) => post('/v1/classify', b)));
    answers.forEach((r, i) => {
      const want = bodies[i]!.instances.map((p) => fakePrediction(LABELS, { textA: p.text_a }));
      expect(r.json()).toEqual({ predictions: want });
    });
    const sizes = model.predictCalls.map((c) => c.length);
    expect(sizes.reduce((a, b) => a + b)).toBe(12);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(8);
    expect(sizes.length).toBeLessThan(6);
  });

  it('POST /v1/embed: one vector per text, pooling cls by default', async () => {
    serve();
    const r = await post('/v1/embed', { instances: [{ text: 'hello' }, { text: 'world' }] });
    expect(r.json()).toEqual({
      pooling: 'cls',
      embeddings: [fakeEmbedding('hello', 'cls'), fakeEmbedding('world', 'cls')],
    });
    const m = await post('/v1/embed', { instances: [{ text: 'hello' }], pooling: 'mean' });
    expect(m.json().embeddings).toEqual([fakeEmbedding('hello', 'mean')]);
  });

  it('POST /v1/tokenize: tokens and ids per instance', async () => {
    serve();
    const r = await post('/v1/tokenize', { instances: [{ text_a: 'a bc', text_b: 'def' }] });
    expect(r.json()).toEqual({
      results: [
        {
          tokens: ['[CLS]', 'a', 'bc', '[SEP]', 'def', '[SEP]'],
          input_ids: [5, 1, 2, 5, 3, 5],
          input_mask: [1, 1, 1, 1, 1, 1],
          segment_ids: [0, 0, 0, 0, 0, 0],
        },
      ],
    });
  });

  it("TF Serving's POST /v1/models/<name>:predict: strings or pairs in, probabilities in label order", async () => {
    serve();
    const r = await post('/v1/models/bert:predict', {
      signature_name: 'serving_default',
      instances: ['just text', { text_a: 'x', text_b: 'y' }],
    });
    expect(r.statusCode).toBe(200);
    const want = [{ textA: 'just text' }, { textA: 'x', textB: 'y' }].map((p) => {
      const f = fakePrediction(LABELS, p);
      return { label: f.label, probabilities: LABELS.map((l) => f.probabilities[l]) };
    });
    expect(r.json()).toEqual({ predictions: want });
    const v = await post('/v1/models/bert/versions/1:predict', { instances: ['just text'] });
    expect(v.json()).toEqual({ predictions: [want[0]] });
  });

  it("TF Serving's GET /v1/models/<name>: AVAILABLE once loaded; another name is a 404", async () => {
    serve(null);
    const loading = await app.fastify.inject({ url: '/v1/models/bert' });
    expect(loading.json().model_version_status[0].state).toBe('LOADING');
    app.setModel(new FakeModel());
    const r = await app.fastify.inject({ url: '/v1/models/bert' });
    expect(r.json()).toEqual({
      model_version_status: [
        { version: '1', state: 'AVAILABLE', status: { error_code: 'OK', error_message: '' } },
      ],
    });
    const other = await app.fastify.inject({ url: '/v1/models/gpt' });
    expect(other.statusCode).toBe(404);
    expect(other.json().error).toBe("model 'gpt' not found; this server serves 'bert'");
    const verb = await post('/v1/models/bert:classify', { instances: ['x'] });
    expect(verb.statusCode).toBe(404);
  });

  it('a bare encoder serves embeddings; classify is a 400 that says why', async () => {
    serve(new FakeModel(null));
    const r = await post('/v1/classify', { instances: pairs });
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toMatch(/bare encoder .* serves \/v1\/embed/);
    const tf = await post('/v1/models/bert:predict', { instances: ['hello'] });
    expect(tf.json()).toEqual({
      predictions: [{ pooled_output: fakeEmbedding('hello', 'pooled') }],
    });
  });

  it('/healthz is 503 until the model is loaded, the model routes too', async () => {
    serve(null);
    const before = await app.fastify.inject({ url: '/healthz' });
    expect([before.statusCode, before.json()]).toEqual([503, { status: 'loading' }]);
    const c = await post('/v1/classify', { instances: pairs });
    expect([c.statusCode, c.json()]).toEqual([503, { error: 'the model is still loading' }]);
    app.setModel(new FakeModel());
    const after = await app.fastify.inject({ url: '/healthz' });
    expect([after.statusCode, after.json()]).toEqual([200, { status: 'ok', model: 'bert' }]);
  });
});

describe('bert serve bad requests (fake model)', () => {
  const json = { 'content-type': 'application/json' };
  const raw =
    (method: 'GET' | 'POST', url: string, headers = json, payload?: string) =>
    () =>
      app.fastify.inject({ method, url, headers, payload });
  const cases = [
    {
      name: 'malformed JSON',
      send: raw('POST', '/v1/classify', json, '{"instances": ['),
      code: 400,
      error: /JSON/,
    },
    {
      name: 'text, not JSON',
      send: raw('POST', '/v1/classify', { 'content-type': 'text/plain' }, 'hi'),
      code: 415,
      error: /^content-type 'text\/plain' is not supported; send application\/json$/,
    },
    {
      name: 'an unknown content type',
      send: raw('POST', '/v1/classify', { 'content-type': 'application/xml' }, '<a/>'),
      code: 415,
      error: /^content-type 'application\/xml' is not supported/,
    },
    {
      name: 'no instances',
      send: () => post('/v1/classify', {}),
      code: 400,
      error: /^body must have required property 'instances'$/,
    },
    {
      name: 'another field',
      send: () => post('/v1/classify', { texts: ['a'], instances: [{ text_a: 'x' }] }),
      code: 400,
      error: /^body has an unknown property 'texts'$/,
    },
    {
      name: 'instances not an array',
      send: () => post('/v1/classify', { instances: 'a' }),
      code: 400,
      error: /^body\/instances must be array$/,
    },
    {
      name: 'empty instances',
      send: () => post('/v1/classify', { instances: [] }),
      code: 400,
      error: /^body\/instances must NOT have fewer than 1 items$/,
    },
    {
      name: 'a number for a text',
      send: () => post('/v1/classify', { instances: [{ text_a: 7 }] }),
      code: 400,
      error: /^body\/instances\/0\/text_a must be string$/,
    },
    {
      name: 'missing text_a',
      send: () => post('/v1/classify', { instances: [{ text_b: 'x' }] }),
      code: 400,
      error: /^body\/instances\/0 must have required property 'text_a'$/,
    },
    {
      name: 'an empty text',
      send: () => post('/v1/classify', { instances: [{ text_a: '' }] }),
      code: 400,
      error: /^body\/instances\/0\/text_a must NOT have fewer than 1 characters$/,
    },
    {
      name: 'a blank text',
      send: () => post('/v1/classify', { instances: [{ text_a: 'x', text_b: ' \t\n' }] }),
      code: 400,
      error: /^body\/instances\/0\/text_b must not be blank$/,
    },
    {
      name: 'a misspelt field',
      send: () => post('/v1/classify', { instances: [{ text_a: 'x', textb: 'y' }] }),
      code: 400,
      error: /^body\/instances\/0 has an unknown property 'textb'$/,
    },
    {
      name: 'too many instances',
      send: () => post('/v1/classify', { instances: Array(17).fill({ text_a: 'x' }) }),
      code: 400,
      error: /^body\/instances must NOT have more than 16 items$/,
    },
    {
      name: 'a body over the limit',
      send: () => post('/v1/classify', { instances: [{ text_a: 'x'.repeat(5000) }] }),
      code: 413,
      error: /body is too large/i,
    },
    {
      name: 'an unknown pooling',
      send: () => post('/v1/embed', { instances: [{ text: 'x' }], pooling: 'max' }),
      code: 400,
      error: /^body\/pooling must be equal to one of the allowed values$/,
    },
    {
      name: 'an unknown route',
      send: () => post('/v2/classify', { instances: [] }),
      code: 404,
      error: /^no route POST \/v2\/classify$/,
    },
    {
      name: 'a wrong method',
      send: raw('GET', '/v1/classify'),
      code: 404,
      error: /^no route GET \/v1\/classify$/,
    },
  ];

  it.each(cases)('$name: $code with {"error"}, and the next request is answered', async (c) => {
    serve();
    const r = await c.send();
    expect(r.statusCode).toBe(c.code);
    expect(r.json().error).toMatch(c.error);
    const ok = await post('/v1/classify', { instances: pairs });
    expect(ok.statusCode).toBe(200);
  });
});

describe('bert serve /metrics (fake model)', () => {
  it('Prometheus text: requests by route and code, batch sizes, queue depth, process memory', async () => {
    serve();
    await post('/v1/classify', { instances: pairs });
    await post('/v1/classify', { instances: [{ text_a: 3 }] });
    const r = await app.fastify.inject({ url: '/metrics' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = r.body;
    expect(text).toContain(
      'bert_http_requests_total{method="POST",route="/v1/classify",code="200"} 1',
    );
    expect(text).toContain(
      'bert_http_requests_total{method="POST",route="/v1/classify",code="400"} 1',
    );
    expect(text).toContain('bert_instances_total{endpoint="classify"} 2');
    expect(text).toContain('bert_batch_size_count 1');
    expect(text).toContain('bert_batch_size_sum 2');
    expect(text).toContain('bert_queue_depth 0');
    expect(text).toMatch(
      /^bert_http_request_duration_seconds_bucket\{le="\+Inf",route="\/v1\/classify"\} 2$/m,
    );
    expect(text).toMatch(/^process_resident_memory_bytes \d+$/m);
  });
});
