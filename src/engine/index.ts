// The engine's entry: createKernels picks the fast kernel set — the native one (C, AVX-512 or
// AVX2, a Node-API addon) where its binary loads, else WebAssembly SIMD over worker threads (the
// browser's engine too); the reference set and the contract are re-exported for tests and tools.
import { host } from '../host/host.js';
import type { Kernels } from './kernels.js';
import { createWasmKernels } from './wasm_kernels.js';
import { createNativeKernels, type NativeIsa } from './native_kernels.js';
import { loadNativeAddon } from './native_addon.js';
import { MAX_THREADS } from './pool.js';
import { ConfigError } from '../util/errors.js';
import type { KernelVariant } from './wasm_memory.js';

export type { Kernels, FloatArray, Activation } from './kernels.js';
export { createReferenceKernels } from './reference/index.js';
export { createWasmKernels } from './wasm_kernels.js';
export { createNativeKernels, type NativeIsa } from './native_kernels.js';
export type { KernelVariant } from './wasm_memory.js';

/** Which kernel set runs: 'auto' (native where it loads, else wasm), or one of them. */
export type Backend = 'auto' | 'native' | 'wasm';
export const BACKENDS: readonly Backend[] = ['auto', 'native', 'wasm'];

export interface KernelOptions {
  /** Threads, the main thread included; default: the machine's available parallelism (≤ 48). */
  threads?: number;
  /** Default 'auto': the native kernels where their binary loads here, else WebAssembly. */
  backend?: Backend;
  /** wasm: 'auto' (default) takes the relaxed-SIMD build (fused multiply-add) where supported. */
  variant?: KernelVariant | 'auto';
  /** native: the matrix product's instruction set, default the best this CPU runs. */
  isa?: NativeIsa;
}

/** True when the native kernels load in this process (backend 'auto' then takes them). */
export function nativeAvailable(): boolean {
  return typeof loadNativeAddon() !== 'string';
}

/** The fast float32 kernel set. Call dispose() when done (its threads never keep Node alive). */
export async function createKernels(options: KernelOptions = {}): Promise<Kernels<Float32Array>> {
  const threads = options.threads ?? Math.min(host().cpuCount(), MAX_THREADS);
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new ConfigError(`kernel threads ${threads}: expected an integer in [1, ${MAX_THREADS}]`);
  }
  const backend = options.backend ?? 'auto';
  if (!BACKENDS.includes(backend)) {
    throw new ConfigError(`backend '${String(backend)}': expected one of ${BACKENDS.join(', ')}`);
  }
  if (backend === 'native' || (backend === 'auto' && nativeAvailable())) {
    return createNativeKernels(threads, options.isa);
  }
  return createWasmKernels(threads, options.variant);
}
