// Dynamic batching for the server: requests put their instances in one queue; a batch of up to
// maxBatchSize instances is taken from its head when it is full or when its oldest instance has
// waited batchTimeoutMs, and run in one model call. A request's instances may span batches (a
// request larger than a batch, or one that arrives while a batch is half full); its promise
// resolves once all of them are done, in its own order. Results never depend on the batching:
// the model pads each batch to its own longest sequence and masks the padding.
// The model's forward pass runs on the main thread (the kernel pool's API is synchronous), so
// while a batch runs no request is read; the requests that arrived meanwhile are parsed when it
// ends, which is why the next batch is started from setImmediate (after the I/O callbacks).
// A request whose client goes away (its AbortSignal fires) leaves the queue at once: its queued
// instances are dropped, never run; those already in a running batch finish and are discarded.

/** A request's instances could not be queued: the queue already holds maxQueue instances. */
export class QueueFullError extends Error {}
/** The request was aborted (its client disconnected) before all its instances ran. */
export class AbortedError extends Error {}

export interface BatcherOptions<I, O> {
  readonly maxBatchSize: number;
  readonly batchTimeoutMs: number;
  /** At most this many instances wait at once; a request that would exceed it is refused. */
  readonly maxQueue: number;
  /** Runs one batch: one result per item, in item order. Called with `lock` held. */
  readonly run: (items: I[]) => Promise<O[]>;
  /** Serialises model calls across the batchers that share one model. */
  readonly lock: SerialLock;
  /** Told the size and duration (seconds) of every batch run, for metrics. */
  readonly onBatch?: (size: number, seconds: number) => void;
  /** Told how many queued instances an aborted request dropped. */
  readonly onDropped?: (count: number) => void;
}

/** Runs async functions one at a time, in call order. */
export class SerialLock {
  private tail: Promise<unknown> = Promise.resolve();

  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

interface Job<O> {
  readonly results: O[];
  remaining: number;
  settled: boolean;
  readonly resolve: (results: O[]) => void;
  readonly reject: (e: unknown) => void;
}

interface Entry<I, O> {
  readonly item: I;
  readonly job: Job<O>;
  readonly index: number;
  readonly queuedAt: number;
}

export class DynamicBatcher<I, O> {
  private queue: Entry<I, O>[] = [];
  private timeout: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private running = false;

  constructor(private readonly o: BatcherOptions<I, O>) {
    if (!(o.maxBatchSize >= 1)) throw new RangeError(`maxBatchSize ${o.maxBatchSize} < 1`);
  }

  /** Instances waiting to be run. */
  get depth(): number {
    return this.queue.length;
  }

  /** Queues `items`; resolves with their results in order. */
  submit(items: readonly I[], signal?: AbortSignal): Promise<O[]> {
    if (signal?.aborted) return Promise.reject(new AbortedError('request aborted'));
    if (this.queue.length + items.length > this.o.maxQueue)
      return Promise.reject(
        new QueueFullError(
          `server busy: ${this.queue.length} instances queued, at most ${this.o.maxQueue}`,
        ),
      );
    if (items.length === 0) return Promise.resolve([]);
    return new Promise<O[]>((resolve, reject) => {
      const job: Job<O> = {
        results: new Array<O>(items.length),
        remaining: items.length,
        settled: false,
        resolve,
        reject,
      };
      const queuedAt = performance.now();
      items.forEach((item, index) => this.queue.push({ item, job, index, queuedAt }));
      signal?.addEventListener('abort', () => this.abort(job), { once: true });
      this.schedule();
    });
  }

  private abort(job: Job<O>): void {
    if (job.settled) return;
    const before = this.queue.length;
    this.queue = this.queue.filter((e) => e.job !== job);
    this.settle(job, new AbortedError('request aborted'));
    if (before > this.queue.length) this.o.onDropped?.(before - this.queue.length);
  }

  private settle(job: Job<O>, error: unknown): void {
    if (job.settled) return;
    job.settled = true;
    if (error === null) job.resolve(job.results);
    else job.reject(error);
  }

  /** Starts a batch now if one is due, else sets a timer for when the queue's head is due. */
  private schedule(): void {
    if (this.running || this.queue.length === 0 || this.immediate !== null) return;
    const wait = this.o.batchTimeoutMs - (performance.now() - this.queue[0]!.queuedAt);
    if (this.queue.length >= this.o.maxBatchSize || wait <= 0) {
      if (this.timeout !== null) clearTimeout(this.timeout);
      this.timeout = null;
      this.immediate = setImmediate(() => {
        this.immediate = null;
        void this.flush();
      });
    } else if (this.timeout === null) {
      this.timeout = setTimeout(() => {
        this.timeout = null;
        void this.flush();
      }, wait);
    }
  }

  private async flush(): Promise<void> {
    if (this.running || this.queue.length === 0) return;
    this.running = true;
    try {
      await this.o.lock.exclusive(() => this.runBatch());
    } finally {
      this.running = false;
      this.schedule();
    }
  }

  /** Takes the head of the queue (as it is once the lock is held) and runs it. */
  private async runBatch(): Promise<void> {
    const batch = this.queue.splice(0, this.o.maxBatchSize);
    if (batch.length === 0) return;
    const t0 = performance.now();
    let results: O[];
    try {
      results = await this.o.run(batch.map((e) => e.item));
      if (results.length !== batch.length)
        throw new Error(`internal: a batch of ${batch.length} gave ${results.length} results`);
    } catch (e) {
      for (const { job } of batch) this.settle(job, e);
      return;
    }
    this.o.onBatch?.(batch.length, (performance.now() - t0) / 1000);
    batch.forEach((e, i) => {
      e.job.results[e.index] = results[i]!;
      if (--e.job.remaining === 0) this.settle(e.job, null);
    });
  }
}
