// A stress test of the native kernels' thread pool (src/engine/native/pool.c), compiled and run by
// test/engine/pool_stress.test.ts: many tiny jobs posted back to back whose chunk counts go up and
// down (as k_matmul's pack-then-compute and layernorm's rows-then-columns jobs do), on a pool
// created and destroyed again and again. Every item of every job must run exactly once, in the
// chunk the job's `per` gives it, before pool_run returns: each item stamps the job's number, so a
// stamp that is already this job's is a double run and one still behind after pool_run a missed
// item. A hang is the caller's to catch (the test runs this under a timeout). The pool before the
// fix of its claim word failed 12 of 15 runs of 10^6 jobs here (2, 3 or 8 threads on 2 cores),
// by a hang or a double run.
//   pool_stress THREADS JOBS CYCLES  →  "ok ..." and exit 0, or the first fault and exit 1
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "pool.h"

#define MAX_ITEMS 64

#if defined(__x86_64__) || defined(__i386__)
#define cpu_relax() __builtin_ia32_pause()
#else
#define cpu_relax() ((void)0)
#endif

typedef struct {
  _Atomic int64_t *stamps;
  _Atomic int *faults;
  int64_t job, total, per;
} job_args;

static void stamp_range(const void *args, int64_t start, int64_t end, int thread) {
  const job_args *a = args;
  const int64_t want_end = start + a->per < a->total ? start + a->per : a->total;
  if (start % a->per != 0 || end != want_end || thread < 0) atomic_fetch_add(a->faults, 1);
  for (int64_t i = start; i < end; i++)
    if (atomic_exchange(&a->stamps[i], a->job) == a->job) atomic_fetch_add(a->faults, 1);
}

/** Runs `jobs` jobs of random sizes on p; returns the number of the first faulty one, or 0. */
static int64_t run_jobs(pool *p, int64_t first_job, int64_t jobs, unsigned *seed) {
  static _Atomic int64_t stamps[MAX_ITEMS];
  _Atomic int faults = 0;
  for (int64_t j = first_job; j < first_job + jobs; j++) {
    *seed = *seed * 1103515245u + 12345u;
    job_args a = {stamps, &faults, j, 1 + (*seed >> 8) % MAX_ITEMS, 1 + (*seed >> 20) % 8};
    pool_run(p, stamp_range, &a, a.total, a.per);
    for (int64_t i = 0; i < a.total; i++)
      if (atomic_load(&stamps[i]) != j) atomic_fetch_add(&faults, 1);
    if (atomic_load(&faults)) return j;
    // a pause of varying length before the next job sweeps its posting across a worker's way back
    // from the last one, where the old pool's race was
    for (unsigned k = (*seed >> 12) % 16; k > 0; k--) cpu_relax();
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: pool_stress THREADS JOBS CYCLES\n");
    return 2;
  }
  const int threads = atoi(argv[1]);
  const int64_t jobs = atoll(argv[2]);
  const int cycles = atoi(argv[3]);
  unsigned seed = 1;
  for (int c = 0; c < cycles; c++) {
    pool *p = pool_create(threads);
    if (!p) {
      printf("pool_create(%d) failed\n", threads);
      return 1;
    }
    const int64_t bad = run_jobs(p, 1 + c * jobs, jobs, &seed);
    pool_destroy(p);
    if (bad) {
      printf("job %lld of cycle %d: an item ran twice, ran in the wrong chunk or did not run\n",
             (long long)bad, c);
      return 1;
    }
  }
  printf("ok: %d cycles of %lld jobs on %d threads\n", cycles, (long long)jobs, threads);
  return 0;
}
