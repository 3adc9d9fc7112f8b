// Element functions written so that GCC and Clang vectorise the loops that call them (no branches,
// no library calls): e^x and the pieces of GELU. Loops over them are compiled once per instruction
// set with SIMD_CLONES (AVX-512, AVX2 + FMA, baseline x86-64), and the dynamic loader picks the
// clone for the CPU it runs on (GNU ifunc), so one binary uses AVX-512 where the CPU has it.
//
// exp: Cody–Waite range reduction x = n·ln2 + r, |r| ≤ ln2/2, the degree-6 minimax polynomial of
// Cephes' expf (S. Moshier) for e^r, and 2^n built in the exponent bits — the same approximation
// as the WebAssembly kernels (src/engine/wasm/math.ts): relative error ≈ 2 ulp on [−87.3, 88.3],
// 0 below (float32 underflow), saturating above.
#ifndef BERT_NATIVE_VECMATH_H
#define BERT_NATIVE_VECMATH_H

#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define SIMD_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define SIMD_CLONES
#endif

static inline float bits_to_float(uint32_t u) {
  float f;
  memcpy(&f, &u, sizeof f);
  return f;
}

static inline uint32_t float_to_bits(float f) {
  uint32_t u;
  memcpy(&u, &f, sizeof u);
  return u;
}

static inline float exp_approx(float x) {
  const float lo = -87.3f, hi = 88.3f;
  const float under = x < lo ? 0.0f : 1.0f;
  x = x < lo ? lo : x > hi ? hi : x;
  // n = round(x·log2 e) by the 1.5·2^23 rounder; n + 127 lands in the sum's low mantissa bits
  const float rounder = 12583039.0f;  // 1.5·2^23 + 127
  const float shifted = x * 1.44269504f + rounder;
  const float fn = shifted - rounder;
  float r = x - fn * 0.693359375f;
  r = r - fn * -2.1219444e-4f;
  float y = 1.98756915e-4f;
  y = y * r + 1.3981999507e-3f;
  y = y * r + 8.3334519073e-3f;
  y = y * r + 4.1665795894e-2f;
  y = y * r + 1.6666665459e-1f;
  y = y * r + 5.0000001201e-1f;
  y = y * (r * r) + r + 1.0f;
  return y * bits_to_float(float_to_bits(shifted) << 23) * under;
}

#endif
