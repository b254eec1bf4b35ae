/* pqload: libpq loaded at run time; see pqload.h. */
#include "pqload.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Each member must have exactly the type of libpq's prototype: a
 * _Generic over the function's address is 1 only for that pointer type.
 * The controlling expression is not evaluated, so this references no
 * libpq symbol (nothing to link).
 */
#define MG_PQ_CHECK(ret, name, params)                                        \
	_Static_assert(_Generic(&name, ret (*) params: 1, default: 0),        \
		       #name " in pqload.h does not match libpq-fe.h");
MG_PQ_FUNCS(MG_PQ_CHECK)
#undef MG_PQ_CHECK

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct mg_pq table;
static int loaded;            /* 1 when table is complete */
static char lib[512];         /* the file dlopen was given */
static char reason[1024];     /* why loading failed, naming lib */
static int from_env;          /* lib came from MIGRATE_LIBPQ */

static void load(void)
{
	const char *env = getenv("MIGRATE_LIBPQ");
	void *h;
	const char *e;

	from_env = env && *env;
	snprintf(lib, sizeof(lib), "%s", from_env ? env : MG_PQ_SONAME);
	h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		/* glibc: "<file>: cannot open shared object file: ..." */
		e = dlerror();
		if (e && strstr(e, lib))
			snprintf(reason, sizeof(reason), "%s", e);
		else
			snprintf(reason, sizeof(reason), "%s: %s", lib,
				 e ? e : "cannot be loaded");
		return;
	}
	/* dlsym returns void *; POSIX guarantees it converts to a function
	 * pointer (memcpy keeps -Wpedantic quiet about the conversion) */
#define MG_PQ_SYM(ret, name, params)                                          \
	{                                                                     \
		void *s;                                                      \
		dlerror();                                                    \
		s = dlsym(h, #name);                                          \
		if (!s) {                                                     \
			snprintf(reason, sizeof(reason), "%s has no %s (libpq " \
				 "14 or later is needed)", lib, #name);       \
			dlclose(h);                                           \
			memset(&table, 0, sizeof(table));                     \
			return;                                               \
		}                                                             \
		memcpy(&table.name, &s, sizeof(s));                           \
	}
	MG_PQ_FUNCS(MG_PQ_SYM)
#undef MG_PQ_SYM
	loaded = 1;
}

const struct mg_pq *mg_pq_load(struct mg_err *err)
{
	int rc = pthread_once(&once, load);

	if (rc == 0 && loaded)
		return &table;
	mg_err_set(err, MG_EDB, "cannot-connect",
		   "cannot connect to PostgreSQL: cannot load libpq: %s",
		   rc ? strerror(rc) : reason);
	if (from_env)
		mg_err_hint(err, "MIGRATE_LIBPQ names the file to load: unset it to "
				 "load %s (Debian, Ubuntu: apt-get install libpq5)",
			    MG_PQ_SONAME);
	else
		mg_err_hint(err, "install the PostgreSQL client library: apt-get "
				 "install libpq5 (Debian, Ubuntu), or set "
				 "MIGRATE_LIBPQ to the path of %s", MG_PQ_SONAME);
	return NULL;
}
