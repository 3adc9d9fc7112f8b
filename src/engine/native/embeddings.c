// BERT embeddings before LayerNorm (modeling.embedding_lookup + embedding_postprocessor):
// out(B,T,C) = word[ids] + tokenType[typeIds] + pos[t], ids already checked against their tables.
// Forward splits the B·T rows; backward is a scatter-add into rows chosen by the ids (two tokens
// may share an id), so it splits the C columns: no two threads touch one element, no atomics.
#include "kernels.h"
#include "vecmath.h"

typedef struct {
  float *out, *d_type, *d_pos;
  const float *word, *type, *pos, *d_out;
  const int32_t *ids, *type_ids;
  int64_t BT, T, C;
} emb_args;

SIMD_CLONES static void forward_range(const void *args, int64_t s, int64_t e, int thread) {
  (void)thread;
  const emb_args *a = args;
  const int64_t C = a->C;
  for (int64_t r = s; r < e; r++) {
    const float *w = a->word + a->ids[r] * C, *y = a->type + a->type_ids[r] * C;
    const float *p = a->pos + (r % a->T) * C;
    float *d = a->out + r * C;
    for (int64_t j = 0; j < C; j++) d[j] = w[j] + y[j] + p[j];
  }
}

SIMD_CLONES static void backward_range(const void *args, int64_t s, int64_t e, int thread) {
  (void)thread;
  const emb_args *a = args;
  const int64_t C = a->C;
  float *d_word = a->out;
  for (int64_t r = 0; r < a->BT; r++) {
    const float *g = a->d_out + r * C;
    float *w = d_word + a->ids[r] * C, *y = a->d_type + a->type_ids[r] * C;
    float *p = a->d_pos + (r % a->T) * C;
    for (int64_t j = s; j < e; j++) {
      w[j] += g[j];
      y[j] += g[j];
      p[j] += g[j];
    }
  }
}

void k_embeddings_forward(kernel_set *ks, float *out, const int32_t *ids, const int32_t *type_ids,
                          const float *word, const float *token_type, const float *pos,
                          int64_t B, int64_t T, int64_t C) {
  emb_args a = {.out = out, .word = word, .type = token_type, .pos = pos, .ids = ids,
                .type_ids = type_ids, .BT = B * T, .T = T, .C = C};
  pool_run(ks->pool, forward_range, &a, B * T, pool_chunk(ks->pool, B * T, 1, 3.0 * B * T * C));
}

void k_embeddings_backward(kernel_set *ks, float *d_word, float *d_token_type, float *d_pos,
                           const float *d_out, const int32_t *ids, const int32_t *type_ids,
                           int64_t B, int64_t T, int64_t C) {
  emb_args a = {.out = d_word, .d_type = d_token_type, .d_pos = d_pos, .d_out = d_out, .ids = ids,
                .type_ids = type_ids, .BT = B * T, .T = T, .C = C};
  pool_run(ks->pool, backward_range, &a, C, pool_chunk(ks->pool, C, 16, 3.0 * B * T * C));
}
