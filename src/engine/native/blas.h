// The optional system BLAS of blas.c.
#ifndef BERT_NATIVE_BLAS_H
#define BERT_NATIVE_BLAS_H

#include "gemm.h"

/** Loads the system OpenBLAS once; 1 when its cblas_sgemm can be called. */
int blas_available(void);
/** C[i0..i1, j0..j1] of g (op(A) = Aᵀ when ta, op(B) = Bᵀ when tb) by cblas_sgemm, then + bias. */
void blas_gemm(const gemm_op *g, int ta, int tb, int64_t i0, int64_t i1, int64_t j0, int64_t j1);

#endif
