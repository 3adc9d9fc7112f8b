// Time of one BERT step (forward, and forward + classifier head + backward with dropout on) at
// BERT-Tiny's shapes (data/configs/uncased_L-2_H-128_A-2, B 32, T 128, 2 labels) on the reference
// kernels and on the WebAssembly kernels at 1 and N threads, with the matmul GFLOP/s it implies.
//
//   npm run build && node dist/bench/model_step.js [passes=5] [threads=2] [--no-reference]
// Median of the passes after one warm-up. Same-machine comparisons only (STYLE.md §9).
import '../src/host/node.js'; // first: the core runs on the Node host
import { forwardBackward } from '../src/model/task_model.js';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKernels, createReferenceKernels } from '../src/engine/index.js';
import type { FloatArray, Kernels } from '../src/engine/kernels.js';
import { BertConfig } from '../src/model/config.js';
import type { BertBatch } from '../src/model/bert_model.js';
import { createClassifierModel } from '../src/model/classifier_model.js';
import { Rng } from '../src/util/rng.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = here.includes('dist') ? resolve(here, '..', '..') : resolve(here, '..');
const [B, T] = [32, 128];

function batch(vocab: number): BertBatch {
  const rng = new Rng(1);
  const ids = Int32Array.from({ length: B * T }, () => rng.int(vocab));
  const mask = Int32Array.from({ length: B * T }, (_, i) => (i % T < T - 8 * (i % 3) ? 1 : 0));
  return {
    batchSize: B,
    seqLength: T,
    inputIds: ids,
    inputMask: mask,
    segmentIds: new Int32Array(B * T),
  };
}

/** Multiply-adds ×2 of the forward's matmuls (dense layers and attention scores/context). */
function forwardFlops(c: BertConfig): number {
  const { hidden_size: C, intermediate_size: I, num_hidden_layers: L } = c;
  const BT = B * T;
  const dense = 4 * BT * C * C + 2 * BT * C * I;
  const attention = 2 * B * T * T * C;
  return 2 * L * (dense + attention) + 2 * B * C * C;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time<A extends FloatArray>(k: Kernels<A>, config: BertConfig, passes: number): void {
  const m = createClassifierModel(k, config, { numLabels: 2, maxBatch: B, maxSeq: T, seed: 1 });
  const input = batch(config.vocab_size);
  const labels = Int32Array.from({ length: B }, (_, i) => i % 2);
  const fwd: number[] = [];
  const step: number[] = [];
  for (let p = 0; p <= passes; p++) {
    let t0 = performance.now();
    m.model.forward(input, { training: false, seed: p });
    const f = performance.now() - t0;
    t0 = performance.now();
    m.model.zeroGrad();
    forwardBackward(m, input, labels, { training: true, seed: p });
    const s = performance.now() - t0;
    if (p === 0) continue; // warm-up
    fwd.push(f);
    step.push(s);
  }
  const flops = forwardFlops(config);
  const [f, s] = [median(fwd), median(step)];
  console.log(
    `${k.name.padEnd(16)} forward ${f.toFixed(1).padStart(8)} ms (${(flops / f / 1e6).toFixed(2)} GFLOP/s)` +
      `   train step ${s.toFixed(1).padStart(8)} ms (${((3 * flops) / s / 1e6).toFixed(2)} GFLOP/s)`,
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const passes = Number(args[0] ?? 5);
  const threads = Number(args[1] ?? 2);
  const config = BertConfig.fromJsonFile(
    join(repo, 'data/configs/uncased_L-2_H-128_A-2/bert_config.json'),
  );
  console.log(
    `BERT-Tiny step, B ${B}, T ${T}; node ${process.version}, ${cpus()[0]?.model ?? '?'} ×${cpus().length}`,
  );
  if (!process.argv.includes('--no-reference')) time(createReferenceKernels('f32'), config, passes);
  for (const n of [...new Set([1, threads])]) {
    const k = await createKernels({ threads: n });
    time(k, config, passes);
    await k.dispose();
  }
}

await main();
