// The native kernels' thread pool: the calling (main) thread plus threads − 1 pthreads, the same
// scheme as the WebAssembly pool (src/engine/pool.ts). pool_run posts one job — a range function,
// its argument block and items [0, total) in chunks of `per` — and every thread, the caller
// included, claims chunks with an atomic count-down until none is left; the caller returns when all
// are done. Chunks are claimed, not assigned, so a worker the OS does not schedule for a while
// (this machine is shared) costs its chunks' time once, not a whole slice. Which thread runs a
// chunk never changes its result: every kernel computes each output element in one fixed order.
#ifndef BERT_NATIVE_POOL_H
#define BERT_NATIVE_POOL_H

#include <stddef.h>
#include <stdint.h>

#define POOL_MAX_THREADS 64

/** Runs items [start, end) of a job; `thread` (0 = the caller) picks the thread's own scratch. */
typedef void (*range_fn)(const void *args, int64_t start, int64_t end, int thread);

typedef struct pool pool;

pool *pool_create(int threads);
void pool_destroy(pool *p);
int pool_threads(const pool *p);

/** Runs fn over [0, total) in chunks of `per` on every thread; returns when all are done. */
void pool_run(pool *p, range_fn fn, const void *args, int64_t total, int64_t per);

/**
 * [0, total) cut into chunks whose starts are multiples of `grain`: one chunk when the `work`
 * (multiply-adds or element operations) is too small to share, else about 4 per thread.
 */
int64_t pool_chunk(const pool *p, int64_t total, int64_t grain, double work);

/** Memory every thread of a job may read (e.g. a packed matrix), kept between jobs. */
void *pool_shared(pool *p, size_t bytes);

/** Thread t's scratch memory of at least `bytes` bytes (64-byte aligned, kept between jobs). */
void *pool_scratch(pool *p, int thread, size_t bytes);

#endif
