// Row softmax pieces shared by attention and cross-entropy (x_j = src_j·scale + bias_j, then
// e^(x_j − max x) normalised), and softmax cross-entropy per row (run_classifier.create_model's
// log_softmax + one-hot loss, and the pre-training heads).
#include <math.h>

#include "kernels.h"
#include "vecmath.h"

SIMD_CLONES float row_max(const float *src, const float *bias, float scale, int64_t n) {
  float m = -INFINITY;
  for (int64_t j = 0; j < n; j++) {
    const float x = src[j] * scale + (bias ? bias[j] : 0.0f);
    m = x > m ? x : m;
  }
  return m;
}

/**
 * The sum goes through 16 partial sums, element j always into partial j mod 16, added up in a
 * fixed order: vectorisable, and the same for a row padded with more masked keys (their exps are
 * exactly 0), so a sequence's probabilities do not depend on the batch's padded length.
 */
SIMD_CLONES float row_exp(float *dst, const float *src, const float *bias, float scale, float m,
                          int64_t n) {
  float part[16] = {0};
  int64_t j = 0;
  for (; j + 16 <= n; j += 16)
    for (int l = 0; l < 16; l++) {
      const float y = exp_approx(src[j + l] * scale + (bias ? bias[j + l] : 0.0f) - m);
      dst[j + l] = y;
      part[l] += y;
    }
  for (int l = 0; j + l < n; l++) {
    const float y = exp_approx(src[j + l] * scale + (bias ? bias[j + l] : 0.0f) - m);
    dst[j + l] = y;
    part[l] += y;
  }
  float s = 0;
  for (int l = 0; l < 16; l++) s += part[l];
  return s;
}

SIMD_CLONES void row_scale(float *row, float s, int64_t n) {
  for (int64_t j = 0; j < n; j++) row[j] *= s;
}

typedef struct {
  float *out, *probs;
  const float *in, *probs_in;
  const int32_t *labels;
  int64_t N;
} ce_args;

/** losses[r] = log Σ e^logits − logits[label]; probs = softmax(logits). */
static void forward_range(const void *args, int64_t s, int64_t e, int thread) {
  (void)thread;
  const ce_args *a = args;
  for (int64_t r = s; r < e; r++) {
    const float *x = a->in + r * a->N;
    float *p = a->probs + r * a->N;
    const float m = row_max(x, NULL, 1.0f, a->N);
    const float sum = row_exp(p, x, NULL, 1.0f, m, a->N);
    row_scale(p, 1.0f / sum, a->N);
    a->out[r] = m + logf(sum) - x[a->labels[r]];
  }
}

/** dLogits[r] += dLoss[r]·(probs[r] − onehot(labels[r])). */
static void backward_range(const void *args, int64_t s, int64_t e, int thread) {
  (void)thread;
  const ce_args *a = args;
  for (int64_t r = s; r < e; r++) {
    float *d = a->out + r * a->N;
    const float *p = a->probs_in + r * a->N;
    const float g = a->in[r];
    for (int64_t j = 0; j < a->N; j++) d[j] += g * p[j];
    d[a->labels[r]] -= g;
  }
}

void k_cross_entropy_forward(kernel_set *ks, float *losses, float *probs, const float *logits,
                             const int32_t *labels, int64_t R, int64_t N) {
  ce_args a = {.out = losses, .probs = probs, .in = logits, .labels = labels, .N = N};
  pool_run(ks->pool, forward_range, &a, R, pool_chunk(ks->pool, R, 1, 8.0 * R * N));
}

void k_cross_entropy_backward(kernel_set *ks, float *d_logits, const float *d_loss,
                              const float *probs, const int32_t *labels, int64_t R, int64_t N) {
  ce_args a = {.out = d_logits, .in = d_loss, .probs_in = probs, .labels = labels, .N = N};
  pool_run(ks->pool, backward_range, &a, R, pool_chunk(ks->pool, R, 1, 2.0 * R * N));
}
