// The host contract: the core reaches threads, the kernels' .wasm, the native addon, log output and
// files only through the installed host — a host that records its calls sees the kernel pool start
// its workers, fetch its .wasm and write its files through it — and without a host the core says
// which entry point to import.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createKernels, type Kernels } from '../../src/engine/index.js';
import { browserHost } from '../../src/host/browser.js';
import { installHost, type Host, type PoolWorkerInit } from '../../src/host/host.js';
import { MemoryFs } from '../../src/host/memory_fs.js';
import { nodeHost } from '../../src/host/node.js';
import { writeFileAtomicSync } from '../../src/util/fs.js';
import { stderrLogger } from '../../src/util/log.js';
import { expectSame, randomF32, rng } from '../engine/wasm_helpers.js';

installHost(nodeHost); // importing host/browser.js installed the browser host
afterEach(() => installHost(nodeHost));

/** The Node host with its calls recorded. */
function recordingHost(): { host: Host; calls: string[]; inits: PoolWorkerInit[] } {
  const calls: string[] = [];
  const inits: PoolWorkerInit[] = [];
  const host: Host = {
    ...nodeHost,
    name: 'recording',
    cpuCount: () => (calls.push('cpuCount'), 3),
    spawnPoolWorker: (init) => (inits.push(init), nodeHost.spawnPoolWorker(init)),
    kernelWasm: (file) => (calls.push(`kernelWasm ${file}`), nodeHost.kernelWasm(file)),
    writeLog: (line) => void calls.push(`log ${line}`),
  };
  return { host, calls, inits };
}

/** C = A·B of seeded random A (M×K) and B (K×N) on kernel set `k`. */
function randomProduct(k: Kernels<Float32Array>, M: number, K: number, N: number): Float32Array {
  const r = rng(3);
  const c = k.alloc(M * N);
  k.matmul(c, randomF32(k, M * K, r), randomF32(k, K * N, r), null, M, K, N, false, false, false);
  return c;
}

describe('the host', () => {
  it('starts the kernel pool’s workers and fetches the .wasm (threads default to its cpuCount)', async () => {
    const { host, calls, inits } = recordingHost();
    installHost(host);
    const k = await createKernels({ backend: 'wasm', variant: 'simd' });
    try {
      expect(k.name).toBe('wasm-simd x3');
      expect(calls).toEqual(['cpuCount', 'kernelWasm kernels.wasm']);
      expect(inits.map((i) => i.index)).toEqual([1, 2]);
      expect(inits[0]!.control).toBe(inits[1]!.control); // one control block, one memory
      expect(inits[0]!.memory).toBe(inits[1]!.memory);
      // The workers started through the host compute: a product split over the 3 threads equals
      // the one-thread set's, bit for bit.
      const one = await createKernels({ backend: 'wasm', variant: 'simd', threads: 1 });
      expectSame(randomProduct(k, 256, 96, 200), randomProduct(one, 256, 96, 200));
      expect(inits).toHaveLength(2); // the one-thread set started no worker
      await one.dispose();
    } finally {
      await k.dispose();
    }
  });

  it('takes the log lines and the files of the core', () => {
    const { host, calls } = recordingHost();
    const fs = new MemoryFs();
    installHost({ ...host, fs });
    stderrLogger.info('hello');
    stderrLogger.warn('careful');
    fs.mkdirSync('/out');
    writeFileAtomicSync('/out/a.txt', 'é');
    expect(calls).toEqual(['log INFO:bert:hello', 'log WARNING:bert:careful']);
    expect([...fs.readFileSync('/out/a.txt')]).toEqual([0xc3, 0xa9]);
    expect(fs.readdirSync('/out')).toEqual(['a.txt']); // the temporary name was renamed away
  });

  it('runs the kernels on one thread where SharedArrayBuffer is not exposed (a page that is not cross-origin isolated)', async () => {
    const want = await createKernels({ backend: 'wasm', variant: 'simd', threads: 1 });
    const g = globalThis as { SharedArrayBuffer?: SharedArrayBufferConstructor };
    const sab = g.SharedArrayBuffer!;
    delete g.SharedArrayBuffer;
    try {
      const k = await createKernels({ backend: 'wasm', variant: 'simd', threads: 1 });
      const [got, ref] = [k, want].map((set) => {
        const c = randomProduct(set, 64, 48, 40);
        set.activationForward('gelu', c, c, c.length);
        return c;
      });
      expectSame(got!, ref!);
      expect(k.sumSquares(got!, got!.length)).toBeGreaterThan(0);
      await k.dispose();
      await expect(createKernels({ backend: 'wasm', threads: 2 })).rejects.toThrow(
        '2 kernel threads need SharedArrayBuffer, which this page does not have',
      );
      expect(browserHost.cpuCount()).toBe(1);
    } finally {
      g.SharedArrayBuffer = sab;
      await want.dispose();
    }
  });

  it('is required: without one the core names the entry points to import', async () => {
    vi.resetModules(); // a fresh host module, as in an application that imported no entry point
    const fresh = await import('../../src/host/host.js');
    expect(() => fresh.host()).toThrow(
      "no host installed: import 'bert-ts' (Node) or 'bert-ts/web' (browser) first",
    );
  });
});
