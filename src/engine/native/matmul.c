// Kernels.matmul over the pool, k-block by k-block (gemm.h): the threads first pack the k-block of
// op(B) together (its panels split between them) into memory they all read, then each claims a
// chunk of rows of C — or of column panels, when C has fewer rows than the threads can share (the
// pooler, the heads) — and runs its strips against the shared panels. Packing each k-block of
// op(B) once, right before it is used, keeps it in cache (the weight gradients' products,
// K = B·T = 4096, would otherwise pack, write out and read back 8 MB of dY).
#include "blas.h"
#include "kernels.h"

typedef struct {
  gemm_op g;
  float *packed;
  pool *pool;
  int64_t k0, kc;
  int by_rows, trans_a, trans_b;
} matmul_args;

static void pack_range(const void *args, int64_t s, int64_t e, int thread) {
  (void)thread;
  const matmul_args *a = args;
  gemm_pack_b(&a->g, a->packed, a->k0, a->kc, s, e);
}

/** Rows [s, e) of C (by_rows) or columns [s·NR, e·NR) (by panels). */
static void compute_range(const void *args, int64_t s, int64_t e, int thread) {
  const matmul_args *a = args;
  const int nr = a->g.kernel->nr;
  float *apack = pool_scratch(a->pool, thread, sizeof(float) * gemm_packed_a_floats(&a->g));
  if (a->by_rows)
    gemm_compute(&a->g, a->packed, apack, a->k0, a->kc, s, e, 0, a->g.N);
  else
    gemm_compute(&a->g, a->packed, apack, a->k0, a->kc, 0, a->g.M, s * nr,
                 e * nr < a->g.N ? e * nr : a->g.N);
}

/** The whole product of rows [s, e) (or column panels) by the system BLAS. */
static void blas_range(const void *args, int64_t s, int64_t e, int thread) {
  (void)thread;
  const matmul_args *a = args;
  const int64_t nr = a->g.kernel->nr, j1 = e * nr < a->g.N ? e * nr : a->g.N;
  if (a->by_rows)
    blas_gemm(&a->g, a->trans_a, a->trans_b, s, e, 0, a->g.N);
  else
    blas_gemm(&a->g, a->trans_a, a->trans_b, 0, a->g.M, s * nr, j1);
}

void k_matmul(kernel_set *ks, float *out, const float *a, const float *b, const float *bias,
              int64_t M, int64_t K, int64_t N, int trans_a, int trans_b, int accumulate) {
  const gemm_kernel *kern = ks->gemm;
  pool *p = ks->pool;
  matmul_args x = {
      .g = {kern, out, N, a, trans_a ? 1 : K, trans_a ? M : 1, b, trans_b ? 1 : N, trans_b ? K : 1,
            bias, M, K, N, accumulate},
      .pool = p,
      .trans_a = trans_a,
      .trans_b = trans_b,
  };
  const int64_t panels = (N + kern->nr - 1) / kern->nr;
  x.packed = pool_shared(p, sizeof(float) * (gemm_packed_b_floats(&x.g) + 1));
  // rows when each thread gets at least a few MR-row strips of them, else column panels
  x.by_rows = M >= 4 * kern->mr * pool_threads(p) || M >= N;
  const int64_t items = x.by_rows ? M : panels;
  if (ks->blas && K > 0) {
    pool_run(p, blas_range, &x, items, pool_chunk(p, items, x.by_rows ? kern->mr : 1, (double)M * N * K));
    return;
  }
  if (K == 0) {
    pool_run(p, compute_range, &x, items, items);
    return;
  }
  for (x.k0 = 0; x.k0 < K; x.k0 += GEMM_KC) {
    x.kc = K - x.k0 < GEMM_KC ? K - x.k0 : GEMM_KC;
    const double work = (double)M * N * x.kc;
    pool_run(p, pack_range, &x, panels, pool_chunk(p, panels, 1, (double)x.kc * N));
    pool_run(p, compute_range, &x, items, pool_chunk(p, items, x.by_rows ? kern->mr : 1, work));
  }
}
