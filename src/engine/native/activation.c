// Activations (modeling.get_activation) forward and backward, element by element. gelu is BERT's
// tanh approximation 0.5·x·(1 + tanh(u)), u = √(2/π)·(x + 0.044715·x³), computed as x·σ(2u) with
// the vectorisable exp of vecmath.h (as the WebAssembly kernels do: src/engine/wasm/activation.ts);
// its derivative σ + 2x·σ(1−σ)·u' uses σ(1−σ) = e·σ², which keeps gelu' > 1 visible for x > 4.
// tanh (the pooler only, B·H elements) calls libm's tanhf: a 1 − 2/(e^{2x}+1) would lose relative
// accuracy near 0.
#include <math.h>

#include "kernels.h"
#include "vecmath.h"

#define SQRT_2_OVER_PI 0.7978845608028654f
#define GELU_CUBIC 0.044715f
#define GELU_DU2 0.10703222440890037f  // √(2/π)·3·0.044715: u' = √(2/π) + GELU_DU2·x²

typedef struct {
  int act;
  float *out;
  const float *inp, *d_out;
} act_args;

SIMD_CLONES static void gelu_forward(float *out, const float *inp, int64_t s, int64_t e) {
  for (int64_t i = s; i < e; i++) {
    const float x = inp[i];
    const float u = SQRT_2_OVER_PI * (GELU_CUBIC * (x * x * x) + x);
    out[i] = x / (1.0f + exp_approx(-2.0f * u));
  }
}

SIMD_CLONES static void gelu_backward(float *d_inp, const float *inp, const float *d_out,
                                      int64_t s, int64_t e) {
  for (int64_t i = s; i < e; i++) {
    const float x = inp[i];
    const float u = SQRT_2_OVER_PI * (GELU_CUBIC * (x * x * x) + x);
    const float ex = exp_approx(-2.0f * u);
    const float sg = 1.0f / (1.0f + ex);
    const float du = GELU_DU2 * (x * x) + SQRT_2_OVER_PI;
    const float grad = (x + x) * (ex * sg * sg) * du + sg;
    d_inp[i] += grad * d_out[i];
  }
}

static void forward_range(const void *args, int64_t s, int64_t e, int thread) {
  (void)thread;
  const act_args *a = args;
  switch (a->act) {
    case ACT_GELU:
      gelu_forward(a->out, a->inp, s, e);
      break;
    case ACT_RELU:
      for (int64_t i = s; i < e; i++) a->out[i] = a->inp[i] > 0 ? a->inp[i] : 0.0f;
      break;
    case ACT_TANH:
      for (int64_t i = s; i < e; i++) a->out[i] = tanhf(a->inp[i]);
      break;
    default:
      for (int64_t i = s; i < e; i++) a->out[i] = a->inp[i];
  }
}

/** relu' is 0 at 0, as TF's ReluGrad. */
static void backward_range(const void *args, int64_t s, int64_t e, int thread) {
  (void)thread;
  const act_args *a = args;
  float *d_inp = a->out;
  if (a->act == ACT_GELU) {
    gelu_backward(d_inp, a->inp, a->d_out, s, e);
    return;
  }
  for (int64_t i = s; i < e; i++) {
    const float x = a->inp[i];
    float d = 1.0f;
    if (a->act == ACT_RELU) d = x > 0 ? 1.0f : 0.0f;
    if (a->act == ACT_TANH) d = 1.0f - tanhf(x) * tanhf(x);
    d_inp[i] += d * a->d_out[i];
  }
}

void k_activation_forward(kernel_set *ks, int act, float *out, const float *inp, int64_t n) {
  act_args a = {act, out, inp, NULL};
  pool_run(ks->pool, forward_range, &a, n, pool_chunk(ks->pool, n, 16, 8.0 * n));
}

void k_activation_backward(kernel_set *ks, int act, float *d_inp, const float *inp,
                           const float *d_out, int64_t n) {
  act_args a = {act, d_inp, inp, d_out};
  pool_run(ks->pool, backward_range, &a, n, pool_chunk(ks->pool, n, 16, 8.0 * n));
}
