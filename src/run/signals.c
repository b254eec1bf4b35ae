/* signals: cancel on the first SIGINT/SIGTERM; see signals.h. */
#include "signals.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t got;
static struct mg_db *volatile target;
static struct sigaction old_int, old_term;
static bool installed;

static void handler(int sig)
{
	struct mg_db *db = target;

	if (got) {
		/* second signal: die now */
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	got = sig;
	if (db)
		db->ops->cancel(db);
}

void mg_signals_install(void)
{
	struct sigaction sa;

	if (installed)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: waits return early */
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	installed = true;
}

void mg_signals_set_db(struct mg_db *db)
{
	target = db;
}

bool mg_signals_pending(void)
{
	return got != 0;
}

int mg_signals_which(void)
{
	return got;
}

void mg_signals_restore(void)
{
	if (!installed)
		return;
	target = NULL;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	installed = false;
}
