// The engine's entry: createKernels picks the fast kernel set (WebAssembly SIMD over worker
// threads); the reference set and the contract are re-exported for tests and tools.
import { availableParallelism } from 'node:os';
import type { Kernels } from './kernels.js';
import { createWasmKernels } from './wasm_kernels.js';
import { MAX_THREADS } from './pool.js';
import { ConfigError } from '../util/errors.js';
import type { KernelVariant } from './wasm_memory.js';

export type { Kernels, FloatArray, Activation } from './kernels.js';
export { createReferenceKernels } from './reference/index.js';
export { createWasmKernels } from './wasm_kernels.js';
export type { KernelVariant } from './wasm_memory.js';

export interface KernelOptions {
  /** Threads, the main thread included; default: the machine's available parallelism (≤ 48). */
  threads?: number;
  /** 'auto' (default): the relaxed-SIMD build (fused multiply-add) where supported, else 'simd'. */
  variant?: KernelVariant | 'auto';
}

/** The fast float32 kernel set. Call dispose() when done (its workers never keep Node alive). */
export async function createKernels(options: KernelOptions = {}): Promise<Kernels<Float32Array>> {
  const threads = options.threads ?? Math.min(availableParallelism(), MAX_THREADS);
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new ConfigError(`kernel threads ${threads}: expected an integer in [1, ${MAX_THREADS}]`);
  }
  return createWasmKernels(threads, options.variant);
}
