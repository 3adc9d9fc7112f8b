// The AVX2 + FMA micro-kernel of gemm.h: a 6×16 tile of C in 12 ymm accumulators. Per k one row
// of the B panel (two ymm of 8 floats) and 6 broadcasts of A feed 12 FMAs; 12 + 2 + 1 of the 16
// ymm registers are live, and 12 independent accumulators cover 2 FMA ports × 4-5 cycles of
// latency. Edge tiles go through maskload/maskstore with the same additions as whole tiles.
#if defined(__x86_64__)
#include <immintrin.h>

#include "gemm.h"

#define MR 6
#define NR 16

/** Lanes [0, n) of a ymm mask, n clamped to [0, 8]. */
__attribute__((target("avx2,fma"))) static __m256i lane_mask(int n) {
  n = n < 0 ? 0 : n > 8 ? 8 : n;
  return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

__attribute__((target("avx2,fma"))) static void finish_row(float *c, __m256 lo, __m256 hi,
                                                          const float *bias, int load_c,
                                                          __m256i m0, __m256i m1) {
  if (bias) {
    lo = _mm256_add_ps(lo, _mm256_maskload_ps(bias, m0));
    hi = _mm256_add_ps(hi, _mm256_maskload_ps(bias + 8, m1));
  }
  if (load_c) {
    lo = _mm256_add_ps(lo, _mm256_maskload_ps(c, m0));
    hi = _mm256_add_ps(hi, _mm256_maskload_ps(c + 8, m1));
  }
  _mm256_maskstore_ps(c, m0, lo);
  _mm256_maskstore_ps(c + 8, m1, hi);
}

__attribute__((target("avx2,fma"))) static void kernel_6x16(int kc, const float *pa,
                                                           int64_t lda, const float *pb, float *c, int64_t ldc,
                                                           const float *bias, int load_c, int rows,
                                                           int cols) {
  __m256 acc[MR][2];
#pragma GCC unroll 6
  for (int r = 0; r < MR; r++) acc[r][0] = acc[r][1] = _mm256_setzero_ps();
  for (int k = 0; k < kc; k++, pa++, pb += NR) {
    const __m256 b0 = _mm256_load_ps(pb), b1 = _mm256_load_ps(pb + 8);
#pragma GCC unroll 6
    for (int r = 0; r < MR; r++) {
      const __m256 a = _mm256_broadcast_ss(pa + r * lda);
      acc[r][0] = _mm256_fmadd_ps(a, b0, acc[r][0]);
      acc[r][1] = _mm256_fmadd_ps(a, b1, acc[r][1]);
    }
  }
  const __m256i m0 = lane_mask(cols), m1 = lane_mask(cols - 8);
#pragma GCC unroll 6
  for (int r = 0; r < MR; r++)
    if (r < rows) finish_row(c + r * ldc, acc[r][0], acc[r][1], bias, load_c, m0, m1);
}

const gemm_kernel gemm_kernel_avx2 = {"avx2", MR, NR, kernel_6x16};
#endif
