// The reference kernel set (STYLE.md §5): plain TypeScript loops over Float32Array or
// Float64Array buffers. It is the specification — every other kernel set is tested against it —
// and, in float64, the oracle of the finite-difference gradient checks.
import type { Kernels } from '../kernels.js';
import { matmul, biasBackward } from './matmul.js';
import { activationForward, activationBackward } from './activation.js';
import { add, accumulate, sumSquares, zero } from './elementwise.js';
import { layernormForward, layernormBackward } from './layernorm.js';
import { dropoutForward, dropoutBackward } from './dropout.js';
import { embeddingsForward, embeddingsBackward } from './embeddings.js';
import { attentionForward, attentionBackward } from './attention.js';
import { crossEntropyForward, crossEntropyBackward } from './cross_entropy.js';
import { adamWeightDecay } from './adam.js';

export type Precision = 'f32' | 'f64';

const KERNEL_FUNCTIONS = {
  threads: 1,
  allocInt: (n: number) => new Int32Array(n),
  dispose: () => Promise.resolve(),
  matmul,
  biasBackward,
  activationForward,
  activationBackward,
  add,
  accumulate,
  zero,
  sumSquares,
  layernormForward,
  layernormBackward,
  dropoutForward,
  dropoutBackward,
  embeddingsForward,
  embeddingsBackward,
  attentionForward,
  attentionBackward,
  crossEntropyForward,
  crossEntropyBackward,
  adamWeightDecay,
};

/** The reference kernels on float32 buffers ('f32') or float64 buffers ('f64'). */
export function createReferenceKernels(precision: 'f32'): Kernels<Float32Array>;
export function createReferenceKernels(precision: 'f64'): Kernels<Float64Array>;
export function createReferenceKernels(
  precision: Precision,
): Kernels<Float32Array> | Kernels<Float64Array>;
export function createReferenceKernels(
  precision: Precision,
): Kernels<Float32Array> | Kernels<Float64Array> {
  if (precision === 'f32') {
    const k: Kernels<Float32Array> = {
      ...KERNEL_FUNCTIONS,
      name: 'reference-f32',
      alloc: (n) => new Float32Array(n),
    };
    return k;
  }
  const k: Kernels<Float64Array> = {
    ...KERNEL_FUNCTIONS,
    name: 'reference-f64',
    alloc: (n) => new Float64Array(n),
  };
  return k;
}
