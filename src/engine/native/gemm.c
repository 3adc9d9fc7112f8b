// The blocked matrix product of gemm.h: packing, the loop nest around the micro-kernels, the plain
// C micro-kernel (for CPUs without AVX2) and the choice of kernel by CPU feature.
#include "gemm.h"

#include <string.h>

static int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
static int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }

size_t gemm_packed_b_floats(const gemm_op *g) {
  return (size_t)(ceil_div(g->N, g->kernel->nr) * g->kernel->nr * min64(GEMM_KC, g->K));
}

/**
 * Panel p of op(B), k-block at k0 of kc rows, to dst as kc groups of NR floats. The two layouts
 * the model has get their own loops: rows of B contiguous (X·W: copy NR floats per k) and B
 * transposed (dY·Wᵀ, q·kᵀ: each column contiguous in k, written with a stride of NR).
 */
static void pack_b_panel(const gemm_op *g, float *dst, int64_t p, int64_t k0, int64_t kc) {
  const int nr = g->kernel->nr;
  const int64_t j0 = p * nr;
  const int w = (int)min64(nr, g->N - j0);
  const float *src = g->b + k0 * g->bks + j0 * g->bns;
  if (w < nr) memset(dst, 0, sizeof(float) * (size_t)(kc * nr));
  if (g->bns == 1) {
    for (int64_t k = 0; k < kc; k++) memcpy(dst + k * nr, src + k * g->bks, sizeof(float) * w);
  } else {
    for (int j = 0; j < w; j++) {
      const float *col = src + j * g->bns;
      for (int64_t k = 0; k < kc; k++) dst[k * nr + j] = col[k * g->bks];
    }
  }
}

void gemm_pack_b(const gemm_op *g, float *packed, int64_t k0, int64_t kc, int64_t p0, int64_t p1) {
  for (int64_t p = p0; p < p1; p++) pack_b_panel(g, packed + p * kc * g->kernel->nr, p, k0, kc);
}

size_t gemm_packed_a_floats(const gemm_op *g) { return (size_t)(g->kernel->mr * GEMM_KC); }

/** Rows [i, i + rows) of op(A), k-block k0..k0+kc, to dst as MR rows of KC (zero padded). */
static void pack_a_strip(const gemm_op *g, float *dst, int64_t i, int rows, int64_t k0,
                         int64_t kc) {
  const int mr = g->kernel->mr;
  const float *src = g->a + i * g->ars + k0 * g->aks;
  for (int r = rows; r < mr; r++) memset(dst + r * GEMM_KC, 0, sizeof(float) * (size_t)kc);
  if (g->aks == 1) {  // A row-major (X·W, dY·Wᵀ): a copy per row
    for (int r = 0; r < rows; r++) memcpy(dst + r * GEMM_KC, src + r * g->ars, sizeof(float) * kc);
    return;
  }
  for (int64_t k = 0; k < kc; k++) {  // A transposed (Xᵀ·dY): each k holds the strip's rows
    const float *col = src + k * g->aks;
    for (int r = 0; r < rows; r++) dst[r * GEMM_KC + k] = col[r * g->ars];
  }
}

/** C = bias (+ C) on rows [i0, i1) × [j0, j1): the product of an empty K. */
static void empty_product(const gemm_op *g, int64_t i0, int64_t i1, int64_t j0, int64_t j1) {
  for (int64_t i = i0; i < i1; i++) {
    float *c = g->c + i * g->ldc;
    for (int64_t j = j0; j < j1; j++)
      c[j] = (g->accumulate ? c[j] : 0.0f) + (g->bias ? g->bias[j] : 0.0f);
  }
}

void gemm_compute(const gemm_op *g, const float *packed_b, float *apack, int64_t k0, int64_t kc,
                  int64_t i0, int64_t i1, int64_t j0, int64_t j1) {
  if (g->K == 0) {
    empty_product(g, i0, i1, j0, j1);
    return;
  }
  const int mr = g->kernel->mr, nr = g->kernel->nr;
  const int load_c = g->accumulate || k0 > 0;
  const float *bias = k0 == 0 ? g->bias : NULL;
  for (int64_t jb = j0; jb < j1; jb += GEMM_NC) {
    const int64_t je = min64(j1, jb + GEMM_NC);
    for (int64_t i = i0; i < i1; i += mr) {
      const int rows = (int)min64(mr, i1 - i);
      // whole strips of a row-major A are read in place; others are packed (zero rows past M)
      const int direct = g->aks == 1 && rows == mr;
      const float *pa = direct ? g->a + i * g->ars + k0 : apack;
      const int64_t lda = direct ? g->ars : GEMM_KC;
      if (!direct) pack_a_strip(g, apack, i, rows, k0, kc);
      for (int64_t j = jb; j < je; j += nr) {
        float *c = g->c + i * g->ldc + j;
        g->kernel->fn((int)kc, pa, lda, packed_b + (j / nr) * kc * nr, c, g->ldc,
                      bias ? bias + j : NULL, load_c, rows, (int)min64(nr, je - j));
      }
    }
  }
}

size_t gemm_serial_floats(const gemm_op *g) {
  return gemm_packed_b_floats(g) + gemm_packed_a_floats(g);
}

void gemm_serial(const gemm_op *g, float *scratch) {
  float *apack = scratch + gemm_packed_b_floats(g);
  const int64_t panels = ceil_div(g->N, g->kernel->nr);
  if (g->K == 0) gemm_compute(g, scratch, apack, 0, 0, 0, g->M, 0, g->N);
  for (int64_t k0 = 0; k0 < g->K; k0 += GEMM_KC) {
    const int64_t kc = min64(GEMM_KC, g->K - k0);
    gemm_pack_b(g, scratch, k0, kc, 0, panels);
    gemm_compute(g, scratch, apack, k0, kc, 0, g->M, 0, g->N);
  }
}

// The plain C micro-kernel: 4×16, for CPUs without AVX2 (and the compiler's own vectorisation).
#define GEN_MR 4
#define GEN_NR 16

static void generic_kernel(int kc, const float *pa, int64_t lda, const float *pb, float *c, int64_t ldc,
                           const float *bias, int load_c, int rows, int cols) {
  float acc[GEN_MR][GEN_NR] = {{0}};
  for (int k = 0; k < kc; k++, pa++, pb += GEN_NR)
    for (int r = 0; r < GEN_MR; r++)
      for (int j = 0; j < GEN_NR; j++) acc[r][j] += pa[r * lda] * pb[j];
  for (int r = 0; r < rows; r++)
    for (int j = 0; j < cols; j++) {
      float v = acc[r][j];
      if (bias) v += bias[j];
      if (load_c) v += c[r * ldc + j];
      c[r * ldc + j] = v;
    }
}

const gemm_kernel gemm_kernel_generic = {"generic", GEN_MR, GEN_NR, generic_kernel};

static int cpu_has(const char *name) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  if (strcmp(name, "avx512") == 0) return __builtin_cpu_supports("avx512f");
  if (strcmp(name, "avx2") == 0) return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
  return strcmp(name, "generic") == 0;
}

const gemm_kernel *gemm_kernel_named(const char *name) {
  if (!cpu_has(name)) return NULL;
#if defined(__x86_64__)
  if (strcmp(name, "avx512") == 0) return &gemm_kernel_avx512;
  if (strcmp(name, "avx2") == 0) return &gemm_kernel_avx2;
#endif
  return strcmp(name, "generic") == 0 ? &gemm_kernel_generic : NULL;
}

const gemm_kernel *gemm_kernel_best(void) {
  const char *order[] = {"avx512", "avx2", "generic"};
  for (int i = 0; i < 3; i++) {
    const gemm_kernel *k = gemm_kernel_named(order[i]);
    if (k) return k;
  }
  return &gemm_kernel_generic;
}
