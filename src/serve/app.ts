// The HTTP server of `bert serve` (fastify): request-body validation by JSON schema, one log line
// per request, Prometheus metrics, JSON errors, /healthz and /metrics. The model routes are in
// routes.ts. The server listens before the model is loaded, so a load balancer sees /healthz 503
// until setModel() makes it ready; while closing, fastify answers 503 to new requests on open
// connections and close() returns once the requests in flight are answered.
import Fastify, {
  LogController,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
  type FastifySchemaValidationError,
} from 'fastify';
import { AbortedError, DynamicBatcher, QueueFullError, SerialLock } from './batcher.js';
import { CLIENT_CLOSED, HttpError } from './http_error.js';
import { ServeMetrics } from './metrics.js';
import { registerModelRoutes, type ModelContext } from './routes.js';
import type { Pooling, Prediction, ServedModel, TextPair } from './served_model.js';
import { UsageError } from '../util/errors.js';

export interface ServeOptions {
  /** The name in TF Serving's /v1/models/<name> routes. */
  readonly modelName: string;
  readonly maxBatchSize: number;
  readonly batchTimeoutMs: number;
  /** Instances one request may hold. */
  readonly maxInstances: number;
  /** Request body bytes; more is refused with 413. */
  readonly bodyLimit: number;
  /** Instances that may wait in each batch queue; more is refused with 503. */
  readonly maxQueue: number;
  /** fastify's logger option (pino): false for none. */
  readonly logger: FastifyServerOptions['logger'];
}

export interface ServeApp {
  readonly fastify: FastifyInstance;
  readonly metrics: ServeMetrics;
  /** Makes the model routes live and /healthz ready. */
  setModel(model: ServedModel): void;
  /** Stops accepting, answers the requests in flight, then disposes the model. */
  close(): Promise<void>;
}

interface EmbedItem {
  readonly text: string;
  readonly pooling: Pooling;
}

export function createServeApp(o: ServeOptions): ServeApp {
  const fastify = Fastify({
    logger: o.logger,
    bodyLimit: o.bodyLimit,
    // One line per request, written by the onResponse hook, instead of fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // No silent coercion or stripping: a number where a text belongs, or an unknown field, is a
    // 400 that names it, not a guess.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    schemaErrorFormatter: formatValidationErrors,
  });
  let model: ServedModel | null = null;
  let closing = false;
  const ready = (): ServedModel => {
    if (model === null) throw new HttpError(503, 'the model is still loading');
    return model;
  };
  const lock = new SerialLock();
  const batchers: DynamicBatcher<unknown, unknown>[] = [];
  const metrics = new ServeMetrics(o.maxBatchSize, () => batchers.reduce((n, b) => n + b.depth, 0));
  const batcher = <I, O>(run: (items: I[]) => Promise<O[]>): DynamicBatcher<I, O> => {
    const b = new DynamicBatcher<I, O>({
      ...o,
      run,
      lock,
      onBatch: (size, seconds) => metrics.observeBatch(size, seconds),
      onDropped: (n) => metrics.dropped.inc(n),
    });
    batchers.push(b as DynamicBatcher<unknown, unknown>);
    return b;
  };
  const ctx: ModelContext = {
    options: o,
    loaded: () => model !== null,
    ready,
    metrics,
    classify: batcher<TextPair, Prediction>((pairs) => ready().predict(pairs)),
    embed: batcher<EmbedItem, ArrayLike<number>>((items) => embedMixed(ready(), items)),
  };
  fastify.removeContentTypeParser('text/plain'); // JSON only: a text body is a 415
  // While closing, every answer closes its connection: a keep-alive connection whose request was
  // in flight would otherwise hold close() open until its keep-alive timeout (72 s).
  fastify.addHook('onSend', async (_req, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  installHooks(fastify, metrics);
  fastify.get('/healthz', async (_req, reply) => {
    if (model === null) return reply.code(503).send({ status: 'loading' });
    return { status: 'ok', model: o.modelName };
  });
  fastify.get('/metrics', async (_req, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
  registerModelRoutes(fastify, ctx);
  return {
    fastify,
    metrics,
    setModel: (m) => void (model = m),
    close: async () => {
      closing = true;
      await fastify.close();
      await model?.dispose();
      model = null;
    },
  };
}

/** One model call per pooling present in the batch (Encoder.embed takes one pooling). */
async function embedMixed(m: ServedModel, items: EmbedItem[]): Promise<ArrayLike<number>[]> {
  const out = new Array<ArrayLike<number>>(items.length);
  for (const pooling of new Set(items.map((i) => i.pooling))) {
    const at = items.flatMap((it, i) => (it.pooling === pooling ? [i] : []));
    const vectors = await m.embed(
      at.map((i) => items[i]!.text),
      pooling,
    );
    at.forEach((i, j) => (out[i] = vectors[j]!));
  }
  return out;
}

function installHooks(fastify: FastifyInstance, metrics: ServeMetrics): void {
  fastify.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const code = reply.statusCode;
    metrics.requests.inc({ method: req.method, route, code });
    metrics.latency.observe({ route }, reply.elapsedTime / 1000);
    const body = req.body as { instances?: unknown } | undefined;
    const instances = Array.isArray(body?.instances) ? body.instances.length : undefined;
    req.log.info(
      { method: req.method, url: req.url, status: code, ms: round1(reply.elapsedTime), instances },
      `${req.method} ${req.url} ${code} ${round1(reply.elapsedTime)} ms`,
    );
  });
  fastify.setNotFoundHandler(async (req, reply) =>
    reply.code(404).send({ error: `no route ${req.method} ${req.url.split('?')[0]}` }),
  );
  fastify.setErrorHandler(async (err: FastifyError, req, reply) => sendError(err, req, reply));
}

async function sendError(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const code = statusOf(err);
  if (code >= 500) req.log.error({ err }, 'request failed');
  if (code === 503) reply.header('retry-after', '1');
  // A 5xx says what failed without the internals of an unexpected error.
  const message =
    code === 500
      ? 'internal server error (logged on the server)'
      : code === 415
        ? `content-type '${req.headers['content-type'] ?? ''}' is not supported; send application/json`
        : err.message;
  return reply.code(code).send({ error: message });
}

function statusOf(err: FastifyError): number {
  if (err instanceof AbortedError) return CLIENT_CLOSED;
  if (err instanceof QueueFullError) return 503;
  if (err instanceof UsageError) return 400;
  const code = err.statusCode;
  return code !== undefined && code >= 400 && code < 600 ? code : 500;
}

/** ajv's errors as one line: where (body/instances/0/text_a) and what is wrong there. */
function formatValidationErrors(errors: FastifySchemaValidationError[], dataVar: string): Error {
  const lines = errors.map((e) => {
    const where = `${dataVar}${e.instancePath}`;
    if (e.keyword === 'additionalProperties')
      return `${where} has an unknown property '${String(e.params.additionalProperty)}'`;
    if (e.keyword === 'pattern') return `${where} must not be blank`;
    return `${where} ${e.message ?? 'is invalid'}`;
  });
  return new HttpError(400, lines.join('; '));
}

function round1(ms: number): number {
  return Math.round(ms * 10) / 10;
}
