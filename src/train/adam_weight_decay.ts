// optimization.py's optimizer: clip_by_global_norm(1.0) over every gradient, then
// AdamWeightDecayOptimizer per variable — m = β1·m + (1−β1)·g, v = β2·v + (1−β2)·g²,
// u = m/(√v + ε) (+ wd·param where decay applies), param −= lr·u — with NO bias correction
// (unlike Adam/AdamW elsewhere). The arithmetic is the kernel's (Kernels.adamWeightDecay); this
// file owns the slots m and v, laid out like the parameters, and their checkpoint names.
import type { FloatArray, Kernels } from '../engine/kernels.js';
import { check } from '../util/errors.js';

/** One parameter tensor inside the flat parameter buffer (the model layout's entries). */
export interface ParamEntry {
  /** Google's TF variable name, e.g. bert/encoder/layer_0/output/dense/kernel. */
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  /** False for names matching LayerNorm, layer_norm or bias (create_optimizer's exclude list). */
  readonly decay: boolean;
}

export interface AdamOptions {
  /** create_optimizer uses 0.01; AdamWeightDecayOptimizer's own default (and its test) is 0. */
  readonly weightDecayRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

/** The values create_optimizer passes. */
export const CREATE_OPTIMIZER_DEFAULTS: AdamOptions = {
  weightDecayRate: 0.01,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-6,
};

/** The checkpoint names of a variable's two slots. */
export function slotNames(name: string): { m: string; v: string } {
  return { m: `${name}/adam_m`, v: `${name}/adam_v` };
}

/** A typed view of n elements from offset (subarray keeps the buffer, so wasm sees the same memory). */
export function view<A extends FloatArray>(a: A, offset: number, n: number): A {
  return a.subarray(offset, offset + n) as A;
}

/** clip_by_global_norm's factor and the norm it came from. */
export interface GlobalNormClip {
  /** The global norm of the gradients before clipping. */
  readonly norm: number;
  /** What every gradient is multiplied by: 1 when the norm is within clipNorm. */
  readonly scale: number;
}

/**
 * tf.clip_by_global_norm(grads, clip_norm) over the whole gradient buffer (n elements): the factor
 * clip_norm / max(global_norm, clip_norm), which AdamWeightDecay.apply multiplies in (so the
 * gradients are read once, not scaled in place first). As in TF, a non-finite norm gives NaN,
 * which turns every gradient into NaN.
 */
export function globalNormClip<A extends FloatArray>(
  k: Kernels<A>,
  grads: A,
  n: number,
  clipNorm = 1.0,
): GlobalNormClip {
  const norm = Math.sqrt(k.sumSquares(grads, n));
  if (!Number.isFinite(norm)) return { norm, scale: NaN };
  // TF: scale = clip_norm · min(1/norm, 1/clip_norm) in float32.
  if (norm > clipNorm) return { norm, scale: Math.fround(clipNorm * Math.fround(1 / norm)) };
  return { norm, scale: 1 };
}

/**
 * The runs [start, end) of decaying variables, adjacent ones merged (the kernel's `decayRuns`).
 * `_do_use_weight_decay` decides per variable: no decay at rate 0 or for an excluded name.
 */
function decayRuns(entries: readonly ParamEntry[]): number[] {
  const runs: number[] = [];
  const sorted = [...entries].filter((e) => e.decay).sort((a, b) => a.offset - b.offset);
  for (const e of sorted) {
    const last = runs.length - 1;
    if (last > 0 && runs[last] === e.offset) runs[last] = e.offset + e.size;
    else runs.push(e.offset, e.offset + e.size);
  }
  return runs;
}

/** AdamWeightDecayOptimizer's state: the m and v slots of every parameter, zero-initialised. */
export class AdamWeightDecay<A extends FloatArray> {
  /** First and second moments, same layout as the parameters. */
  readonly m: A;
  readonly v: A;
  private readonly decayRuns: Int32Array;

  constructor(
    private readonly k: Kernels<A>,
    readonly entries: readonly ParamEntry[],
    readonly size: number,
    readonly options: AdamOptions = CREATE_OPTIMIZER_DEFAULTS,
  ) {
    for (const e of entries)
      check(e.offset >= 0 && e.offset + e.size <= size, () => `internal: ${e.name} outside buffer`);
    this.m = k.alloc(size);
    this.v = k.alloc(size);
    const runs = options.weightDecayRate === 0 ? [] : decayRuns(entries);
    this.decayRuns = k.allocInt(runs.length);
    this.decayRuns.set(runs);
  }

  /**
   * One update of the whole buffer with learning rate lr, the gradients multiplied by gradScale
   * (globalNormClip's scale) on the way in.
   */
  apply(params: A, grads: A, lr: number, gradScale = 1): void {
    const o = this.options;
    this.k.adamWeightDecay(
      params,
      grads,
      this.m,
      this.v,
      this.size,
      this.decayRuns,
      lr,
      o.beta1,
      o.beta2,
      o.epsilon,
      o.weightDecayRate,
      gradScale,
    );
  }

  /** The slots as (checkpoint name, view) pairs: `<name>/adam_m`, `<name>/adam_v`. */
  *namedSlots(): Generator<{ name: string; entry: ParamEntry; data: A }> {
    for (const e of this.entries) {
      const s = slotNames(e.name);
      yield { name: s.m, entry: e, data: view(this.m, e.offset, e.size) };
      yield { name: s.v, entry: e, data: view(this.v, e.offset, e.size) };
    }
  }
}
