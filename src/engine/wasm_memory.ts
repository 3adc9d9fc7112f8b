// The WebAssembly side of the engine: compiling build/kernels(-relaxed).wasm (its bytes come from
// the host: the package's build/ folder in Node, fetched in a browser), the one
// shared WebAssembly.Memory every thread's instance imports, and the bump allocator (the arena)
// that hands out Float32Array / Int32Array views of it. Memory layout, low to high:
//   [0, heapBase)          AssemblyScript's static data (constants of the stdlib's tanh/log)
//   [heapBase, top)        the arena: buffers from alloc(), each thread's packing and attention
//                          scratch, sum partials — all bump-allocated, 16-byte aligned, never freed
// The arena opens with a random 16-byte tag. Views stay valid when the memory grows (shared memory
// is never detached), but V8 hands out new SharedArrayBuffer objects for it whenever any shared
// memory of the thread grows, so a view is recognised as ours by the tag its buffer holds at the
// arena's start (then its buffer object is remembered), not by the identity of memory.buffer.
import { host } from '../host/host.js';
import { BertError, ShapeError } from '../util/errors.js';

const PAGE = 65536;
/** 4 GiB: the wasm32 limit; shared memories must declare a maximum. */
const MAX_PAGES = 65536;

/**
 * The two builds of the kernels: 'simd' (WebAssembly SIMD, runs wherever Node 20 does) and
 * 'relaxed' (also relaxed SIMD: the matmul micro-kernel's multiply-adds are fused, one
 * instruction and one rounding each). 'auto' takes 'relaxed' where this V8 accepts it.
 */
export type KernelVariant = 'simd' | 'relaxed';

const WASM_FILES: Record<KernelVariant, string> = {
  simd: 'kernels.wasm',
  relaxed: 'kernels-relaxed.wasm',
};

/**
 * Compiles build/kernels-relaxed.wasm or build/kernels.wasm (made by `npm run build:wasm`, part
 * of `npm run build`, and shipped in the package). 'auto': the relaxed build when WebAssembly.validate accepts it, else the
 * plain one; asking for 'relaxed' where it does not validate is an error.
 */
export async function compileKernelModule(
  want: KernelVariant | 'auto' = 'auto',
): Promise<{ module: WebAssembly.Module; variant: KernelVariant }> {
  if (want !== 'simd') {
    const bytes = await host().kernelWasm(WASM_FILES.relaxed);
    // Node 20 has relaxed SIMD behind a flag; later Node versions and browsers ship it.
    if (!WebAssembly.validate(bytes)) host().enableRelaxedSimd();
    if (WebAssembly.validate(bytes)) {
      return { module: await WebAssembly.compile(bytes), variant: 'relaxed' };
    }
    if (want === 'relaxed') {
      throw new BertError(`${WASM_FILES.relaxed}: this runtime does not support relaxed SIMD`);
    }
  }
  const bytes = await host().kernelWasm(WASM_FILES.simd);
  return { module: await WebAssembly.compile(bytes), variant: 'simd' };
}

/** A shared memory of `pages` 64 KiB pages that can grow to 4 GiB. */
export function createSharedMemory(pages: number): WebAssembly.Memory {
  return new WebAssembly.Memory({ initial: pages, maximum: MAX_PAGES, shared: true });
}

/** Bump allocator over the shared memory, from `base` up. */
export class Arena {
  private top: number;
  private readonly base: number;
  private readonly tag: Int32Array;
  private readonly buffers = new WeakSet<ArrayBufferLike>();

  constructor(
    readonly memory: WebAssembly.Memory,
    heapBase: number,
  ) {
    this.base = align16(heapBase);
    this.tag = crypto.getRandomValues(new Int32Array(4));
    new Int32Array(memory.buffer, this.base, 4).set(this.tag);
    this.top = this.base + 16;
  }

  /** Byte offset of `bytes` fresh zeroed bytes, 16-byte aligned; grows the memory if needed. */
  allocBytes(bytes: number): number {
    const at = this.top;
    const end = align16(at + bytes);
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      if (have / PAGE + pages > MAX_PAGES) {
        throw new ShapeError(
          `wasm arena: ${bytes} more bytes would pass the 4 GiB limit of wasm32 memory (${at} in use)`,
        );
      }
      this.memory.grow(pages);
    }
    this.top = end;
    return at;
  }

  f32(n: number): Float32Array {
    const at = this.allocBytes(4 * n); // first: it may grow the memory (a new buffer)
    return new Float32Array(this.memory.buffer, at, n);
  }

  i32(n: number): Int32Array {
    const at = this.allocBytes(4 * n); // first: it may grow the memory (a new buffer)
    return new Int32Array(this.memory.buffer, at, n);
  }

  f64(n: number): Float64Array {
    const at = this.allocBytes(8 * n); // first: it may grow the memory (a new buffer)
    return new Float64Array(this.memory.buffer, at, n);
  }

  /** True when `a` is a view of this arena's memory lying inside the allocated part. */
  owns(a: ArrayBufferView): boolean {
    if (a.byteOffset < this.base + 16 || a.byteOffset + a.byteLength > this.top) return false;
    if (this.buffers.has(a.buffer)) return true;
    // Not `instanceof SharedArrayBuffer`: a page that is not cross-origin isolated has no such
    // global, yet its wasm memory is shared (and then runs on one thread).
    if (Object.prototype.toString.call(a.buffer) !== '[object SharedArrayBuffer]') return false;
    const tag = new Int32Array(a.buffer, this.base, 4);
    if (tag.some((x, i) => x !== this.tag[i])) return false;
    this.buffers.add(a.buffer);
    return true;
  }

  /** Bytes handed out so far, static data included. */
  get used(): number {
    return this.top;
  }
}

function align16(x: number): number {
  return Math.ceil(x / 16) * 16; // not `& ~15`: offsets pass 2³¹
}
