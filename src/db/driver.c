/* driver: dispatch on the URL's dialect and result rows; see driver.h. */
#include "driver.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/xalloc.h"

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
	free(r->cells);
	free(r->text);
	memset(r, 0, sizeof(*r));
}

void mg_rows_builder_reserve(struct mg_rows_builder *b, size_t ncells, size_t nbytes)
{
	MG_GROW(b->offs, b->capcells, b->ncells + ncells);
	MG_GROW(b->text, b->cap, b->len + nbytes);
}

void mg_rows_builder_add(struct mg_rows_builder *b, const char *v, size_t n)
{
	MG_GROW(b->offs, b->capcells, b->ncells + 1);
	if (!v) {
		b->offs[b->ncells++] = (size_t)-1;
		return;
	}
	/* a value with a NUL in it ends there, as a C string would */
	{
		const char *nul = memchr(v, '\0', n);
		if (nul)
			n = (size_t)(nul - v);
	}
	MG_GROW(b->text, b->cap, b->len + n + 1);
	memcpy(b->text + b->len, v, n);
	b->text[b->len + n] = '\0';
	b->offs[b->ncells++] = b->len;
	b->len += n + 1;
}

void mg_rows_builder_finish(struct mg_rows_builder *b, struct mg_rows *out)
{
	out->cells = mg_xcalloc(b->ncells + 1, sizeof(char *));
	for (size_t i = 0; i < b->ncells; i++)
		if (b->offs[i] != (size_t)-1)
			out->cells[i] = b->text + b->offs[i];
	out->text = b->text;
	b->text = NULL;
	mg_rows_builder_release(b);
}

void mg_rows_builder_release(struct mg_rows_builder *b)
{
	free(b->text);
	free(b->offs);
	memset(b, 0, sizeof(*b));
}

void mg_db_init(void)
{
	mg_sqlite_init();
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
