// `bert serve` as a running process: listen first (so /healthz answers 503 while the model
// loads), load the model once, then log the startup line with the URL, model, labels and
// threads. stop() is the graceful shutdown: stop accepting, answer what is in flight, free the
// model. The CLI (cli/serve.ts) owns signals and the exit code.
import { createServeApp, type ServeApp, type ServeOptions } from './app.js';
import type { ServedModel } from './served_model.js';

export interface ServerOptions extends ServeOptions {
  readonly host: string;
  /** 0 picks a free port; the startup line says which. */
  readonly port: number;
}

export interface RunningServer {
  readonly app: ServeApp;
  /** The URL it listens on, e.g. http://127.0.0.1:8501. */
  readonly url: string;
  /** Resolves when the model is loaded and served (or rejects with the load's error). */
  readonly loaded: Promise<ServedModel>;
  stop(): Promise<void>;
}

export async function startServer(
  o: ServerOptions,
  load: () => Promise<ServedModel>,
): Promise<RunningServer> {
  const app = createServeApp(o);
  await app.fastify.listen({ host: o.host, port: o.port });
  const address = app.fastify.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : o.port;
  const url = `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port}`;
  let stopped = false;
  const loaded = load().then(async (model) => {
    // A stop() during the load has closed the server: free the model instead of serving it.
    if (stopped) {
      await model.dispose();
      return model;
    }
    app.setModel(model);
    app.fastify.log.info(startupFields(o, url, model), startupLine(o, url, model));
    return model;
  });
  // A load error is the caller's to report (through `loaded`); this keeps it from also being an
  // unhandled rejection when the caller is busy stopping.
  loaded.catch(() => undefined);
  const stop = async () => {
    stopped = true;
    await app.close();
  };
  return { app, url, loaded, stop };
}

function describeModel(m: ServedModel): string {
  if (m.labels === null) return 'a bare encoder (embeddings only)';
  if (m.labels.length === 0) return 'a regression head';
  return `a classifier, labels ${m.labels.join(', ')}`;
}

function startupLine(o: ServerOptions, url: string, m: ServedModel): string {
  return (
    `bert serve: ${url} serving '${o.modelName}' from ${m.dir}: ${describeModel(m)}; ` +
    `max_seq_length ${m.maxSeqLength}, ${m.numThreads} threads (${m.engine}), max_batch_size ${o.maxBatchSize}, ` +
    `batch_timeout_ms ${o.batchTimeoutMs}`
  );
}

function startupFields(o: ServerOptions, url: string, m: ServedModel) {
  return {
    url,
    model_name: o.modelName,
    model_dir: m.dir,
    labels: m.labels,
    max_seq_length: m.maxSeqLength,
    num_threads: m.numThreads,
    engine: m.engine,
    max_batch_size: o.maxBatchSize,
    batch_timeout_ms: o.batchTimeoutMs,
  };
}
