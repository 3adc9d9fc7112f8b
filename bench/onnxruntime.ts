// onnxruntime-node as the benches time it beside bert-ts (inference.bench.ts on the graph built in
// memory, predict.bench.ts on the exported onnx/model.onnx): a session fed B full-length rows of
// token ids, and the rule that keeps the comparison fair on a small machine.
// onnxruntime is timed twice and its better figure kept: with its pool threads spinning after a
// run (its default) — timed alone, because those spinning threads take the cores from whatever
// runs next in the process (bert-ts timed right after it lost 30-40 % at 2 threads on 2 cores) —
// and with spinning off, timed in turns with bert-ts (bench.ts interleavedMedians), so machine
// load hits them alike. Sessions: graph optimizations 'all', intraOpNumThreads = the threads of
// bert-ts, sequential execution. onnxruntime-node is imported when first used: it is a
// devDependency, and the other benches run without it.
import type { InferenceSession } from 'onnxruntime-node';
import { interleavedMedians } from './bench.js';

/** B rows of T tokens, row-major: ids, segment ids and mask (1 = a real token). */
export interface TokenRows {
  readonly ids: Int32Array;
  readonly types: Int32Array;
  readonly mask: Int32Array;
  /** Tokens per row. */
  readonly T: number;
}

/** A session with its inputs bound: run() is one batch, outputs by name (logits, …). */
export interface OnnxruntimeRunner {
  run(): Promise<InferenceSession.OnnxValueMapType>;
  release(): Promise<void>;
}

/** An InferenceSession on `model` (a file or the model's bytes) fed `x`. */
export async function onnxruntimeSession(
  model: string | Uint8Array,
  x: TokenRows,
  threads: number,
  spinning: boolean,
): Promise<OnnxruntimeRunner> {
  const ort = await import('onnxruntime-node');
  const options: InferenceSession.SessionOptions = {
    graphOptimizationLevel: 'all',
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    extra: { session: { intra_op: { allow_spinning: spinning ? '1' : '0' } } },
  };
  const session =
    typeof model === 'string'
      ? await ort.InferenceSession.create(model, options)
      : await ort.InferenceSession.create(model, options);
  const dims = [x.ids.length / x.T, x.T];
  const int64 = (a: Int32Array) => new ort.Tensor('int64', BigInt64Array.from(a, BigInt), dims);
  const feeds = {
    input_ids: int64(x.ids),
    attention_mask: int64(x.mask),
    token_type_ids: int64(x.types),
  };
  return { run: () => session.run(feeds), release: () => session.release() };
}

/**
 * Median ms of one call of each of `bertTs`, and onnxruntime's at its better configuration (see
 * the header): `session(spinning)` opens the session to time; each is released after its timing.
 */
export async function timeBesideOnnxruntime(
  bertTs: readonly (() => unknown)[],
  session: (spinning: boolean) => Promise<OnnxruntimeRunner>,
  reps: number,
): Promise<{ bertTsMs: number[]; onnxruntimeMs: number }> {
  const quiet = await session(false);
  const ms = await interleavedMedians([...bertTs, quiet.run], reps).finally(() => quiet.release());
  const quietMs = ms.pop()!;
  const spinning = await session(true);
  const [spinningMs] = await interleavedMedians([spinning.run], reps).finally(() =>
    spinning.release(),
  );
  return { bertTsMs: ms, onnxruntimeMs: Math.min(quietMs, spinningMs!) };
}
