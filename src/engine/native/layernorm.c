// LayerNorm over the last axis (modeling.layer_norm: epsilon 1e-12, biased variance). Forward and
// the input gradient split rows; dGamma/dBeta are column sums over all rows, split by columns so
// that no two threads write one element and the sums do not depend on the thread count.
#include <math.h>

#include "kernels.h"
#include "vecmath.h"

#define EPS 1e-12f

typedef struct {
  float *out, *mean, *rstd, *d_gamma, *d_beta;
  const float *inp, *gamma, *beta, *d_out;
  const float *c_mean, *c_rstd;
  int64_t R, C;
} ln_args;

SIMD_CLONES static void forward_range(const void *args, int64_t s, int64_t e, int thread) {
  (void)thread;
  const ln_args *a = args;
  const int64_t C = a->C;
  for (int64_t r = s; r < e; r++) {
    const float *x = a->inp + r * C;
    float *y = a->out + r * C;
    float sum = 0;
    for (int64_t j = 0; j < C; j++) sum += x[j];
    const float m = sum / (float)C;
    float sq = 0;
    for (int64_t j = 0; j < C; j++) sq += (x[j] - m) * (x[j] - m);
    const float rs = 1.0f / sqrtf(sq / (float)C + EPS);
    a->mean[r] = m;
    a->rstd[r] = rs;
    for (int64_t j = 0; j < C; j++) y[j] = (x[j] - m) * rs * a->gamma[j] + a->beta[j];
  }
}

/** dInp += rstd·(g − mean(g) − n·mean(g·n)), n = (x − mean)·rstd, g = dOut·gamma. */
SIMD_CLONES static void backward_rows(const void *args, int64_t s, int64_t e, int thread) {
  (void)thread;
  const ln_args *a = args;
  const int64_t C = a->C;
  for (int64_t r = s; r < e; r++) {
    const float *x = a->inp + r * C, *dy = a->d_out + r * C;
    float *dx = a->out + r * C;
    const float m = a->c_mean[r], rs = a->c_rstd[r];
    float sg = 0, sgn = 0;
    for (int64_t j = 0; j < C; j++) {
      const float g = dy[j] * a->gamma[j];
      sg += g;
      sgn += g * ((x[j] - m) * rs);
    }
    const float gm = sg / (float)C, gnm = sgn / (float)C;
    for (int64_t j = 0; j < C; j++) {
      const float g = dy[j] * a->gamma[j];
      dx[j] += rs * (g - gm - (x[j] - m) * rs * gnm);
    }
  }
}

/** Columns [s, e): dGamma += Σ_r dOut·n, dBeta += Σ_r dOut, row by row. */
SIMD_CLONES static void backward_cols(const void *args, int64_t s, int64_t e, int thread) {
  (void)thread;
  const ln_args *a = args;
  const int64_t C = a->C;
  for (int64_t r = 0; r < a->R; r++) {
    const float *x = a->inp + r * C, *dy = a->d_out + r * C;
    const float m = a->c_mean[r], rs = a->c_rstd[r];
    for (int64_t j = s; j < e; j++) {
      a->d_gamma[j] += dy[j] * ((x[j] - m) * rs);
      a->d_beta[j] += dy[j];
    }
  }
}

void k_layernorm_forward(kernel_set *ks, float *out, float *mean, float *rstd, const float *inp,
                         const float *gamma, const float *beta, int64_t R, int64_t C) {
  ln_args a = {.out = out, .mean = mean, .rstd = rstd, .inp = inp, .gamma = gamma, .beta = beta,
               .R = R, .C = C};
  pool_run(ks->pool, forward_range, &a, R, pool_chunk(ks->pool, R, 1, 4.0 * R * C));
}

void k_layernorm_backward(kernel_set *ks, float *d_inp, float *d_gamma, float *d_beta,
                          const float *d_out, const float *inp, const float *mean,
                          const float *rstd, const float *gamma, int64_t R, int64_t C) {
  ln_args a = {.out = d_inp, .d_gamma = d_gamma, .d_beta = d_beta, .d_out = d_out, .inp = inp,
               .c_mean = mean, .c_rstd = rstd, .gamma = gamma, .R = R, .C = C};
  pool_run(ks->pool, backward_rows, &a, R, pool_chunk(ks->pool, R, 1, 6.0 * R * C));
  pool_run(ks->pool, backward_cols, &a, C, pool_chunk(ks->pool, C, 16, 3.0 * R * C));
}
