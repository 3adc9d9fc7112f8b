// The thread pool of pool.h. Workers wait for a new generation number: they spin on it for a
// while after each job (kernels come in bursts of hundreds per training step, microseconds apart)
// and then sleep on a condition variable, so an idle pool costs no CPU.
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/** Polls of the generation before a worker sleeps: some tens of microseconds. */
#define SPIN 20000
/** Below this much work a job runs on the calling thread alone (waking a worker costs ~10 µs). */
#define MIN_PARALLEL_WORK 65536.0
#define CHUNKS_PER_THREAD 4

typedef struct {
  void *mem;
  size_t bytes;
} scratch;

struct pool {
  int threads;
  pthread_t workers[POOL_MAX_THREADS];
  scratch scratch[POOL_MAX_THREADS];
  scratch shared;
  pthread_mutex_t lock;
  pthread_cond_t wake;
  pthread_cond_t finished;
  // The posted job. Its fields change only between jobs, so they may be read only by a thread
  // holding an unfinished chunk of it (the job cannot end before that chunk is counted done).
  range_fn fn;
  const void *args;
  int64_t total, per, nchunks;
  // The job's generation (high 32 bits) beside the number of chunks not yet claimed (low 32):
  // claiming is one compare-and-swap on this word alone, so it needs no field of the job.
  _Atomic uint64_t claim;
  _Atomic int64_t done;  // chunks finished
  _Atomic uint64_t generation;
  _Atomic int stop;
};

typedef struct {
  pool *p;
  int index;
} worker_arg;

#if defined(__x86_64__) || defined(__i386__)
#define cpu_relax() __builtin_ia32_pause()
#else
#define cpu_relax() ((void)0)
#endif

/**
 * Claims chunks of generation `gen` and runs them until none is left. A chunk is claimed by
 * counting the unclaimed ones down in `claim`, and only then are the job's fields read. (Reading
 * nchunks before the claim, as this pool once did, let a thread that had seen the last chunk
 * claimed read the NEXT job's larger nchunks, win its compare-and-swap before the next claim word
 * was stored, and run a chunk of the next job twice — counting `done` past nchunks, after which
 * the caller waited for done == nchunks forever: the deadlock of the MRPC fine-tune.)
 */
static void run_chunks(pool *p, int thread, uint64_t gen) {
  uint64_t word = atomic_load_explicit(&p->claim, memory_order_acquire);
  for (;;) {
    const uint64_t left = word & 0xffffffffu;
    if (word >> 32 != (gen & 0xffffffffu) || left == 0) return;
    if (!atomic_compare_exchange_weak_explicit(&p->claim, &word, word - 1, memory_order_acq_rel,
                                               memory_order_acquire))
      continue;
    const int64_t n = p->nchunks, c = n - (int64_t)left;
    const int64_t start = c * p->per;
    const int64_t end = start + p->per < p->total ? start + p->per : p->total;
    p->fn(p->args, start, end, thread);
    if (atomic_fetch_add_explicit(&p->done, 1, memory_order_acq_rel) + 1 == n) {
      pthread_mutex_lock(&p->lock);
      pthread_cond_signal(&p->finished);
      pthread_mutex_unlock(&p->lock);
    }
    word = atomic_load_explicit(&p->claim, memory_order_acquire);
  }
}

static uint64_t next_generation(pool *p, uint64_t seen) {
  for (int i = 0; i < SPIN; i++) {
    uint64_t g = atomic_load_explicit(&p->generation, memory_order_acquire);
    if (g != seen) return g;
    cpu_relax();
  }
  pthread_mutex_lock(&p->lock);
  uint64_t g;
  while ((g = atomic_load_explicit(&p->generation, memory_order_acquire)) == seen)
    pthread_cond_wait(&p->wake, &p->lock);
  pthread_mutex_unlock(&p->lock);
  return g;
}

static void *worker_main(void *arg) {
  worker_arg w = *(worker_arg *)arg;
  free(arg);
  uint64_t seen = 0;
  for (;;) {
    seen = next_generation(w.p, seen);
    if (atomic_load(&w.p->stop)) return NULL;
    run_chunks(w.p, w.index, seen);
  }
}

pool *pool_create(int threads) {
  if (threads < 1 || threads > POOL_MAX_THREADS) return NULL;
  pool *p = calloc(1, sizeof(pool));
  if (!p) return NULL;
  p->threads = threads;
  pthread_mutex_init(&p->lock, NULL);
  pthread_cond_init(&p->wake, NULL);
  pthread_cond_init(&p->finished, NULL);
  for (int t = 1; t < threads; t++) {
    worker_arg *w = malloc(sizeof(worker_arg));
    *w = (worker_arg){p, t};
    if (!w || pthread_create(&p->workers[t], NULL, worker_main, w) != 0) {
      free(w);
      p->threads = t;  // destroy joins the ones started
      pool_destroy(p);
      return NULL;
    }
  }
  return p;
}

void pool_destroy(pool *p) {
  if (!p) return;
  pthread_mutex_lock(&p->lock);
  atomic_store(&p->stop, 1);
  atomic_fetch_add(&p->generation, 1);
  pthread_cond_broadcast(&p->wake);
  pthread_mutex_unlock(&p->lock);
  for (int t = 1; t < p->threads; t++) pthread_join(p->workers[t], NULL);
  for (int t = 0; t < POOL_MAX_THREADS; t++) free(p->scratch[t].mem);
  free(p->shared.mem);
  pthread_mutex_destroy(&p->lock);
  pthread_cond_destroy(&p->wake);
  pthread_cond_destroy(&p->finished);
  free(p);
}

int pool_threads(const pool *p) { return p->threads; }

int64_t pool_chunk(const pool *p, int64_t total, int64_t grain, double work) {
  if (total <= 0) return 1;
  if (p->threads == 1 || work < MIN_PARALLEL_WORK) return total;
  int64_t pieces = (int64_t)p->threads * CHUNKS_PER_THREAD;
  int64_t grains = (total + grain - 1) / grain;
  if (pieces > grains) pieces = grains;
  int64_t per = ((total + pieces - 1) / pieces + grain - 1) / grain * grain;
  return per < grain ? grain : per;
}

void pool_run(pool *p, range_fn fn, const void *args, int64_t total, int64_t per) {
  if (total <= 0) return;
  if (per < 1) per = 1;
  if ((total + per - 1) / per > UINT32_MAX) per = (total + UINT32_MAX - 1) / UINT32_MAX;
  int64_t n = (total + per - 1) / per;
  if (n == 1 || p->threads == 1) {
    fn(args, 0, total, 0);
    return;
  }
  p->fn = fn;
  p->args = args;
  p->total = total;
  p->per = per;
  p->nchunks = n;
  atomic_store_explicit(&p->done, 0, memory_order_relaxed);
  uint64_t gen = atomic_load_explicit(&p->generation, memory_order_relaxed) + 1;
  atomic_store_explicit(&p->claim, (gen & 0xffffffffu) << 32 | (uint64_t)n, memory_order_release);
  pthread_mutex_lock(&p->lock);
  atomic_store_explicit(&p->generation, gen, memory_order_release);
  pthread_cond_broadcast(&p->wake);
  pthread_mutex_unlock(&p->lock);
  run_chunks(p, 0, gen);
  for (int i = 0; i < SPIN; i++) {
    if (atomic_load_explicit(&p->done, memory_order_acquire) == n) return;
    cpu_relax();
  }
  pthread_mutex_lock(&p->lock);
  while (atomic_load_explicit(&p->done, memory_order_acquire) != n)
    pthread_cond_wait(&p->finished, &p->lock);
  pthread_mutex_unlock(&p->lock);
}

/** s grown to at least `bytes` (its old contents are not kept). */
static void *grow(scratch *s, size_t bytes) {
  if (s->bytes < bytes) {
    free(s->mem);
    bytes = (bytes + 63) & ~(size_t)63;
    s->mem = aligned_alloc(64, bytes);
    if (!s->mem) {
      fprintf(stderr, "bert-ts native kernels: out of memory (%zu bytes of scratch)\n", bytes);
      abort();
    }
    s->bytes = bytes;
  }
  return s->mem;
}

void *pool_scratch(pool *p, int thread, size_t bytes) { return grow(&p->scratch[thread], bytes); }

void *pool_shared(pool *p, size_t bytes) { return grow(&p->shared, bytes); }
