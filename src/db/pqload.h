/*
 * pqload: the libpq functions migrate uses, resolved once at run time.
 *
 * migrate does not link libpq: loading it and its ~28 dependencies costs
 * every process ~17 ms of start-up, and only PostgreSQL URLs need it.
 * mg_pq_load() dlopens "libpq.so.5" (RTLD_NOW | RTLD_LOCAL; the
 * environment variable MIGRATE_LIBPQ names another file, e.g. for a
 * libpq outside the loader's path, or a nonexistent one to test the
 * failure) on its first call, resolves every function below with dlsym,
 * and never unloads it. pthread_once makes the load happen once per
 * process whatever the number of threads; later calls return the same
 * outcome.
 *
 * The types and prototypes are libpq's own (libpq-fe.h, from libpq-dev):
 * each member's type is written from the prototype and checked against it
 * at compile time in pqload.c, so a mismatch does not build.
 * Only src/db/driver_pg.c calls libpq, always through this table.
 */
#ifndef MG_PQLOAD_H
#define MG_PQLOAD_H

#include <libpq-fe.h>

#include "../core/err.h"

/* The soname loaded unless MIGRATE_LIBPQ says otherwise (Debian: libpq5). */
#define MG_PQ_SONAME "libpq.so.5"

/* X(return type, name, parameter list): every libpq function migrate calls. */
#define MG_PQ_FUNCS(X)                                                        \
	X(PGconn *, PQconnectdbParams, (const char *const *keywords,          \
		const char *const *values, int expand_dbname))                \
	X(void, PQfinish, (PGconn *conn))                                     \
	X(ConnStatusType, PQstatus, (const PGconn *conn))                     \
	X(PGTransactionStatusType, PQtransactionStatus, (const PGconn *conn)) \
	X(int, PQserverVersion, (const PGconn *conn))                         \
	X(char *, PQerrorMessage, (const PGconn *conn))                       \
	X(PQnoticeProcessor, PQsetNoticeProcessor, (PGconn *conn,             \
		PQnoticeProcessor proc, void *arg))                           \
	X(PGcancel *, PQgetCancel, (PGconn *conn))                            \
	X(void, PQfreeCancel, (PGcancel *cancel))                             \
	X(int, PQcancel, (PGcancel *cancel, char *errbuf, int errbufsize))    \
	X(PGresult *, PQexec, (PGconn *conn, const char *query))              \
	X(PGresult *, PQexecParams, (PGconn *conn, const char *command,       \
		int nParams, const Oid *paramTypes,                           \
		const char *const *paramValues, const int *paramLengths,      \
		const int *paramFormats, int resultFormat))                   \
	X(PGresult *, PQprepare, (PGconn *conn, const char *stmtName,         \
		const char *query, int nParams, const Oid *paramTypes))       \
	X(PGresult *, PQexecPrepared, (PGconn *conn, const char *stmtName,    \
		int nParams, const char *const *paramValues,                  \
		const int *paramLengths, const int *paramFormats,             \
		int resultFormat))                                            \
	X(int, PQsendQueryParams, (PGconn *conn, const char *command,         \
		int nParams, const Oid *paramTypes,                           \
		const char *const *paramValues, const int *paramLengths,      \
		const int *paramFormats, int resultFormat))                   \
	X(int, PQsendQueryPrepared, (PGconn *conn, const char *stmtName,      \
		int nParams, const char *const *paramValues,                  \
		const int *paramLengths, const int *paramFormats,             \
		int resultFormat))                                            \
	X(PGresult *, PQgetResult, (PGconn *conn))                            \
	X(int, PQenterPipelineMode, (PGconn *conn))                           \
	X(int, PQexitPipelineMode, (PGconn *conn))                            \
	X(int, PQpipelineSync, (PGconn *conn))                                \
	X(int, PQputCopyEnd, (PGconn *conn, const char *errormsg))            \
	X(int, PQgetCopyData, (PGconn *conn, char **buffer, int async))       \
	X(ExecStatusType, PQresultStatus, (const PGresult *res))              \
	X(char *, PQresultErrorMessage, (const PGresult *res))                \
	X(char *, PQresultErrorField, (const PGresult *res, int fieldcode))   \
	X(int, PQntuples, (const PGresult *res))                              \
	X(int, PQnfields, (const PGresult *res))                              \
	X(char *, PQgetvalue, (const PGresult *res, int tup_num,              \
		int field_num))                                               \
	X(int, PQgetisnull, (const PGresult *res, int tup_num,                \
		int field_num))                                               \
	X(int, PQgetlength, (const PGresult *res, int tup_num,                \
		int field_num))                                               \
	X(size_t, PQresultMemorySize, (const PGresult *res))                  \
	X(void, PQclear, (PGresult *res))                                     \
	X(void, PQfreemem, (void *ptr))                                       \
	X(int, PQlibVersion, (void))

/* The table: one member per function, named as in libpq (pq->PQexec). */
struct mg_pq {
#define MG_PQ_MEMBER(ret, name, params) ret (*name) params;
	MG_PQ_FUNCS(MG_PQ_MEMBER)
#undef MG_PQ_MEMBER
};

/*
 * Load libpq and resolve the table, once per process (thread-safe).
 * Returns the table (valid until exit), or NULL with err set: MG_EDB, id
 * "cannot-connect", the message naming the library and the loader's
 * reason, the hint the Debian package (apt-get install libpq5). Never
 * aborts; a failed load is not retried.
 */
const struct mg_pq *mg_pq_load(struct mg_err *err);

#endif
