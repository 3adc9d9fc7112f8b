// Finding and loading the native kernels (src/engine/native/*.c, a Node-API addon): the binary
// built at npm install (build/Release/bert_native.node) or, where no compiler was there, the one
// shipped in the package (prebuilds/linux-x64/node.napi.glibc.node); node-gyp-build looks in both
// places, in that order (the host loads it: host/node.ts; a browser has none). Loaded once per
// process; when neither loads (another platform, no build, a browser) the reason is kept, so that
// backend 'auto' falls back to WebAssembly and 'native' can say why.
import { host, type Host } from '../host/host.js';

/** A kernel export: the kernel set, then typed arrays, nulls and numbers as in addon.c. */
export type NativeFn = (
  set: object,
  ...args: (Float32Array | Int32Array | number | null)[]
) => void;

type KernelName =
  | 'matmul'
  | 'biasBackward'
  | 'activationForward'
  | 'activationBackward'
  | 'add'
  | 'zero'
  | 'dropoutForward'
  | 'dropoutBackward'
  | 'layernormForward'
  | 'layernormBackward'
  | 'embeddingsForward'
  | 'embeddingsBackward'
  | 'attentionForward'
  | 'attentionBackward'
  | 'crossEntropyForward'
  | 'crossEntropyBackward'
  | 'adamWeightDecay';

/** The addon's exports (src/engine/native/addon.c); `set` is the external made by createSet. */
export interface NativeAddon extends Record<KernelName, NativeFn> {
  /** A kernel set on `threads` threads, or a string saying why not. */
  createSet(threads: number, isa: string): object | string;
  destroySet(set: object): void;
  /** The matrix product's instruction set: 'avx512', 'avx2' or 'generic'. */
  isa(set: object): string;
  /** Elements from the array's start to the next 64-byte boundary. */
  misalignment(a: Float32Array): number;
  sumSquares(set: object, x: Float32Array, n: number): number;
}

/** What each host's loader gave (one load per host: the addon belongs to the host). */
const loaded = new WeakMap<Host, { addon: NativeAddon } | { error: string }>();

/** The addon, or a one-line reason why it is not available here. */
export function loadNativeAddon(): NativeAddon | string {
  const h = host();
  let got = loaded.get(h);
  if (got === undefined) {
    const addon = h.loadNativeAddon();
    got = typeof addon === 'string' ? { error: addon } : { addon: addon as NativeAddon };
    loaded.set(h, got);
  }
  return 'addon' in got ? got.addon : got.error;
}
