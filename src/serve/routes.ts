// The model routes of `bert serve`: /v1/classify, /v1/embed, /v1/tokenize (bert-ts's own JSON),
// and TF Serving's REST shape (POST /v1/models/<name>:predict, GET /v1/models/<name>) so that
// clients written for a BERT exported to TF Serving work unchanged. Bodies arrive validated
// (schemas.ts); classify and embed go through the dynamic batchers, tokenize runs at once.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { DynamicBatcher } from './batcher.js';
import type { ServeMetrics } from './metrics.js';
import type { ServeOptions } from './app.js';
import { HttpError } from './http_error.js';
import {
  embedBody,
  pairsBody,
  tfPredictBody,
  type EmbedRequest,
  type PairJson,
  type PairsRequest,
  type TfPredictRequest,
} from './schemas.js';
import type { Pooling, Prediction, ServedModel, TextPair } from './served_model.js';

export interface ModelContext {
  readonly options: ServeOptions;
  readonly loaded: () => boolean;
  /** The loaded model, or a 503 HttpError while it loads. */
  readonly ready: () => ServedModel;
  readonly metrics: ServeMetrics;
  readonly classify: DynamicBatcher<TextPair, Prediction>;
  readonly embed: DynamicBatcher<{ text: string; pooling: Pooling }, ArrayLike<number>>;
}

/** TF Serving's name for the pooled [CLS] vector of TF Hub's BERT modules. */
const TF_POOLED = 'pooled_output';

export function registerModelRoutes(app: FastifyInstance, ctx: ModelContext): void {
  const max = ctx.options.maxInstances;
  app.post<{ Body: PairsRequest }>(
    '/v1/classify',
    { schema: { body: pairsBody(max) } },
    async (req, reply) => ({ predictions: await classify(ctx, req.body.instances, reply) }),
  );
  app.post<{ Body: EmbedRequest }>(
    '/v1/embed',
    { schema: { body: embedBody(max) } },
    async (req, reply) => {
      ctx.ready();
      const { instances, pooling } = req.body;
      ctx.metrics.instances.inc({ endpoint: 'embed' }, instances.length);
      const items = instances.map(({ text }) => ({ text, pooling }));
      const vectors = await ctx.embed.submit(items, clientSignal(reply));
      return { pooling, embeddings: vectors.map((v) => Array.from(v)) };
    },
  );
  app.post<{ Body: PairsRequest }>(
    '/v1/tokenize',
    { schema: { body: pairsBody(max) } },
    async (req) => {
      const m = ctx.ready();
      ctx.metrics.instances.inc({ endpoint: 'tokenize' }, req.body.instances.length);
      return { results: req.body.instances.map((p) => tokenized(m, p)) };
    },
  );
  registerTfServingRoutes(app, ctx);
}

async function classify(
  ctx: ModelContext,
  instances: readonly PairJson[],
  reply: FastifyReply,
): Promise<Prediction[]> {
  const m = ctx.ready();
  if (m.labels === null)
    throw new HttpError(
      400,
      `model '${ctx.options.modelName}' is a bare encoder (no classifier head, labels null in ` +
        `bert_ts.json): it serves /v1/embed and /v1/tokenize, not classification`,
    );
  ctx.metrics.instances.inc({ endpoint: 'classify' }, instances.length);
  return ctx.classify.submit(instances.map(toPair), clientSignal(reply));
}

function toPair(p: PairJson): TextPair {
  return p.text_b === undefined ? { textA: p.text_a } : { textA: p.text_a, textB: p.text_b };
}

function tokenized(m: ServedModel, p: PairJson) {
  const e = m.tokenize(p.text_a, p.text_b);
  return {
    tokens: e.tokens,
    input_ids: Array.from(e.inputIds),
    input_mask: Array.from(e.inputMask),
    segment_ids: Array.from(e.segmentIds),
  };
}

/** Aborts when the client closes the connection before its answer is written. */
function clientSignal(reply: FastifyReply): AbortSignal {
  const ac = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) ac.abort();
  });
  return ac.signal;
}

/** TF Serving's `<name>:<verb>` path segment, checked against this server's model name. */
function tfTarget(ctx: ModelContext, segment: string): { verb: string | null } {
  const colon = segment.lastIndexOf(':');
  const name = colon < 0 ? segment : segment.slice(0, colon);
  if (name !== ctx.options.modelName)
    throw new HttpError(
      404,
      `model '${name}' not found; this server serves '${ctx.options.modelName}'`,
    );
  return { verb: colon < 0 ? null : segment.slice(colon + 1) };
}

function registerTfServingRoutes(app: FastifyInstance, ctx: ModelContext): void {
  const predict = async (segment: string, body: TfPredictRequest, reply: FastifyReply) => {
    const { verb } = tfTarget(ctx, segment);
    if (verb !== 'predict')
      throw new HttpError(
        404,
        `no route POST .../${segment}: bert serve answers TF Serving's :predict only`,
      );
    const pairs = body.instances.map((i) => (typeof i === 'string' ? { text_a: i } : i));
    const m = ctx.ready();
    if (m.labels === null) {
      const vectors = await ctx.embed.submit(
        pairs.map((p) => ({ text: p.text_a, pooling: 'pooled' })),
        clientSignal(reply),
      );
      return { predictions: vectors.map((v) => ({ [TF_POOLED]: Array.from(v) })) };
    }
    const labels = m.labels;
    const predictions = await classify(ctx, pairs, reply);
    return { predictions: predictions.map((p) => tfPrediction(labels, p)) };
  };
  const opts = { schema: { body: tfPredictBody(ctx.options.maxInstances) } };
  app.post<{ Params: { target: string }; Body: TfPredictRequest }>(
    '/v1/models/:target',
    opts,
    async (req, reply) => predict(req.params.target, req.body, reply),
  );
  app.post<{ Params: { name: string; target: string }; Body: TfPredictRequest }>(
    '/v1/models/:name/versions/:target',
    opts,
    async (req, reply) =>
      predict(`${req.params.name}:${verbOf(req.params.target)}`, req.body, reply),
  );
  app.get<{ Params: { name: string } }>('/v1/models/:name', async (req) => {
    if (tfTarget(ctx, req.params.name).verb !== null)
      throw new HttpError(404, `no route GET /v1/models/${req.params.name}`);
    const state = ctx.loaded() ? 'AVAILABLE' : 'LOADING';
    const status = { error_code: 'OK', error_message: '' };
    return { model_version_status: [{ version: '1', state, status }] };
  });
}

/** One :predict row: a regression's score, or the label and the probabilities in label order. */
function tfPrediction(labels: readonly string[], p: Prediction) {
  if (p.score !== undefined) return { score: p.score };
  return { label: p.label, probabilities: labels.map((l) => p.probabilities[l]) };
}

/** "1:predict" → "predict" (the version itself is not checked: one version is served). */
function verbOf(versionAndVerb: string): string {
  const colon = versionAndVerb.lastIndexOf(':');
  return colon < 0 ? '' : versionAndVerb.slice(colon + 1);
}
