// `bert serve` as a child process on 127.0.0.1 and a free port (--port=0; the URL is read from
// its startup line), for the CLI test and the load test: start it, wait until it serves,
// read its log lines, send it a signal and wait for its exit code. The startup line is the sign
// that the model is loaded (the server listens before, answering /healthz 503).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { packageDir } from '../src/api/assets.js';

/** The built CLI (npm run build). */
const CLI = join(packageDir, 'dist', 'src', 'cli', 'run.js');

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** stdout lines parsed as JSON (pino), in order, as they arrive. */
  readonly logs: Record<string, unknown>[];
  readonly stderr: () => string;
  /** Sends `signal` and resolves with the exit code (null if killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resolves with the exit code once it exits by itself. */
  readonly exited: Promise<number | null>;
}

/** Starts `bert serve --host=127.0.0.1 --port=0 ...args` and resolves once the model is served. */
export async function startServe(args: string[], timeoutMs = 120_000): Promise<ServeProcess> {
  const child = spawn(process.execPath, [CLI, 'serve', '--host=127.0.0.1', '--port=0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const url = new Promise<string>((resolveUrl, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = JSON.parse(buf.slice(0, nl)) as Record<string, unknown>;
        buf = buf.slice(nl + 1);
        logs.push(line);
        if (typeof line.url === 'string' && 'model_name' in line) resolveUrl(line.url);
      }
    });
    void exited.then((code) =>
      reject(new Error(`bert serve exited ${code} before serving:\n${err}`)),
    );
    setTimeout(
      () => reject(new Error(`bert serve not ready in ${timeoutMs} ms:\n${err}`)),
      timeoutMs,
    ).unref();
  });
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null) child.kill(signal);
    return exited;
  };
  try {
    return { child, url: await url, logs, stderr: () => err, stop, exited };
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
}

/** The value of one sample line of a Prometheus text page, e.g. process_resident_memory_bytes. */
export function metricValue(text: string, sample: string): number {
  for (const line of text.split('\n'))
    if (line.startsWith(sample + ' ')) return Number(line.slice(sample.length + 1));
  throw new Error(`metric ${sample} not in /metrics`);
}
