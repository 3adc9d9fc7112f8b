// What every loaded model of the API owns: a kernel set (its threads start here, once per loaded
// model, and never keep the process alive, so a process can exit without dispose()), and a queue
// that runs one call at a time on it — the model's buffers are reused by every batch, so two
// overlapping predict() calls must not interleave their batches. Between batches a call yields
// to the event loop, so a server stays responsive during a long call. A second model on the same
// weights (Classifier.encoder) shares the kernel set — the weights live in its buffers — through
// share(): its own queue (its own activation buffers), and the threads stop with the last user.
import { host } from '../host/host.js';
import { createKernels, type Backend } from '../engine/index.js';
import type { Kernels } from '../engine/kernels.js';
import { UsageError } from '../util/errors.js';

export class Session {
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  private constructor(
    readonly kernels: Kernels<Float32Array>,
    private readonly owner: string,
    /** The sessions on this kernel set not yet disposed. */
    private readonly users: { count: number },
  ) {}

  /** Starts the engine for `owner` ('Classifier', 'Encoder'): threads default to the cores. */
  static async start(
    owner: string,
    numThreads: number | undefined,
    backend: Backend | undefined,
  ): Promise<Session> {
    const kernels = await createKernels({ threads: numThreads, backend });
    return new Session(kernels, owner, { count: 1 });
  }

  /** A session for `owner` on this one's kernel set: the threads stop when both are disposed. */
  share(owner: string): Session {
    this.checkLive();
    this.users.count++;
    return new Session(this.kernels, owner, this.users);
  }

  /**
   * Runs `items` through `batch` in slices of `size`, after every call queued before it; the
   * slices' results are concatenated in order.
   */
  run<I, O>(items: readonly I[], size: number, batch: (slice: readonly I[]) => O[]): Promise<O[]> {
    this.checkLive();
    const work = async (): Promise<O[]> => {
      const out: O[] = [];
      for (let s = 0; s < items.length; s += size) {
        if (s > 0) await host().yieldToEventLoop();
        out.push(...batch(items.slice(s, s + size)));
      }
      return out;
    };
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Throws when the session was disposed. */
  checkLive(): void {
    if (this.disposed)
      throw new UsageError(
        `${this.owner}: used after dispose()`,
        `load it again with ${this.owner}.load`,
      );
  }

  /**
   * Further calls throw; once the calls already queued are done, stops the threads if no other
   * session shares them.
   */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue;
    if (--this.users.count === 0) await this.kernels.dispose();
  }
}
