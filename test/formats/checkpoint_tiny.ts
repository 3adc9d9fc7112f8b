// Synthetic checkpoints shaped like Google's real ones: names, dtypes and shapes taken from a
// staged .index, weights from a seeded generator, Adam slots zero (as at step 0), global_step set.
import { join } from 'node:path';
import { TFCheckpointReader } from '../../src/formats/checkpoint/bundle_reader.js';
import { type Tensor, numElements } from '../../src/formats/checkpoint/tensor.js';
import { CKPT_DIR } from './checkpoint_listing.js';

export const MRPC_343 = join(CKPT_DIR, 'bert_tiny_mrpc_finetuned/model.ckpt-343');
export const PRETRAIN_20 = join(CKPT_DIR, 'bert_tiny_pretrain_sample_text/model.ckpt-20');

/** Deterministic floats in [-1, 1) (a 32-bit LCG; the values only need to differ). */
function randomFloats(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Every tensor of the checkpoint at `prefix`, with synthetic values. */
export function tensorsLike(prefix: string, seed: number, step = 343n): Tensor[] {
  const r = new TFCheckpointReader(prefix);
  return r.names().map((name, i): Tensor => {
    const { shape } = r.info(name);
    if (name === 'global_step')
      return { name, dtype: 'int64', shape, data: new BigInt64Array([step]) };
    const n = numElements(shape);
    const data = /\/adam_[mv]$/.test(name) ? new Float32Array(n) : randomFloats(n, seed + i);
    return { name, dtype: 'float32', shape, data };
  });
}

/** The 124 tensors of the BERT-Tiny MRPC fine-tune (classifier head, Adam slots, global_step). */
export function bertTinyTensors(seed: number): Tensor[] {
  return tensorsLike(MRPC_343, seed);
}
