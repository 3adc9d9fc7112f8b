// `bert serve --model_dir=DIR`: the prediction server (src/serve/). Flags in the style of
// TF Serving's model server (--port 8501, --model_name, --model_base_path → --model_dir) and
// bert-ts's scripts (--num_threads, --max_seq_length). SIGTERM or SIGINT stops it gracefully:
// no new connections, the requests in flight are answered, the model is freed, exit 0; a second
// signal while draining exits at once with 1.
import { int, intOrNull, float, str, strDefault } from './flags.js';
import { checkNumThreads, THREADS_FLAG } from './common_flags.js';
import { defineScript } from './script.js';
import { UsageError } from '../util/errors.js';

const FLAGS = {
  model_dir: str({
    required: true,
    help: 'A model folder: run_classifier output_dir, Classifier.save, or a Google download.',
  }),
  host: strDefault('127.0.0.1', 'Address to listen on (0.0.0.0: every interface).'),
  port: int(8501, 'Port to listen on (TF Serving REST default; 0: a free port).'),
  ...THREADS_FLAG,
  max_batch_size: int(32, 'Most instances in one model call of the dynamic batcher.'),
  max_seq_length: intOrNull("Tokens per sequence after WordPiece (default: the model's)."),
  batch_timeout_ms: float(5, 'How long the first queued instance waits for others to batch with.'),
  model_name: strDefault('bert', "The <name> of TF Serving's /v1/models/<name> routes."),
  max_instances: int(256, 'Most instances in one request (more: 400).'),
  max_body_bytes: int(1 << 20, 'Largest request body in bytes (more: 413).'),
} as const;

/** Instances that may wait, per batch queue, before requests are refused with 503. */
const QUEUE_BATCHES = 64;

function checkFlags(f: {
  port: number;
  max_batch_size: number;
  batch_timeout_ms: number;
  max_instances: number;
  max_body_bytes: number;
  max_seq_length: number | null;
}): void {
  const positive = { max_batch_size: f.max_batch_size, max_instances: f.max_instances };
  for (const [name, v] of Object.entries({ ...positive, max_body_bytes: f.max_body_bytes }))
    if (v < 1) throw new UsageError(`--${name}=${v}: must be at least 1`);
  if (f.port < 0 || f.port > 65535) throw new UsageError(`--port=${f.port}: not a TCP port`);
  if (!(f.batch_timeout_ms >= 0))
    throw new UsageError(`--batch_timeout_ms=${f.batch_timeout_ms}: must be 0 or more`);
  if (f.max_seq_length !== null && f.max_seq_length < 3)
    throw new UsageError(
      `--max_seq_length=${f.max_seq_length}: must be at least 3 ([CLS] x [SEP])`,
    );
}

/** Resolves with the first of SIGTERM / SIGINT; a second one exits at once. */
function firstSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let seen = false;
    const on = (s: NodeJS.Signals) => {
      if (seen) {
        process.stderr.write(`bert serve: second ${s} while draining: exiting now\n`);
        process.exit(1);
      }
      seen = true;
      resolve(s);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}

export default defineScript({
  name: 'serve',
  summary: 'HTTP prediction server: classify, embed, tokenize, TF Serving REST (bert-ts)',
  flags: FLAGS,
  async main(f) {
    checkNumThreads(f.num_threads);
    checkFlags(f);
    const { startServer } = await import('../serve/server.js');
    const { loadServedModel } = await import('../serve/load_model.js');
    const { readModelFolder } = await import('../api/model_folder.js');
    readModelFolder(f.model_dir!); // a folder that is not a model is refused before listening
    const signal = firstSignal();
    const server = await startServer(
      {
        host: f.host,
        port: f.port,
        modelName: f.model_name,
        maxBatchSize: f.max_batch_size,
        batchTimeoutMs: f.batch_timeout_ms,
        maxInstances: f.max_instances,
        bodyLimit: f.max_body_bytes,
        maxQueue: QUEUE_BATCHES * f.max_batch_size,
        logger: { level: 'info' },
      },
      () =>
        loadServedModel(f.model_dir!, {
          numThreads: f.num_threads,
          backend: f.backend,
          maxBatchSize: f.max_batch_size,
          maxSeqLength: f.max_seq_length,
        }),
    );
    const stopped = await Promise.race([signal, server.loaded.then(() => signal)]).catch(
      async (e: unknown) => {
        await server.stop();
        throw e;
      },
    );
    server.app.fastify.log.info(`bert serve: ${stopped}: finishing requests in flight, then exit`);
    await server.stop();
  },
});
