// AdamWeightDecay as optimization.py: optimization_test.py's case, two steps worked out by hand
// (no bias correction; decay only where the flag says), and clip_by_global_norm.
import { describe, expect, it } from 'vitest';
import type { FloatArray, Kernels } from '../../src/engine/kernels.js';
import { createReferenceKernels } from '../../src/engine/reference/index.js';
import {
  AdamWeightDecay,
  globalNormClip,
  type ParamEntry,
} from '../../src/train/adam_weight_decay.js';

const OPT = { weightDecayRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-6 };
/** A kernel (decayed) and a bias (not), one element each. */
const entries2: ParamEntry[] = [
  { name: 'layer/dense/kernel', offset: 0, size: 1, decay: true },
  { name: 'layer/dense/bias', offset: 1, size: 1, decay: false },
];

function optimizationTestCase<A extends FloatArray>(k: Kernels<A>): void {
  const entries: ParamEntry[] = [{ name: 'w', offset: 0, size: 3, decay: false }];
  // AdamWeightDecayOptimizer(learning_rate=0.2): weight_decay_rate defaults to 0.
  const opt = new AdamWeightDecay(k, entries, 3, { ...OPT, weightDecayRate: 0 });
  const w = k.alloc(3);
  w.set([0.1, -0.2, -0.1]);
  const x = [0.4, 0.2, -0.5];
  const g = k.alloc(3);
  for (let step = 0; step < 100; step++) {
    // loss = mean((x − w)²) → dloss/dw = −2(x − w)/3
    for (let i = 0; i < 3; i++) g[i] = (-2 * (x[i]! - w[i]!)) / 3;
    opt.apply(w, g, 0.2);
  }
  for (let i = 0; i < 3; i++)
    expect(Math.abs(w[i]! - x[i]!)).toBeLessThanOrEqual(1e-2 + 1e-2 * Math.abs(x[i]!));
}

describe('optimization_test.py: w → x in 100 steps at lr 0.2 (|w − x| ≤ 1e-2 + 1e-2·|x|)', () => {
  it('f32 reference kernels', () => optimizationTestCase(createReferenceKernels('f32')));
  it('f64 reference kernels', () => optimizationTestCase(createReferenceKernels('f64')));
});

describe('two steps by hand (p = 1, g = 0.5, lr = 0.1; f64 to 1e-12, f32 to 1e-6)', () => {
  // step 1: m = 0.1·0.5 = 0.05; v = 0.001·0.25 = 0.00025; √v = 0.0158113883
  //   decayed kernel: u = 0.05/(0.0158113883 + 1e-6) + 0.01·1 = 3.17207767281669
  //   p = 1 − 0.1·u = 0.6827922327183309      (bias: u without 0.01·p → p = 0.683792232718331)
  // step 2: m = 0.9·0.05 + 0.05 = 0.095; v = 0.999·0.00025 + 0.00025 = 0.00049975
  //   u = 0.095/(0.0223550889 + 1e-6) + 0.01·0.6827922 = 4.256229523787266
  //   p = 0.6827922327 − 0.4256229524 = 0.25716928033960423 (bias: 0.2588520725723227)
  const entries = entries2;
  function twoSteps<A extends FloatArray>(k: Kernels<A>, tol: number): void {
    const opt = new AdamWeightDecay(k, entries, 2, OPT);
    const p = k.alloc(2);
    p.set([1, 1]);
    const g = k.alloc(2);
    const want = [
      [0.6827922327183309, 0.683792232718331],
      [0.25716928033960423, 0.2588520725723227],
    ];
    for (const [kernel, bias] of want) {
      g.set([0.5, 0.5]);
      opt.apply(p, g, 0.1);
      expect(Math.abs(p[0]! - kernel!)).toBeLessThanOrEqual(tol);
      expect(Math.abs(p[1]! - bias!)).toBeLessThanOrEqual(tol);
    }
    expect(opt.m[0]).toBeCloseTo(0.095, 6);
    expect(opt.v[1]).toBeCloseTo(0.00049975, 9);
  }
  it('f64', () => twoSteps(createReferenceKernels('f64'), 1e-12));
  it('f32', () => twoSteps(createReferenceKernels('f32'), 1e-6));
  it('names the slots <name>/adam_m and <name>/adam_v, as views of m and v', () => {
    const k = createReferenceKernels('f32');
    const opt = new AdamWeightDecay(k, entries, 2, OPT);
    opt.m[1] = 7;
    const slots = [...opt.namedSlots()];
    expect(slots.map((s) => s.name)).toEqual([
      'layer/dense/kernel/adam_m',
      'layer/dense/kernel/adam_v',
      'layer/dense/bias/adam_m',
      'layer/dense/bias/adam_v',
    ]);
    expect(slots[2]!.data[0]).toBe(7);
  });
});

describe('globalNormClip(1.0)', () => {
  const k = createReferenceKernels('f64');
  it('gives [3, 4] (norm 5) the factor 0.2 in float32', () => {
    const g = k.alloc(2);
    g.set([3, 4]);
    expect(globalNormClip(k, g, 2)).toEqual({ norm: 5, scale: Math.fround(0.2) });
    expect(Array.from(g)).toEqual([3, 4]);
  });
  it('leaves [0.3, 0.4] (norm 0.5) at factor 1', () => {
    const g = k.alloc(2);
    g.set([0.3, 0.4]);
    const clip = globalNormClip(k, g, 2);
    expect(clip.norm).toBeCloseTo(0.5, 15);
    expect(clip.scale).toBe(1);
  });
  it('gives NaN when the norm is not finite, which makes every update NaN, as TF does', () => {
    const g = k.alloc(2);
    g.set([Infinity, 1]);
    const clip = globalNormClip(k, g, 2);
    const opt = new AdamWeightDecay(k, entries2, 2, OPT);
    const p = k.alloc(2);
    opt.apply(p, g, 0.1, clip.scale);
    expect(Number.isNaN(p[1])).toBe(true);
  });
  it('apply(scale) equals apply on gradients scaled in float32 first, bit for bit', () => {
    const k32 = createReferenceKernels('f32');
    const [a, b] = [
      new AdamWeightDecay(k32, entries2, 2, OPT),
      new AdamWeightDecay(k32, entries2, 2, OPT),
    ];
    const [pa, pb, g, gScaled] = [k32.alloc(2), k32.alloc(2), k32.alloc(2), k32.alloc(2)];
    pa.set([1, -1]);
    pb.set([1, -1]);
    g.set([3, 4]);
    const { scale } = globalNormClip(k32, g, 2);
    gScaled.set([Math.fround(3 * scale), Math.fround(4 * scale)]);
    a.apply(pa, g, 0.1, scale);
    b.apply(pb, gScaled, 0.1);
    expect(Array.from(pa)).toEqual(Array.from(pb));
  });
});
