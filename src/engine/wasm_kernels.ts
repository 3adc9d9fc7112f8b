// The fast kernel set: the AssemblyScript kernels of engine/wasm/ (WebAssembly SIMD, float32), with
// their rows, columns, elements or (batch, head) pairs split over the threads of engine/pool.ts.
// Buffers must come from this set's alloc/allocInt: views of the shared memory, whose byteOffset is
// their address for the kernels. The kernels themselves: wasm_dense.ts and wasm_layers.ts.
import type { Kernels } from './kernels.js';
import { WasmContext } from './wasm_context.js';
import type { KernelVariant } from './wasm_memory.js';
import * as dense from './wasm_dense.js';
import * as layers from './wasm_layers.js';

type F = Float32Array;

/**
 * The wasm kernel set on `threads` threads (the main thread and threads − 1 workers), from the
 * relaxed-SIMD build where the runtime supports it ('auto'), or the build asked for.
 */
export async function createWasmKernels(
  threads: number,
  variant: KernelVariant | 'auto' = 'auto',
): Promise<Kernels<F>> {
  const cx = await WasmContext.create(threads, variant);
  const k: Kernels<F> = {
    name: `wasm-${cx.variant === 'relaxed' ? 'relaxed-simd' : 'simd'} x${threads}`,
    threads,
    alloc: (n) => cx.arena.f32(n),
    allocInt: (n) => cx.arena.i32(n),
    dispose: () => cx.pool.dispose(),
    matmul: (...a) => dense.matmul(cx, ...a),
    biasBackward: (...a) => dense.biasBackward(cx, ...a),
    activationForward: (...a) => dense.activationForward(cx, ...a),
    activationBackward: (...a) => dense.activationBackward(cx, ...a),
    add: (...a) => dense.add(cx, ...a),
    accumulate: (...a) => dense.accumulate(cx, ...a),
    zero: (...a) => dense.zero(cx, ...a),
    sumSquares: (...a) => dense.sumSquares(cx, ...a),
    dropoutForward: (...a) => dense.dropoutForward(cx, ...a),
    dropoutBackward: (...a) => dense.dropoutBackward(cx, ...a),
    adamWeightDecay: (...a) => dense.adamWeightDecay(cx, ...a),
    layernormForward: (...a) => layers.layernormForward(cx, ...a),
    layernormBackward: (...a) => layers.layernormBackward(cx, ...a),
    embeddingsForward: (...a) => layers.embeddingsForward(cx, ...a),
    embeddingsBackward: (...a) => layers.embeddingsBackward(cx, ...a),
    attentionForward: (...a) => layers.attentionForward(cx, ...a),
    attentionBackward: (...a) => layers.attentionBackward(cx, ...a),
    crossEntropyForward: (...a) => layers.crossEntropyForward(cx, ...a),
    crossEntropyBackward: (...a) => layers.crossEntropyBackward(cx, ...a),
  };
  return k;
}
