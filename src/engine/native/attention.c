// Multi-head attention core (modeling.attention_layer after the Q/K/V dense layers), one
// (batch, head) pair at a time, the pairs split over the threads. The first Tq tokens of each
// sequence are the queries and all T the keys (Tq = T: self-attention); q, ctx (B,Tq,C), k, v
// (B,T,C), head h in channels [h·HS, (h+1)·HS), so a head's rows are C floats apart and the
// products address them through gemm's strides without copying. probs, dropMask (B,NH,Tq,T);
// maskBias (B,T). Each thread's scratch holds the packs of its products and 2·Tq·T floats of
// work space. The same steps as the WebAssembly kernels (src/engine/wasm/attention.ts).
#include <math.h>

#include "kernels.h"
#include "vecmath.h"

typedef struct {
  kernel_set *ks;
  const attention_shape *s;
  float *ctx, *probs, *drop_mask, *dq, *dk, *dv;
  const float *q, *k, *v, *mask_bias, *d_ctx;
} att_args;

/** A per-head product C(M,N) (+)= op(A)·op(B) with the given strides, on this thread alone. */
static void head_gemm(const att_args *a, int thread, float *c, int64_t ldc, const float *pa,
                      int64_t ars, int64_t aks, const float *pb, int64_t bks, int64_t bns,
                      int64_t M, int64_t K, int64_t N, int accumulate) {
  gemm_op g = {a->ks->gemm, c, ldc, pa, ars, aks, pb, bks, bns, NULL, M, K, N, accumulate};
  float *scratch = pool_scratch(a->ks->pool, thread, sizeof(float) * gemm_serial_floats(&g));
  gemm_serial(&g, scratch);
}

/** Work space after the packs: 2·Tq·T floats (grown together with the packing scratch). */
static float *work_space(const att_args *a, int thread) {
  const attention_shape *s = a->s;
  const int64_t most = s->T > s->HS ? s->T : s->HS;
  gemm_op g = {a->ks->gemm, NULL, 0, NULL, 0, 0, NULL, 0, 0, NULL, s->T, most, most, 0};
  const size_t pack = gemm_serial_floats(&g);
  float *base = pool_scratch(a->ks->pool, thread, sizeof(float) * (pack + 2 * s->Tq * s->T));
  return base + pack;
}

static void forward_range(const void *args, int64_t start, int64_t end, int thread) {
  const att_args *a = args;
  const attention_shape *s = a->s;
  const int64_t C = s->NH * s->HS, QT = s->Tq * s->T;
  const float scale = 1.0f / sqrtf((float)s->HS);
  float *work = work_space(a, thread);
  for (int64_t pair = start; pair < end; pair++) {
    const int64_t b = pair / s->NH, h = pair % s->NH;
    const int64_t q_head = b * s->Tq * C + h * s->HS, kv_head = b * s->T * C + h * s->HS;
    float *P = a->probs + pair * QT;
    head_gemm(a, thread, P, s->T, a->q + q_head, C, 1, a->k + kv_head, 1, C, s->Tq, s->HS, s->T,
              0);
    const float *mb = a->mask_bias + b * s->T;
    for (int64_t i = 0; i < s->Tq; i++) {
      float *row = P + i * s->T;
      const float m = row_max(row, mb, scale, s->T);
      row_scale(row, 1.0f / row_exp(row, row, mb, scale, m, s->T), s->T);
    }
    const float *A = P;
    if (s->dropout) {  // the pair's first Tq rows, at their indices in the full (B,NH,T,T) tensor
      dropout_range(work, a->drop_mask + pair * QT, P, s->threshold, s->keep_scale, s->seed,
                    pair * s->T * s->T, QT);
      A = work;
    }
    head_gemm(a, thread, a->ctx + q_head, C, A, s->T, 1, a->v + kv_head, C, 1, s->Tq, s->T, s->HS,
              0);
  }
}

/** dS = P ⊙ (dP − Σ_j P·dP)·scale over `rows` rows of T, in place in dP. */
SIMD_CLONES static void softmax_backward(float *dP, const float *P, int64_t rows, int64_t T,
                                         float scale) {
  for (int64_t i = 0; i < rows; i++) {
    float *d = dP + i * T;
    const float *p = P + i * T;
    float dot = 0;
    for (int64_t j = 0; j < T; j++) dot += d[j] * p[j];
    for (int64_t j = 0; j < T; j++) d[j] = p[j] * (d[j] - dot) * scale;
  }
}

static void backward_range(const void *args, int64_t start, int64_t end, int thread) {
  const att_args *a = args;
  const attention_shape *s = a->s;
  const int64_t C = s->NH * s->HS, QT = s->Tq * s->T, T = s->T, Tq = s->Tq, HS = s->HS;
  const float scale = 1.0f / sqrtf((float)HS);
  float *dP = work_space(a, thread), *dropped = dP + QT;
  for (int64_t pair = start; pair < end; pair++) {
    const int64_t b = pair / s->NH, h = pair % s->NH;
    const int64_t q_head = b * Tq * C + h * HS, kv_head = b * T * C + h * HS;
    const float *P = a->probs + pair * QT, *A = P;
    head_gemm(a, thread, dP, T, a->d_ctx + q_head, C, 1, a->v + kv_head, 1, C, Tq, HS, T, 0);
    if (s->dropout) {
      const float *M = a->drop_mask + pair * QT;
      for (int64_t i = 0; i < QT; i++) {
        dropped[i] = P[i] * M[i];
        dP[i] *= M[i];
      }
      A = dropped;
    }
    head_gemm(a, thread, a->dv + kv_head, C, A, 1, T, a->d_ctx + q_head, C, 1, T, Tq, HS, 1);
    softmax_backward(dP, P, Tq, T, scale);
    head_gemm(a, thread, a->dq + q_head, C, dP, T, 1, a->k + kv_head, C, 1, Tq, T, HS, 1);
    head_gemm(a, thread, a->dk + kv_head, C, dP, 1, T, a->q + q_head, C, 1, T, Tq, HS, 1);
  }
}

void k_attention_forward(kernel_set *ks, float *ctx, float *probs, float *drop_mask,
                         const float *q, const float *k, const float *v, const float *mask_bias,
                         const attention_shape *s) {
  att_args a = {.ks = ks, .s = s, .ctx = ctx, .probs = probs, .drop_mask = drop_mask, .q = q,
                .k = k, .v = v, .mask_bias = mask_bias};
  const int64_t pairs = s->B * s->NH;
  const double work = 4.0 * pairs * s->Tq * s->T * s->HS;
  pool_run(ks->pool, forward_range, &a, pairs, pool_chunk(ks->pool, pairs, 1, work));
}

void k_attention_backward(kernel_set *ks, float *dq, float *dk, float *dv, const float *d_ctx,
                          const float *probs, const float *drop_mask, const float *q,
                          const float *k, const float *v, const attention_shape *s) {
  att_args a = {.ks = ks, .s = s, .dq = dq, .dk = dk, .dv = dv, .d_ctx = d_ctx, .probs = (float *)probs,
                .drop_mask = (float *)drop_mask, .q = q, .k = k, .v = v};
  const int64_t pairs = s->B * s->NH;
  const double work = 8.0 * pairs * s->Tq * s->T * s->HS;
  pool_run(ks->pool, backward_range, &a, pairs, pool_chunk(ks->pool, pairs, 1, work));
}
