// The AVX-512 micro-kernel of gemm.h: a 12×32 tile of C in 24 zmm accumulators. Per k it loads
// one row of the B panel (two zmm of 16 floats) and broadcasts each of the 12 A values of the
// strip (12 row streams at fixed offsets) into 2 FMAs: 24 FMAs to 2 loads + 12 broadcasts, with 24 + 2 + 1 of the 32 zmm registers
// live. Two FMA ports retire those 24 FMAs in 12 cycles, latency 4: 24 independent accumulators
// cover 2 ports × 4 cycles, so the FMA units never wait. Edge tiles use masked loads and stores
// with the same additions, so a C element's value never depends on where its tile starts.
#if defined(__x86_64__)
#include <immintrin.h>

#include "gemm.h"

#define MR 12
#define NR 32

__attribute__((target("avx512f"))) static void finish_row(float *c, __m512 lo, __m512 hi,
                                                         const float *bias, int load_c,
                                                         __mmask16 m0, __mmask16 m1) {
  if (bias) {
    lo = _mm512_add_ps(lo, _mm512_maskz_loadu_ps(m0, bias));
    hi = _mm512_add_ps(hi, _mm512_maskz_loadu_ps(m1, bias + 16));
  }
  if (load_c) {
    lo = _mm512_add_ps(lo, _mm512_maskz_loadu_ps(m0, c));
    hi = _mm512_add_ps(hi, _mm512_maskz_loadu_ps(m1, c + 16));
  }
  _mm512_mask_storeu_ps(c, m0, lo);
  _mm512_mask_storeu_ps(c + 16, m1, hi);
}

__attribute__((target("avx512f"))) static void kernel_12x32(int kc, const float *pa,
                                                           int64_t lda, const float *pb, float *c, int64_t ldc,
                                                           const float *bias, int load_c, int rows,
                                                           int cols) {
  __m512 acc[MR][2];
#pragma GCC unroll 12
  for (int r = 0; r < MR; r++) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
  for (int k = 0; k < kc; k++, pa++, pb += NR) {
    const __m512 b0 = _mm512_load_ps(pb), b1 = _mm512_load_ps(pb + 16);
#pragma GCC unroll 12
    for (int r = 0; r < MR; r++) {
      const __m512 a = _mm512_set1_ps(pa[r * lda]);
      acc[r][0] = _mm512_fmadd_ps(a, b0, acc[r][0]);
      acc[r][1] = _mm512_fmadd_ps(a, b1, acc[r][1]);
    }
  }
  const __mmask16 m0 = cols >= 16 ? 0xffff : (__mmask16)((1u << cols) - 1);
  const __mmask16 m1 = cols >= 32 ? 0xffff : cols <= 16 ? 0 : (__mmask16)((1u << (cols - 16)) - 1);
#pragma GCC unroll 12
  for (int r = 0; r < MR; r++)
    if (r < rows) finish_row(c + r * ldc, acc[r][0], acc[r][1], bias, load_c, m0, m1);
}

const gemm_kernel gemm_kernel_avx512 = {"avx512", MR, NR, kernel_12x32};
#endif
