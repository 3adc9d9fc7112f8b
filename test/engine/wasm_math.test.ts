// The float32 exp inside the wasm kernels (softmax, GELU, cross-entropy), called directly: WebAssembly
// has no exp instruction, so engine/wasm/math.ts approximates it; this holds it to Math.exp.
import { describe, expect, it } from 'vitest';
import { compileKernelModule, createSharedMemory } from '../../src/engine/wasm_memory.js';

describe('wasm exp4', () => {
  it('relative error ≤ 3e-7 over [−87, 88]; 0 below −87.3', async () => {
    const { module } = await compileKernelModule();
    const memory = createSharedMemory(32);
    const { exports } = await WebAssembly.instantiate(module, { env: { memory } });
    const expForward = exports.expForward;
    if (typeof expForward !== 'function') throw new Error('no expForward export');
    const n = 100003;
    const base = 1 << 20;
    const inp = new Float32Array(memory.buffer, base, n);
    const out = new Float32Array(memory.buffer, base + 4 * n + 16, n);
    for (let i = 0; i < n; i++) inp[i] = -87 + (175 * i) / (n - 1);
    inp[0] = -100;
    expForward(out.byteOffset, inp.byteOffset, n);
    let worst = 0;
    for (let i = 1; i < n; i++) worst = Math.max(worst, Math.abs(out[i]! / Math.exp(inp[i]!) - 1));
    expect(worst).toBeLessThan(3e-7);
    expect(out[0]).toBe(0);
  });
});
