// The server's Prometheus metrics (prom-client, text exposition format at GET /metrics): requests
// by route and status code (errors are the 4xx/5xx codes of the same counter), request latency,
// batch sizes and run times, instances waiting in the batch queues, instances dropped because
// their client went away, and prom-client's default process metrics (resident memory, CPU, event
// loop lag, heap). One registry per server, so two servers in one process (tests) do not clash.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const PREFIX = 'bert_';

export class ServeMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'method' | 'route' | 'code'>;
  readonly latency: Histogram<'route'>;
  readonly instances: Counter<'endpoint'>;
  readonly batchSize: Histogram;
  readonly batchSeconds: Histogram;
  readonly dropped: Counter;

  /** queueDepth is read at each scrape (the instances waiting in every batcher). */
  constructor(maxBatchSize: number, queueDepth: () => number) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: `${PREFIX}http_requests_total`,
      help: 'HTTP requests answered, by method, route pattern and status code.',
      labelNames: ['method', 'route', 'code'],
      registers,
    });
    this.latency = new Histogram({
      name: `${PREFIX}http_request_duration_seconds`,
      help: 'Time from request received to response sent, by route pattern.',
      labelNames: ['route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.instances = new Counter({
      name: `${PREFIX}instances_total`,
      help: 'Instances received in valid requests, by endpoint (classify, embed, tokenize).',
      labelNames: ['endpoint'],
      registers,
    });
    this.batchSize = new Histogram({
      name: `${PREFIX}batch_size`,
      help: 'Instances per model call of the dynamic batcher.',
      buckets: powersOfTwo(maxBatchSize),
      registers,
    });
    this.batchSeconds = new Histogram({
      name: `${PREFIX}batch_duration_seconds`,
      help: 'Time of one model call (tokenization and forward pass of a batch).',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.dropped = new Counter({
      name: `${PREFIX}dropped_instances_total`,
      help: 'Queued instances dropped unrun because their client disconnected.',
      registers,
    });
    new Gauge({
      name: `${PREFIX}queue_depth`,
      help: 'Instances waiting in the batch queues.',
      registers,
      collect() {
        this.set(queueDepth());
      },
    });
  }

  /** Called by the batchers after each batch. */
  observeBatch(size: number, seconds: number): void {
    this.batchSize.observe(size);
    this.batchSeconds.observe(seconds);
  }
}

/** 1, 2, 4, … up to and including n (n itself ends the list when it is not a power of two). */
function powersOfTwo(n: number): number[] {
  const out: number[] = [];
  for (let b = 1; b < n; b *= 2) out.push(b);
  out.push(n);
  return out;
}
