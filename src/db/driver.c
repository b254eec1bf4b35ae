/* driver: dispatch on the URL's dialect and result rows; see driver.h. */
#include "driver.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *mg_rows_get(const struct mg_rows *r, size_t row, size_t col)
{
	if (!r || row >= r->nrows || col >= r->ncols)
		return NULL;
	return r->cells[row * r->ncols + col];
}

void mg_rows_release(struct mg_rows *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nrows * r->ncols; i++)
		free(r->cells[i]);
	free(r->cells);
	memset(r, 0, sizeof(*r));
}

int mg_db_open(struct mg_db **out, const struct mg_dburl *url,
	       const struct mg_db_opts *opts, struct mg_err *err)
{
	*out = NULL;
	switch (url->dialect) {
	case MG_DIALECT_SQLITE:
		return mg_driver_sqlite.open(out, url, opts, err);
	case MG_DIALECT_PG:
		return mg_driver_pg.open(out, url, opts, err);
	default:
		return mg_err_set(err, MG_ECONFIG, "bad-database-url",
				  "no driver for database URL '%s'", url->redacted);
	}
}

void mg_db_close(struct mg_db *db)
{
	if (db)
		db->ops->close(db);
}

long long mg_db_clock_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

void mg_db_sleep_ms(long ms)
{
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}
