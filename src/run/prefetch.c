/* prefetch: the ledger read on a thread; see prefetch.h. */
#include "prefetch.h"

#include <stdatomic.h>
#include <string.h>

static atomic_bool abandoned;
static bool (*caller_stop)(void);

static bool stop(void)
{
	return atomic_load(&abandoned) || (caller_stop && caller_stop());
}

static void *work(void *arg)
{
	struct mg_prefetch *p = arg;

	p->open_rc = mg_db_open(&p->db, p->url, &p->opts, &p->open_err);
	if (p->open_rc)
		return NULL;
	p->ledger_rc = mg_ledger_init(&p->ledger, p->db, p->schema, p->table,
				      &p->ledger_err);
	if (!p->ledger_rc)
		p->ledger_rc = mg_ledger_read(&p->ledger, &p->rows, &p->ledger_err);
	return NULL;
}

void mg_prefetch_start(struct mg_prefetch *p, const struct mg_dburl *url,
		       const struct mg_db_opts *opts, const char *schema,
		       const char *table)
{
	struct mg_err init = MG_ERR_INIT;

	memset(p, 0, sizeof(*p));
	p->open_err = init;
	p->ledger_err = init;
	p->url = url;
	p->opts = *opts;
	p->schema = schema;
	p->table = table;
	atomic_store(&abandoned, false);
	caller_stop = opts->stop;
	p->opts.stop = stop;
	if (pthread_create(&p->th, NULL, work, p) != 0) {
		work(p);
		p->joined = true;
	}
}

void mg_prefetch_join(struct mg_prefetch *p)
{
	if (!p->joined)
		pthread_join(p->th, NULL);
	p->joined = true;
}

void mg_prefetch_release(struct mg_prefetch *p)
{
	mg_prefetch_join(p);
	mg_ledger_rows_release(&p->rows);
	mg_ledger_release(&p->ledger);
	mg_db_close(p->db);
	p->db = NULL;
	mg_err_release(&p->open_err);
	mg_err_release(&p->ledger_err);
}

void mg_prefetch_abandon(struct mg_prefetch *p)
{
	atomic_store(&abandoned, true);
	mg_prefetch_release(p);
	atomic_store(&abandoned, false);
}
