/*
 * workers: run fn(arg, i) for every i in [0, n) on a few threads.
 *
 * For independent jobs that each write only their own result slot (the
 * migration loader reads and checksums file i into slot i), so the
 * outcome does not depend on the thread count or on timing: callers
 * inspect the slots afterwards, in index order. The calling thread takes
 * part; at most MIGRATE_THREADS threads run when it is set (1 = no extra
 * thread), else one per CPU this process may run on, at most 8; small n
 * runs inline.
 * Indexes are handed out in chunks from an atomic counter.
 */
#ifndef MG_WORKERS_H
#define MG_WORKERS_H

#include <stddef.h>

/* The CPUs this process may run on (its affinity mask; a container's
 * cpuset), at least 1. */
unsigned mg_cpus_available(void);

/* Run fn(arg, i) for each i < n; returns when all are done. Jobs of fewer
 * than min_per_thread items per thread are not worth a thread. */
void mg_workers_run(size_t n, size_t min_per_thread,
		    void (*fn)(void *arg, size_t i), void *arg);
/* The same on exactly `threads` threads (the caller included; 0 or 1:
 * inline), handing out `chunk` indexes at a time. */
void mg_workers_run_on(unsigned threads, size_t chunk, size_t n,
		       void (*fn)(void *arg, size_t i), void *arg);

#endif
