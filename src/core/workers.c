/* workers: a bounded parallel for; see workers.h. */
#include "workers.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "xalloc.h"

#define MAX_THREADS 8
#define CHUNK 16

unsigned mg_cpus_available(void)
{
	cpu_set_t cs;
	int n = 0;

	if (sched_getaffinity(0, sizeof(cs), &cs) == 0)
		n = CPU_COUNT(&cs);
	return n < 1 ? 1 : (unsigned)n;
}

/* MIGRATE_THREADS, else the CPUs, at most MAX_THREADS (workers.h) */
static unsigned workers_count(void)
{
	const char *e = getenv("MIGRATE_THREADS");
	long n = 0;

	if (e && *e) {
		char *end;
		n = strtol(e, &end, 10);
		if (*end || n < 1)
			n = 0;
	}
	if (!n)
		n = mg_cpus_available();
	return n > MAX_THREADS ? MAX_THREADS : (unsigned)n;
}

struct pool {
	size_t n, chunk;
	atomic_size_t next;
	void (*fn)(void *arg, size_t i);
	void *arg;
};

static void *drain(void *p_)
{
	struct pool *p = p_;

	for (;;) {
		size_t i = atomic_fetch_add(&p->next, p->chunk);
		size_t end = i + p->chunk < p->n ? i + p->chunk : p->n;
		if (i >= p->n)
			break;
		for (; i < end; i++)
			p->fn(p->arg, i);
	}
	return NULL;
}

void mg_workers_run_on(unsigned threads, size_t chunk, size_t n,
		       void (*fn)(void *arg, size_t i), void *arg)
{
	struct pool p = { .n = n, .chunk = chunk ? chunk : 1, .fn = fn, .arg = arg };
	pthread_t *th = NULL;
	unsigned got = 0;

	atomic_init(&p.next, 0);
	if (threads > 1)
		th = mg_xcalloc(threads - 1, sizeof(*th));
	/* the caller is one of the threads; a thread that cannot be
	 * created leaves its share to the others */
	for (unsigned k = 1; k < threads; k++)
		if (pthread_create(&th[got], NULL, drain, &p) == 0)
			got++;
	drain(&p);
	for (unsigned k = 0; k < got; k++)
		pthread_join(th[k], NULL);
	free(th);
}

void mg_workers_run(size_t n, size_t min_per_thread,
		    void (*fn)(void *arg, size_t i), void *arg)
{
	unsigned want = workers_count();

	if (min_per_thread < 1)
		min_per_thread = 1;
	if (want > n / min_per_thread)
		want = (unsigned)(n / min_per_thread);
	mg_workers_run_on(want, CHUNK, n, fn, arg);
}
