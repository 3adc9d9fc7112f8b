// AssemblyScript kernels, compiled to build/kernels.wasm by scripts/build_wasm.mjs.
// Every function takes byte addresses into the shared memory and element counts.

/** out[i] = a[i] + b[i] for i < n (float32). */
export function residualForward(out: usize, a: usize, b: usize, n: i32): void {
  const end = (<usize>n) << 2;
  let o: usize = 0;
  for (; o + 16 <= end; o += 16) v128.store(out + o, f32x4.add(v128.load(a + o), v128.load(b + o)));
  for (; o < end; o += 4) store<f32>(out + o, load<f32>(a + o) + load<f32>(b + o));
}
