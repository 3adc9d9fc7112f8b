// The system OpenBLAS, found at run time (dlopen; never required): the dense products can run on
// its cblas_sgemm instead of the micro-kernels of gemm.h — kernel set 'openblas' — for measuring
// the two against each other (docs/engine.md). Each thread of the pool calls it on its own chunk
// of rows or columns with OpenBLAS's threads set to one, so the split, and with it the results,
// stays ours and does not depend on the thread count.
#include "blas.h"

#include <dlfcn.h>
#include <stddef.h>

enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };

typedef void (*sgemm_fn)(int order, int ta, int tb, int m, int n, int k, float alpha,
                         const float *a, int lda, const float *b, int ldb, float beta, float *c,
                         int ldc);

static sgemm_fn sgemm;

int blas_available(void) {
  if (sgemm) return 1;
  const char *names[] = {"libopenblas.so.0", "libopenblas.so"};
  for (int i = 0; i < 2 && !sgemm; i++) {
    void *lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!lib) continue;
    void (*set_threads)(int) = (void (*)(int))dlsym(lib, "openblas_set_num_threads");
    sgemm_fn f = (sgemm_fn)dlsym(lib, "cblas_sgemm");
    if (!set_threads || !f) continue;
    set_threads(1);
    sgemm = f;
  }
  return sgemm != NULL;
}

void blas_gemm(const gemm_op *g, int ta, int tb, int64_t i0, int64_t i1, int64_t j0, int64_t j1) {
  const float *a = g->a + i0 * g->ars;
  const float *b = g->b + j0 * g->bns;
  float *c = g->c + i0 * g->ldc + j0;
  const int64_t lda = ta ? g->aks : g->ars, ldb = tb ? g->bns : g->bks;
  sgemm(ROW_MAJOR, ta ? TRANS : NO_TRANS, tb ? TRANS : NO_TRANS, (int)(i1 - i0), (int)(j1 - j0),
        (int)g->K, 1.0f, a, (int)lda, b, (int)ldb, g->accumulate ? 1.0f : 0.0f, c, (int)g->ldc);
  if (!g->bias) return;
  for (int64_t i = i0; i < i1; i++)
    for (int64_t j = j0; j < j1; j++) g->c[i * g->ldc + j] += g->bias[j];
}
