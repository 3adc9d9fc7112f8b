// Element-wise kernels: residual adds, clearing, the global norm's Σx², AdamWeightDecay, dropout
// and the bias gradient. Plain loops: they are memory-bound, and the compiler vectorises each one
// for AVX-512, AVX2 or baseline SSE (SIMD_CLONES, vecmath.h). The pool splits them in chunks of
// whole cache lines (16 floats), so two threads never write one line.
#include <math.h>

#include "kernels.h"
#include "vecmath.h"

/** Elements per float64 partial of sum_squares: fixed, so the sum does not depend on threads. */
#define SUM_CHUNK 4096
#define LINE 16

typedef struct {
  float *out;
  const float *a, *b;
} add_args;

SIMD_CLONES static void add_range(const void *args, int64_t s, int64_t e, int thread) {
  (void)thread;
  const add_args *x = args;
  float *out = x->out;
  const float *a = x->a, *b = x->b;
  for (int64_t i = s; i < e; i++) out[i] = a[i] + b[i];
}

void k_add(kernel_set *ks, float *out, const float *a, const float *b, int64_t n) {
  add_args x = {out, a, b};
  pool_run(ks->pool, add_range, &x, n, pool_chunk(ks->pool, n, LINE, (double)n));
}

static void zero_range(const void *args, int64_t s, int64_t e, int thread) {
  (void)thread;
  memset((float *)args + s, 0, sizeof(float) * (size_t)(e - s));
}

void k_zero(kernel_set *ks, float *x, int64_t n) {
  pool_run(ks->pool, zero_range, x, n, pool_chunk(ks->pool, n, LINE, (double)n));
}

typedef struct {
  double *partials;
  const float *x;
  int64_t n;
} sum_args;

/** Σx² per fixed chunk, in 8 float64 lanes (vectorised; their order is fixed, so deterministic). */
SIMD_CLONES static void sum_squares_range(const void *args, int64_t s, int64_t e, int thread) {
  (void)thread;
  const sum_args *a = args;
  for (int64_t c = s; c < e; c++) {
    const int64_t end = (c + 1) * SUM_CHUNK < a->n ? (c + 1) * SUM_CHUNK : a->n;
    const float *x = a->x;
    double lane[8] = {0};
    int64_t i = c * SUM_CHUNK;
    for (; i + 8 <= end; i += 8)
      for (int l = 0; l < 8; l++) lane[l] += (double)x[i + l] * x[i + l];
    double acc = 0;
    for (; i < end; i++) acc += (double)x[i] * x[i];
    for (int l = 0; l < 8; l++) acc += lane[l];
    a->partials[c] = acc;
  }
}

double k_sum_squares(kernel_set *ks, const float *x, int64_t n) {
  const int64_t chunks = (n + SUM_CHUNK - 1) / SUM_CHUNK;
  double *partials = pool_shared(ks->pool, sizeof(double) * (size_t)(chunks > 0 ? chunks : 1));
  sum_args a = {partials, x, n};
  pool_run(ks->pool, sum_squares_range, &a, chunks, pool_chunk(ks->pool, chunks, 1, (double)n));
  double sum = 0;
  for (int64_t c = 0; c < chunks; c++) sum += partials[c];
  return sum;
}

typedef struct {
  float *param, *m, *v;
  const float *grad;
  const int32_t *runs;
  int64_t n_runs;
  float lr, beta1, beta2, eps, wd, gs;
} adam_args;

/** The AdamWeightDecay update of [s, e) with one weight-decay rate. */
SIMD_CLONES static void adam_span(const adam_args *a, float wd, int64_t s, int64_t e) {
  float *restrict p = a->param, *restrict m = a->m, *restrict v = a->v;
  const float *restrict g = a->grad;
  const float b1 = a->beta1, c1 = 1 - a->beta1, b2 = a->beta2, c2 = 1 - a->beta2;
  const float lr = a->lr, eps = a->eps, gs = a->gs;
  for (int64_t i = s; i < e; i++) {
    const float gi = gs * g[i];
    const float mm = b1 * m[i] + c1 * gi;
    const float vv = b2 * v[i] + c2 * (gi * gi);
    m[i] = mm;
    v[i] = vv;
    p[i] = p[i] - lr * (mm / (sqrtf(vv) + eps) + wd * p[i]);
  }
}

/** [s, e) of the parameters: wd inside the decaying runs (sorted [start, end) pairs), 0 between. */
static void adam_range(const void *args, int64_t s, int64_t e, int thread) {
  (void)thread;
  const adam_args *a = args;
  for (int64_t r = 0; r < a->n_runs && s < e; r++) {
    const int64_t run_start = a->runs[2 * r], run_end = a->runs[2 * r + 1] < e ? a->runs[2 * r + 1] : e;
    if (run_end <= s) continue;
    if (run_start > s) {
      const int64_t gap_end = run_start < e ? run_start : e;
      adam_span(a, 0, s, gap_end);
      s = gap_end;
    }
    if (s < run_end) {
      adam_span(a, a->wd, s, run_end);
      s = run_end;
    }
  }
  if (s < e) adam_span(a, 0, s, e);
}

void k_adam(kernel_set *ks, float *param, const float *grad, float *m, float *v, int64_t n,
            const int32_t *runs, int64_t n_runs, float lr, float beta1, float beta2, float eps,
            float wd, float grad_scale) {
  adam_args a = {param, m, v, grad, runs, n_runs, lr, beta1, beta2, eps, wd, grad_scale};
  pool_run(ks->pool, adam_range, &a, n, pool_chunk(ks->pool, n, LINE, 8.0 * n));
}

/** lowbias32(seed ^ i·φ): the counter-based hash of src/engine/dropout_hash.ts. */
static inline uint32_t dropout_hash(uint32_t seed, uint32_t i) {
  uint32_t x = seed ^ (i * 0x9e3779b9u);
  x ^= x >> 16;
  x *= 0x7feb352du;
  x ^= x >> 15;
  x *= 0x846ca68bu;
  x ^= x >> 16;
  return x;
}

SIMD_CLONES void dropout_range(float *out, float *mask, const float *inp, uint32_t threshold,
                               float keep, uint32_t seed, int64_t base, int64_t n) {
  for (int64_t i = 0; i < n; i++) {
    const float m = dropout_hash(seed, (uint32_t)(base + i)) >= threshold ? keep : 0.0f;
    mask[i] = m;
    if (out) out[i] = inp[i] * m;
  }
}

typedef struct {
  float *out, *mask;
  const float *inp;
  uint32_t threshold, seed;
  float keep;
} dropout_args;

static void dropout_forward_range(const void *args, int64_t s, int64_t e, int thread) {
  (void)thread;
  const dropout_args *a = args;
  dropout_range(a->out + s, a->mask + s, a->inp + s, a->threshold, a->keep, a->seed, s, e - s);
}

void k_dropout_forward(kernel_set *ks, float *out, float *mask, const float *inp,
                       uint32_t threshold, float keep_scale, uint32_t seed, int64_t n) {
  dropout_args a = {out, mask, inp, threshold, seed, keep_scale};
  pool_run(ks->pool, dropout_forward_range, &a, n, pool_chunk(ks->pool, n, LINE, 4.0 * n));
}

typedef struct {
  float *d_inp;
  const float *d_out, *mask;
} dropout_back_args;

SIMD_CLONES static void dropout_backward_range(const void *args, int64_t s, int64_t e,
                                               int thread) {
  (void)thread;
  const dropout_back_args *a = args;
  for (int64_t i = s; i < e; i++) a->d_inp[i] += a->d_out[i] * a->mask[i];
}

void k_dropout_backward(kernel_set *ks, float *d_inp, const float *d_out, const float *mask,
                        int64_t n) {
  dropout_back_args a = {d_inp, d_out, mask};
  pool_run(ks->pool, dropout_backward_range, &a, n, pool_chunk(ks->pool, n, LINE, (double)n));
}

typedef struct {
  float *d_bias;
  const float *d_out;
  int64_t M, N;
} bias_args;

/** Columns [s, e): Σ over all rows, row by row so the inner loop runs along a row. */
SIMD_CLONES static void bias_backward_range(const void *args, int64_t s, int64_t e, int thread) {
  (void)thread;
  const bias_args *a = args;
  float acc[LINE * 4];
  for (int64_t j0 = s; j0 < e; j0 += LINE * 4) {
    const int64_t w = e - j0 < LINE * 4 ? e - j0 : LINE * 4;
    for (int64_t j = 0; j < w; j++) acc[j] = 0;
    for (int64_t i = 0; i < a->M; i++) {
      const float *row = a->d_out + i * a->N + j0;
      for (int64_t j = 0; j < w; j++) acc[j] += row[j];
    }
    for (int64_t j = 0; j < w; j++) a->d_bias[j0 + j] += acc[j];
  }
}

void k_bias_backward(kernel_set *ks, float *d_bias, const float *d_out, int64_t M, int64_t N) {
  bias_args a = {d_bias, d_out, M, N};
  pool_run(ks->pool, bias_backward_range, &a, N, pool_chunk(ks->pool, N, LINE, (double)M * N));
}
