// The matrix product C(M,N) = op(A)(M,K)·op(B)(K,N) (+ bias) (+ C), float32, every operand
// addressed through element strides (as the WebAssembly gemm, src/engine/wasm/matmul.ts), so one
// routine serves the dense layers (X·W, dY·Wᵀ, Xᵀ·dY) and the per-head attention products:
//   op(A)[i,k] = a[i·ars + k·aks],  op(B)[k,j] = b[k·bks + j·bns],  C[i,j] = c[i·ldc + j].
// Blocking (Goto/BLIS): the product runs k-block by k-block (KC rows of op(B) at a time). Each
// k-block of op(B) is packed into panels of NR columns (KC×NR floats, contiguous); then for each
// block of NC columns, each strip of MR rows of op(A) is packed (MR×KC floats, in L1) and the
// micro-kernel (gemm_avx512.c, gemm_avx2.c, or the plain C one) runs it against every panel of the
// block, keeping an MR×NR tile of C in registers over the k-block and reading both packs
// sequentially (A as MR row streams at fixed offsets: packing it row by row is a memcpy per row,
// where interleaving it k by k was a scalar transposition that cost a third of a K = 128 product). The NC block of panels (KC×NC floats = 512 KB) stays in L2 while the strips sweep
// it; an A strip is packed right before it is used (packing the thread's whole A k-block ahead
// measured slower: at 4096 rows it is 2–4 MB, out of L2 by the time a strip is read).
#ifndef BERT_NATIVE_GEMM_H
#define BERT_NATIVE_GEMM_H

#include <stddef.h>
#include <stdint.h>

/** Rows of op(B) per k-block: a KC×NR panel (32 KB at NR 32) stays in L1 during a strip. */
#define GEMM_KC 256
/** Columns per block of the compute loop: KC×NC floats = 512 KB of packed B, in L2. */
#define GEMM_NC 512

/**
 * C tile (rows ≤ MR, cols ≤ NR) at c (row step ldc) = Σ_k pa[r·KC + k]·pb[k·NR + j]
 * (+ bias[j] when bias) (+ the old C when load_c), added in that order for every element. The A
 * strip holds its MR rows KC floats apart, so the kernel's broadcasts address them with constant
 * offsets from one pointer.
 */
typedef void (*gemm_micro_kernel)(int kc, const float *pa, int64_t lda, const float *pb, float *c,
                                  int64_t ldc, const float *bias, int load_c, int rows, int cols);

typedef struct {
  const char *name;
  int mr, nr;
  gemm_micro_kernel fn;
} gemm_kernel;

extern const gemm_kernel gemm_kernel_avx512;
extern const gemm_kernel gemm_kernel_avx2;
extern const gemm_kernel gemm_kernel_generic;

/** The fastest micro-kernel this CPU runs: AVX-512, else AVX2 + FMA, else plain C. */
const gemm_kernel *gemm_kernel_best(void);
/** The kernel named "avx512", "avx2" or "generic" if this CPU runs it, else NULL. */
const gemm_kernel *gemm_kernel_named(const char *name);

typedef struct {
  const gemm_kernel *kernel;
  float *c;
  int64_t ldc;
  const float *a;
  int64_t ars, aks;
  const float *b;
  int64_t bks, bns;
  const float *bias;  // N floats, or NULL
  int64_t M, K, N;
  int accumulate;  // C += rather than C =
} gemm_op;

/** Floats of one k-block of op(B) packed: ⌈N/NR⌉ panels of KC×NR (zero padded past N). */
size_t gemm_packed_b_floats(const gemm_op *g);
/** Packs panels [p0, p1) of the k-block of op(B) at k0 (kc rows) into `packed`. */
void gemm_pack_b(const gemm_op *g, float *packed, int64_t k0, int64_t kc, int64_t p0, int64_t p1);
/** Floats of a thread's A strip scratch (MR rows of KC). */
size_t gemm_packed_a_floats(const gemm_op *g);
/**
 * C[i0..i1, j0..j1] (+)= the k-block at k0 of the product, from that k-block of op(B) packed;
 * j0 a multiple of NR. Bias is added in the first k-block, C loaded from the second on (or from
 * the first with accumulate). apack: gemm_packed_a_floats of this thread's scratch.
 */
void gemm_compute(const gemm_op *g, const float *packed_b, float *apack, int64_t k0, int64_t kc,
                  int64_t i0, int64_t i1, int64_t j0, int64_t j1);
/** The whole product on the calling thread, `scratch` holding both packs (gemm_serial_floats). */
void gemm_serial(const gemm_op *g, float *scratch);
size_t gemm_serial_floats(const gemm_op *g);

#endif
