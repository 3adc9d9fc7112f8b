// What every wasm kernel call needs: the compiled module's exports bound on the main thread, the
// worker pool, the arena of the shared memory, and the per-thread scratch. wasm_dense.ts and
// wasm_layers.ts implement the kernels on top of it; wasm_kernels.ts assembles the Kernels object.
import { BertError, check } from '../util/errors.js';
import {
  Arena,
  compileKernelModule,
  createSharedMemory,
  type KernelVariant,
} from './wasm_memory.js';
import { Pool, type Chunks, type WasmFn } from './pool.js';
import { chunking } from './wasm_split.js';

/** The kernel exports the pool calls, by index into this list (the workers bind the same list). */
const OPS = [
  'matmulRange',
  'biasBackwardRange',
  'activationForwardRange',
  'activationBackwardRange',
  'addRange',
  'accumulateRange',
  'zeroRange',
  'sumSquaresChunks',
  'layernormForwardRange',
  'layernormBackwardRows',
  'layernormBackwardCols',
  'dropoutForwardRange',
  'dropoutBackwardRange',
  'embeddingsForwardRange',
  'embeddingsBackwardRange',
  'attentionForwardRange',
  'attentionBackwardRange',
  'crossEntropyForwardRange',
  'crossEntropyBackwardRange',
  'adamRange',
  'expForward',
] as const;
export type Op = (typeof OPS)[number];
const OP_INDEX = new Map<Op, number>(OPS.map((name, i) => [name, i]));

/** Floats of matmul packing scratch per thread (engine/wasm/matmul.ts PACK_FLOATS = KC·NC + 4·KC). */
export const PACK_FLOATS = 512 * 256 + 4 * 512;
/** Initial memory (16 MiB): the module's static data is a few KB; the arena grows as needed. */
const INITIAL_PAGES = 256;

/** Binds the exports named in OPS (and heapBase), checking that the module has them all. */
function bindExports(instance: WebAssembly.Instance): { fns: WasmFn[]; heapBase: number } {
  const get = (name: string): WasmFn => {
    const f = instance.exports[name];
    if (typeof f !== 'function') {
      throw new BertError(`build/kernels.wasm: no export ${name}`, 'run `npm run build:wasm`');
    }
    return f as WasmFn;
  };
  return { fns: OPS.map(get), heapBase: Number(get('heapBase')()) };
}

export class WasmContext {
  private scratchBytes = 0;
  private partials: Float64Array = new Float64Array(0);

  private constructor(
    readonly pool: Pool,
    readonly arena: Arena,
    readonly variant: KernelVariant,
  ) {
    this.ensureScratch(4 * PACK_FLOATS);
  }

  /** Compiles the module, instantiates it on a fresh shared memory and starts the pool. */
  static async create(threads: number, want: KernelVariant | 'auto'): Promise<WasmContext> {
    const { module, variant } = await compileKernelModule(want);
    const memory = createSharedMemory(INITIAL_PAGES);
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    const { fns, heapBase } = bindExports(instance);
    const pool = await Pool.create(module, memory, OPS, fns, threads);
    return new WasmContext(pool, new Arena(memory, heapBase), variant);
  }

  get threads(): number {
    return this.pool.threads;
  }

  /** Byte address of an arena buffer (0 for null: "none" to the kernels). */
  at(a: ArrayBufferView | null): number {
    if (a === null) return 0;
    check(this.arena.owns(a), () => 'internal: a buffer not allocated by this kernel set');
    return a.byteOffset;
  }

  run(op: Op, args: readonly number[], chunks: Chunks): void {
    this.pool.run(OP_INDEX.get(op)!, args, chunks);
  }

  /** Splits `total` items of `grain` over the threads when `work` operations are worth it. */
  split(total: number, grain: number, work: number): Chunks {
    return chunking(this.threads, total, grain, work);
  }

  /** A float64 arena buffer of at least n elements for reductions, reused between calls. */
  reductionBuffer(n: number): Float64Array {
    if (this.partials.length < n) this.partials = this.arena.f64(Math.max(n, 1024));
    return this.partials;
  }

  /** Gives every thread at least `bytes` of scratch (a fresh block when it must grow). */
  ensureScratch(bytes: number): void {
    if (bytes <= this.scratchBytes) return;
    const ptrs: number[] = [];
    for (let t = 0; t < this.threads; t++) ptrs.push(this.arena.allocBytes(bytes + 64));
    this.pool.setScratch(ptrs);
    this.scratchBytes = bytes;
  }
}
