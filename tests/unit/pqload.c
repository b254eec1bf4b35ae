/* Unit tests: src/db/pqload (libpq loaded at run time) and the PostgreSQL
 * driver's open through it. libpq is loaded once per process, so each case
 * runs in a child process of its own (fork) with its own MIGRATE_LIBPQ. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "db/driver.h"
#include "db/pqload.h"
#include "test.h"

/* A failed check in a child: say where, exit 1 (_exit: the child must not
 * run the parent's atexit handlers or flush its buffers twice). */
#define CCHECK(cond)                                                      \
	do {                                                              \
		if (!(cond)) {                                            \
			printf("  %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			fflush(stdout);                                   \
			_exit(1);                                         \
		}                                                         \
	} while (0)

/* Run fn in a child; its exit status (0 = every check passed). */
static int in_child(void (*fn)(void))
{
	pid_t pid;
	int st = 0;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		fn();
		fflush(stdout);
		_exit(0);
	}
	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void missing_library(void)
{
	struct mg_err e = MG_ERR_INIT, e2 = MG_ERR_INIT, e3 = MG_ERR_INIT;
	struct mg_dburl u;
	struct mg_db *db = (struct mg_db *)1;

	CCHECK(setenv("MIGRATE_LIBPQ", "/nonexistent/libpq.so", 1) == 0);
	CCHECK(mg_pq_load(&e) == NULL);
	CCHECK(e.code == MG_EDB);
	CCHECK(mg_err_exit_code(e.code) == 3);
	CCHECK(!strcmp(e.id, "cannot-connect"));
	CCHECK(strstr(e.msg, "cannot load libpq"));
	CCHECK(strstr(e.msg, "/nonexistent/libpq.so"));
	CCHECK(e.hint && strstr(e.hint, "MIGRATE_LIBPQ"));
	CCHECK(strstr(e.hint, "apt-get install libpq5"));
	/* not retried: the same answer, even once the variable is gone */
	CCHECK(unsetenv("MIGRATE_LIBPQ") == 0);
	CCHECK(mg_pq_load(&e2) == NULL);
	CCHECK(!strcmp(e2.msg, e.msg));
	/* the driver reports it as a connection failure, before allocating */
	CCHECK(mg_dburl_parse(&u, "postgres://app:s3cret@db.example/shop", &e3) == 0);
	CCHECK(mg_db_open(&db, &u, NULL, &e3) == MG_EDB);
	CCHECK(db == NULL);
	CCHECK(!strcmp(e3.id, "cannot-connect"));
	CCHECK(strstr(e3.msg, "/nonexistent/libpq.so"));
	CCHECK(!strstr(e3.msg, "s3cret"));
	mg_dburl_release(&u);
	mg_err_release(&e);
	mg_err_release(&e2);
	mg_err_release(&e3);
}

TEST(test_pqload__missing_library_is_an_error_not_a_crash)
{
	CHECK_INT(in_child(missing_library), 0);
}

static void *load_in_thread(void *arg)
{
	struct mg_err e = MG_ERR_INIT;
	const struct mg_pq *pq = mg_pq_load(&e);

	(void)arg;
	mg_err_release(&e);
	return (void *)pq;
}

static void loads(void)
{
	struct mg_err e = MG_ERR_INIT;
	const struct mg_pq *pq, *from[4];
	pthread_t t[4];
	struct mg_dburl u;
	struct mg_db *db = (struct mg_db *)1;

	CCHECK(unsetenv("MIGRATE_LIBPQ") == 0);
	/* first use from several threads at once: one load, one table */
	for (int i = 0; i < 4; i++)
		CCHECK(pthread_create(&t[i], NULL, load_in_thread, NULL) == 0);
	for (int i = 0; i < 4; i++) {
		void *r;
		CCHECK(pthread_join(t[i], &r) == 0);
		from[i] = r;
	}
	pq = mg_pq_load(&e);
	CCHECK(pq != NULL);
	CCHECK(e.code == 0);
	for (int i = 0; i < 4; i++)
		CCHECK(from[i] == pq);
	CCHECK(pq->PQlibVersion() >= 140000); /* pipeline mode */
	/* a real connection attempt through the table: no server there */
	CCHECK(mg_dburl_parse(&u, "host=/nonexistent-socket-dir dbname=x "
			      "password=s3cret", &e) == 0);
	CCHECK(mg_db_open(&db, &u, NULL, &e) == MG_EDB);
	CCHECK(db == NULL);
	CCHECK(!strcmp(e.id, "cannot-connect"));
	CCHECK(strstr(e.msg, "/nonexistent-socket-dir"));
	CCHECK(!strstr(e.msg, "s3cret"));
	mg_dburl_release(&u);
	mg_err_release(&e);
}

TEST(test_pqload__loads_once_and_connects_through_the_table)
{
	CHECK_INT(in_child(loads), 0);
}
