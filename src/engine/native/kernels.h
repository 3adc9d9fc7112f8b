// The native kernel set: the Kernels contract of src/engine/kernels.ts in C, one function per
// kernel, each splitting its work over the pool's threads. Shapes and legend as kernels.ts (B
// batch, T sequence, C channels, NH heads, HS head size, K inner, N columns); the TypeScript side
// (src/engine/native_kernels.ts) has checked every size and id before a call. Every *_backward
// accumulates (+=). Results do not depend on the number of threads: each output element is
// computed by one thread in one fixed order, and sums over many elements go through fixed chunks.
#ifndef BERT_NATIVE_KERNELS_H
#define BERT_NATIVE_KERNELS_H

#include <stdint.h>

#include "gemm.h"
#include "pool.h"

/** A kernel set: its pool and the matrix product it uses. */
typedef struct {
  pool *pool;
  const gemm_kernel *gemm;
  int blas;  // dense products by the system OpenBLAS (blas.c) instead of gemm
} kernel_set;

enum activation { ACT_GELU = 0, ACT_RELU = 1, ACT_TANH = 2, ACT_LINEAR = 3 };

void k_matmul(kernel_set *ks, float *out, const float *a, const float *b, const float *bias,
              int64_t M, int64_t K, int64_t N, int trans_a, int trans_b, int accumulate);
void k_bias_backward(kernel_set *ks, float *d_bias, const float *d_out, int64_t M, int64_t N);

void k_activation_forward(kernel_set *ks, int act, float *out, const float *inp, int64_t n);
void k_activation_backward(kernel_set *ks, int act, float *d_inp, const float *inp,
                           const float *d_out, int64_t n);

void k_add(kernel_set *ks, float *out, const float *a, const float *b, int64_t n);
void k_zero(kernel_set *ks, float *x, int64_t n);
double k_sum_squares(kernel_set *ks, const float *x, int64_t n);
void k_adam(kernel_set *ks, float *param, const float *grad, float *m, float *v, int64_t n,
            const int32_t *runs, int64_t n_runs, float lr, float beta1, float beta2, float eps,
            float wd, float grad_scale);

/** Dropout's mask bits: lowbias32(seed ^ i·0x9e3779b9) ≥ threshold keeps (dropout_hash.ts). */
void k_dropout_forward(kernel_set *ks, float *out, float *mask, const float *inp,
                       uint32_t threshold, float keep_scale, uint32_t seed, int64_t n);
void k_dropout_backward(kernel_set *ks, float *d_inp, const float *d_out, const float *mask,
                        int64_t n);

void k_layernorm_forward(kernel_set *ks, float *out, float *mean, float *rstd, const float *inp,
                         const float *gamma, const float *beta, int64_t R, int64_t C);
void k_layernorm_backward(kernel_set *ks, float *d_inp, float *d_gamma, float *d_beta,
                          const float *d_out, const float *inp, const float *mean,
                          const float *rstd, const float *gamma, int64_t R, int64_t C);

void k_embeddings_forward(kernel_set *ks, float *out, const int32_t *ids, const int32_t *type_ids,
                          const float *word, const float *token_type, const float *pos,
                          int64_t B, int64_t T, int64_t C);
void k_embeddings_backward(kernel_set *ks, float *d_word, float *d_token_type, float *d_pos,
                           const float *d_out, const int32_t *ids, const int32_t *type_ids,
                           int64_t B, int64_t T, int64_t C);

typedef struct {
  int64_t B, Tq, T, NH, HS;
  int dropout;  // p > 0
  uint32_t threshold, seed;
  float keep_scale;
} attention_shape;

void k_attention_forward(kernel_set *ks, float *ctx, float *probs, float *drop_mask,
                         const float *q, const float *k, const float *v, const float *mask_bias,
                         const attention_shape *s);
void k_attention_backward(kernel_set *ks, float *dq, float *dk, float *dv, const float *d_ctx,
                          const float *probs, const float *drop_mask, const float *q,
                          const float *k, const float *v, const attention_shape *s);

void k_cross_entropy_forward(kernel_set *ks, float *losses, float *probs, const float *logits,
                             const int32_t *labels, int64_t R, int64_t N);
void k_cross_entropy_backward(kernel_set *ks, float *d_logits, const float *d_loss,
                              const float *probs, const int32_t *labels, int64_t R, int64_t N);

/* Row helpers shared by attention and cross-entropy (softmax.c). */
/** max_j (src_j·scale + bias_j); bias may be NULL. */
float row_max(const float *src, const float *bias, float scale, int64_t n);
/** dst_j = e^(src_j·scale + bias_j − m), returns Σ dst_j; dst may equal src. */
float row_exp(float *dst, const float *src, const float *bias, float scale, float m, int64_t n);
void row_scale(float *row, float s, int64_t n);
/** mask_i = hash(seed, base + i) ≥ threshold ? keep : 0, out_i = inp_i·mask_i (out may be NULL). */
void dropout_range(float *out, float *mask, const float *inp, uint32_t threshold, float keep,
                   uint32_t seed, int64_t base, int64_t n);

#endif
