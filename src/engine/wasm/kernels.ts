// The AssemblyScript kernels, compiled to build/kernels.wasm (and, with relaxed SIMD as well, to
// build/kernels-relaxed.wasm) by scripts/build_wasm.mjs with SIMD and shared-memory threads. Every export takes byte addresses into the one shared memory, sizes,
// and a [start, end) range of rows, columns, elements or (batch, head) pairs: the slice of the work
// the calling thread does (src/engine/pool.ts hands them out). Nothing here allocates or keeps
// state, so the same instance code runs on every thread.

export { expForward } from './math';
export { addRange, accumulateRange, zeroRange, sumSquaresChunks, adamRange } from './elementwise';
export { activationForwardRange, activationBackwardRange } from './activation';
export { dropoutForwardRange, dropoutBackwardRange } from './dropout';
export { matmulRange, biasBackwardRange, PACK_FLOATS } from './matmul';
export { layernormForwardRange, layernormBackwardRows, layernormBackwardCols } from './layernorm';
export { embeddingsForwardRange, embeddingsBackwardRange } from './embeddings';
export { crossEntropyForwardRange, crossEntropyBackwardRange } from './cross_entropy';
export { attentionForwardRange, attentionBackwardRange } from './attention';

/** First byte after AssemblyScript's static data: the arena of src/engine/wasm_memory.ts starts here. */
export function heapBase(): usize {
  return __heap_base;
}
