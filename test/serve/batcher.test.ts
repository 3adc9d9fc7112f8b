// The dynamic batcher on its own: which items go into which model call, in what order results
// come back, and what an aborted request, a failing batch and a full queue do. The model call is
// a recorder that doubles numbers, so every result can be checked against its item.
import { describe, expect, it } from 'vitest';
import {
  AbortedError,
  DynamicBatcher,
  QueueFullError,
  SerialLock,
  type BatcherOptions,
} from '../../src/serve/batcher.js';

/** A promise with its resolve function outside, to hold a batch open. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

function recorder(o: Partial<BatcherOptions<number, number>> = {}, hold?: Promise<void>) {
  const batches: number[][] = [];
  const dropped: number[] = [];
  const batcher = new DynamicBatcher<number, number>({
    maxBatchSize: 4,
    batchTimeoutMs: 5,
    maxQueue: 100,
    lock: new SerialLock(),
    run: async (items) => {
      batches.push(items);
      if (hold) await hold;
      return items.map((x) => 2 * x);
    },
    onDropped: (n) => dropped.push(n),
    ...o,
  });
  return { batcher, batches, dropped };
}

describe('DynamicBatcher', () => {
  it('requests arriving within batch_timeout_ms share one model call; each gets its own results in order', async () => {
    const { batcher, batches } = recorder({ maxBatchSize: 8 });
    const [a, b, c] = await Promise.all([
      batcher.submit([1, 2]),
      batcher.submit([3]),
      batcher.submit([4, 5, 6]),
    ]);
    expect(batches).toEqual([[1, 2, 3, 4, 5, 6]]);
    expect([a, b, c]).toEqual([[2, 4], [6], [8, 10, 12]]);
  });

  it('never more than max_batch_size per call; a request larger than a batch spans calls', async () => {
    const { batcher, batches } = recorder({ maxBatchSize: 4 });
    const [a, b] = await Promise.all([
      batcher.submit([1, 2, 3, 4, 5, 6, 7]),
      batcher.submit([8, 9, 10]),
    ]);
    expect(batches).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10],
    ]);
    expect(a).toEqual([2, 4, 6, 8, 10, 12, 14]);
    expect(b).toEqual([16, 18, 20]);
  });

  it('a full batch runs at once, without waiting for the timeout', async () => {
    const { batcher, batches } = recorder({ maxBatchSize: 3, batchTimeoutMs: 60_000 });
    expect(await batcher.submit([1, 2, 3])).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('an aborted request leaves the queue unrun; the others are answered', async () => {
    const hold = gate();
    const { batcher, batches, dropped } = recorder({ maxBatchSize: 2 }, hold.promise);
    const first = batcher.submit([1, 2]); // runs at once and waits on the gate
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1, 2]]);
    const ac = new AbortController();
    const aborted = batcher.submit([3, 4, 5], ac.signal);
    const other = batcher.submit([6]);
    expect(batcher.depth).toBe(4);
    ac.abort();
    expect(batcher.depth).toBe(1);
    await expect(aborted).rejects.toBeInstanceOf(AbortedError);
    hold.open();
    expect(await first).toEqual([2, 4]);
    expect(await other).toEqual([12]);
    expect(batches).toEqual([[1, 2], [6]]);
    expect(dropped).toEqual([3]);
  });

  it('an already aborted signal is refused without queueing', async () => {
    const { batcher, batches } = recorder();
    const ac = new AbortController();
    ac.abort();
    await expect(batcher.submit([1], ac.signal)).rejects.toBeInstanceOf(AbortedError);
    expect(batcher.depth).toBe(0);
    expect(batches).toEqual([]);
  });

  it('a failing model call rejects the requests in that batch only', async () => {
    let calls = 0;
    const { batcher } = recorder({
      maxBatchSize: 2,
      run: async (items) => {
        if (calls++ === 0) throw new Error('boom');
        return items.map((x) => -x);
      },
    });
    const a = batcher.submit([1, 2]);
    const b = batcher.submit([3]);
    await expect(a).rejects.toThrow('boom');
    expect(await b).toEqual([-3]);
  });

  it('a request that would overfill the queue is refused with QueueFullError', async () => {
    const hold = gate();
    const { batcher } = recorder({ maxBatchSize: 2, maxQueue: 3 }, hold.promise);
    const running = batcher.submit([1, 2]);
    await new Promise((r) => setImmediate(r));
    const queued = batcher.submit([3, 4, 5]);
    await expect(batcher.submit([6])).rejects.toBeInstanceOf(QueueFullError);
    hold.open();
    expect(await running).toEqual([2, 4]);
    expect(await queued).toEqual([6, 8, 10]);
  });

  it('two batchers on one lock never run their model calls at the same time', async () => {
    const lock = new SerialLock();
    let active = 0;
    let most = 0;
    const run = async (items: number[]) => {
      most = Math.max(most, ++active);
      await new Promise((r) => setTimeout(r, 2));
      active--;
      return items;
    };
    const opts = { maxBatchSize: 2, batchTimeoutMs: 0, maxQueue: 100, lock, run };
    const x = new DynamicBatcher<number, number>(opts);
    const y = new DynamicBatcher<number, number>(opts);
    const all = await Promise.all([x.submit([1, 2, 3]), y.submit([4, 5, 6]), x.submit([7])]);
    expect(all).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(most).toBe(1);
  });
});
