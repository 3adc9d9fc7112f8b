// The Node-API face of the native kernels: one JavaScript function per kernel, taking the kernel
// set (an external made by createSet), typed arrays and numbers; src/engine/native_kernels.ts has
// checked every size before the call, so this layer only unpacks arguments. Typed arrays are read
// in place (napi_get_typedarray_info gives the address of their first element): no copies.
#include <node_api.h>
#include <stdlib.h>
#include <string.h>

#include "blas.h"
#include "kernels.h"

#define MAX_ARGS 20

typedef struct {
  napi_env env;
  napi_value v[MAX_ARGS];
  size_t n;
  int failed;
} args;

static int fail(args *a, const char *msg) {
  if (!a->failed) napi_throw_type_error(a->env, NULL, msg);
  a->failed = 1;
  return 0;
}

static void *array_of(args *a, size_t i, napi_typedarray_type want) {
  if (i >= a->n) return fail(a, "bert-ts native: missing argument"), NULL;
  napi_valuetype t;
  napi_typeof(a->env, a->v[i], &t);
  if (t == napi_null) return NULL;
  napi_typedarray_type type;
  void *data = NULL;
  size_t length;
  if (napi_get_typedarray_info(a->env, a->v[i], &type, &length, &data, NULL, NULL) != napi_ok ||
      type != want)
    return fail(a, "bert-ts native: expected a Float32Array or Int32Array"), NULL;
  return data;
}

static float *f32(args *a, size_t i) { return array_of(a, i, napi_float32_array); }
static int32_t *i32(args *a, size_t i) { return array_of(a, i, napi_int32_array); }

static double num(args *a, size_t i) {
  double d = 0;
  if (i >= a->n || napi_get_value_double(a->env, a->v[i], &d) != napi_ok)
    fail(a, "bert-ts native: expected a number");
  return d;
}

static int64_t int_(args *a, size_t i) { return (int64_t)num(a, i); }

static kernel_set *set_of(args *a) {
  kernel_set *ks = NULL;
  if (a->n < 1 || napi_get_value_external(a->env, a->v[0], (void **)&ks) != napi_ok || !ks ||
      !ks->pool)
    fail(a, "bert-ts native: kernel call on a disposed or invalid kernel set");
  return ks;
}

static args read_args(napi_env env, napi_callback_info info) {
  args a = {env, {0}, MAX_ARGS, 0};
  napi_get_cb_info(env, info, &a.n, a.v, NULL, NULL);
  return a;
}

static napi_value undefined(napi_env env) {
  napi_value u;
  napi_get_undefined(env, &u);
  return u;
}

static napi_value number(napi_env env, double d) {
  napi_value v;
  napi_create_double(env, d, &v);
  return v;
}

static napi_value string(napi_env env, const char *s) {
  napi_value v;
  napi_create_string_utf8(env, s, NAPI_AUTO_LENGTH, &v);
  return v;
}

/** Arguments 1.. as a kernel call; evaluates `call` only when every argument unpacked. */
#define KERNEL(name, call)                                   \
  static napi_value name(napi_env env, napi_callback_info info) { \
    args a = read_args(env, info);                           \
    kernel_set *ks = set_of(&a);                             \
    if (!a.failed) {                                         \
      call;                                                  \
    }                                                        \
    (void)ks;                                                \
    return undefined(env);                                   \
  }

static void finalize_set(napi_env env, void *data, void *hint) {
  (void)env, (void)hint;
  kernel_set *ks = data;
  pool_destroy(ks->pool);
  free(ks);
}

/**
 * createSet(threads, isa): isa "auto" (the best this CPU runs), "avx512", "avx2", "generic", or
 * "openblas" (dense products by the system OpenBLAS, the rest as "auto").
 */
static napi_value create_set(napi_env env, napi_callback_info info) {
  args a = read_args(env, info);
  char isa[16] = {0};
  size_t len;
  const int threads = (int)num(&a, 0);
  if (a.n < 2 || napi_get_value_string_utf8(env, a.v[1], isa, sizeof isa, &len) != napi_ok)
    fail(&a, "bert-ts native: createSet(threads, isa)");
  if (a.failed) return NULL;
  const int blas = strcmp(isa, "openblas") == 0;
  if (blas && !blas_available()) return string(env, "no system OpenBLAS (libopenblas.so.0)");
  const gemm_kernel *g =
      strcmp(isa, "auto") == 0 || blas ? gemm_kernel_best() : gemm_kernel_named(isa);
  if (!g) return string(env, "this CPU does not run that instruction set");
  kernel_set *ks = calloc(1, sizeof(kernel_set));
  ks->gemm = g;
  ks->blas = blas;
  ks->pool = pool_create(threads);
  if (!ks->pool) {
    free(ks);
    return string(env, "could not start the threads");
  }
  napi_value ext;
  napi_create_external(env, ks, finalize_set, NULL, &ext);
  return ext;
}

/** destroySet(set): joins the threads now (the set's finalizer would do it at collection). */
static napi_value destroy_set(napi_env env, napi_callback_info info) {
  args a = read_args(env, info);
  kernel_set *ks = set_of(&a);
  if (!a.failed) {
    pool_destroy(ks->pool);
    ks->pool = NULL;
  }
  return undefined(env);
}

static napi_value isa_of(napi_env env, napi_callback_info info) {
  args a = read_args(env, info);
  kernel_set *ks = set_of(&a);
  return a.failed ? NULL : string(env, ks->blas ? "openblas" : ks->gemm->name);
}

/** misalignment(array): elements from its start to the next 64-byte boundary. */
static napi_value misalignment(napi_env env, napi_callback_info info) {
  args a = read_args(env, info);
  const char *p = (const char *)f32(&a, 0);
  if (a.failed) return NULL;
  return number(env, (double)(((64 - (uintptr_t)p % 64) % 64) / sizeof(float)));
}

KERNEL(matmul, k_matmul(ks, f32(&a, 1), f32(&a, 2), f32(&a, 3), f32(&a, 4), int_(&a, 5),
                        int_(&a, 6), int_(&a, 7), int_(&a, 8), int_(&a, 9), int_(&a, 10)))
KERNEL(bias_backward, k_bias_backward(ks, f32(&a, 1), f32(&a, 2), int_(&a, 3), int_(&a, 4)))
KERNEL(activation_forward,
       k_activation_forward(ks, (int)int_(&a, 1), f32(&a, 2), f32(&a, 3), int_(&a, 4)))
KERNEL(activation_backward, k_activation_backward(ks, (int)int_(&a, 1), f32(&a, 2), f32(&a, 3),
                                                  f32(&a, 4), int_(&a, 5)))
KERNEL(add, k_add(ks, f32(&a, 1), f32(&a, 2), f32(&a, 3), int_(&a, 4)))
KERNEL(zero, k_zero(ks, f32(&a, 1), int_(&a, 2)))
KERNEL(dropout_forward, k_dropout_forward(ks, f32(&a, 1), f32(&a, 2), f32(&a, 3),
                                          (uint32_t)num(&a, 4), (float)num(&a, 5),
                                          (uint32_t)num(&a, 6), int_(&a, 7)))
KERNEL(dropout_backward, k_dropout_backward(ks, f32(&a, 1), f32(&a, 2), f32(&a, 3), int_(&a, 4)))
KERNEL(layernorm_forward, k_layernorm_forward(ks, f32(&a, 1), f32(&a, 2), f32(&a, 3), f32(&a, 4),
                                              f32(&a, 5), f32(&a, 6), int_(&a, 7), int_(&a, 8)))
KERNEL(layernorm_backward,
       k_layernorm_backward(ks, f32(&a, 1), f32(&a, 2), f32(&a, 3), f32(&a, 4), f32(&a, 5),
                            f32(&a, 6), f32(&a, 7), f32(&a, 8), int_(&a, 9), int_(&a, 10)))
KERNEL(embeddings_forward,
       k_embeddings_forward(ks, f32(&a, 1), i32(&a, 2), i32(&a, 3), f32(&a, 4), f32(&a, 5),
                            f32(&a, 6), int_(&a, 7), int_(&a, 8), int_(&a, 9)))
KERNEL(embeddings_backward,
       k_embeddings_backward(ks, f32(&a, 1), f32(&a, 2), f32(&a, 3), f32(&a, 4), i32(&a, 5),
                             i32(&a, 6), int_(&a, 7), int_(&a, 8), int_(&a, 9)))
KERNEL(cross_entropy_forward, k_cross_entropy_forward(ks, f32(&a, 1), f32(&a, 2), f32(&a, 3),
                                                      i32(&a, 4), int_(&a, 5), int_(&a, 6)))
KERNEL(cross_entropy_backward, k_cross_entropy_backward(ks, f32(&a, 1), f32(&a, 2), f32(&a, 3),
                                                        i32(&a, 4), int_(&a, 5), int_(&a, 6)))
KERNEL(adam, k_adam(ks, f32(&a, 1), f32(&a, 2), f32(&a, 3), f32(&a, 4), int_(&a, 5), i32(&a, 6),
                    int_(&a, 7), (float)num(&a, 8), (float)num(&a, 9), (float)num(&a, 10),
                    (float)num(&a, 11), (float)num(&a, 12), (float)num(&a, 13)))

/** The attention shape from arguments [i, i + 9): B, Tq, T, NH, HS, p > 0, threshold, keep, seed. */
static attention_shape shape_of(args *a, size_t i) {
  return (attention_shape){int_(a, i), int_(a, i + 1), int_(a, i + 2), int_(a, i + 3),
                           int_(a, i + 4), (int)int_(a, i + 5), (uint32_t)num(a, i + 6),
                           (uint32_t)num(a, i + 8), (float)num(a, i + 7)};
}

KERNEL(attention_forward, {
  attention_shape s = shape_of(&a, 8);
  if (!a.failed)
    k_attention_forward(ks, f32(&a, 1), f32(&a, 2), f32(&a, 3), f32(&a, 4), f32(&a, 5),
                        f32(&a, 6), f32(&a, 7), &s);
})
KERNEL(attention_backward, {
  attention_shape s = shape_of(&a, 10);
  if (!a.failed)
    k_attention_backward(ks, f32(&a, 1), f32(&a, 2), f32(&a, 3), f32(&a, 4), f32(&a, 5),
                         f32(&a, 6), f32(&a, 7), f32(&a, 8), f32(&a, 9), &s);
})

static napi_value sum_squares(napi_env env, napi_callback_info info) {
  args a = read_args(env, info);
  kernel_set *ks = set_of(&a);
  const float *x = f32(&a, 1);
  const int64_t n = int_(&a, 2);
  return a.failed ? NULL : number(env, k_sum_squares(ks, x, n));
}

NAPI_MODULE_INIT() {
  const napi_property_descriptor fns[] = {
#define FN(js, c) {js, NULL, c, NULL, NULL, NULL, napi_default, NULL}
      FN("createSet", create_set),
      FN("destroySet", destroy_set),
      FN("isa", isa_of),
      FN("misalignment", misalignment),
      FN("matmul", matmul),
      FN("biasBackward", bias_backward),
      FN("activationForward", activation_forward),
      FN("activationBackward", activation_backward),
      FN("add", add),
      FN("zero", zero),
      FN("sumSquares", sum_squares),
      FN("dropoutForward", dropout_forward),
      FN("dropoutBackward", dropout_backward),
      FN("layernormForward", layernorm_forward),
      FN("layernormBackward", layernorm_backward),
      FN("embeddingsForward", embeddings_forward),
      FN("embeddingsBackward", embeddings_backward),
      FN("attentionForward", attention_forward),
      FN("attentionBackward", attention_backward),
      FN("crossEntropyForward", cross_entropy_forward),
      FN("crossEntropyBackward", cross_entropy_backward),
      FN("adamWeightDecay", adam),
#undef FN
  };
  napi_define_properties(env, exports, sizeof fns / sizeof fns[0], fns);
  return exports;
}
