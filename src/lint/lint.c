/* lint: paths, grouping, threads, baseline, and the runner's gate; see
 * lint.h. */
#include "lint.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../config/config.h"
#include "../core/buf.h"
#include "../core/fs.h"
#include "../core/workers.h"
#include "../core/xalloc.h"
#include "../migset/migset.h"
#include "../db/dburl.h"
#include "../migset/version.h"
#include "../sql/directive.h"
#include "../sql/source.h"
#include "baseline.h"
#include "engine.h"
#include "rule_meta.h"

/* ---- options ------------------------------------------------------------ */

void mg_lint_opts_init(struct mg_lint_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->dialect = MG_LINT_POSTGRES;
	o->pg_version = 15;
	o->fail_on = MG_SEV_ERROR;
}

void mg_lint_opts_release(struct mg_lint_opts *o)
{
	for (size_t i = 0; i < o->nrules; i++)
		free(o->rules[i].id);
	free(o->rules);
	for (size_t i = 0; i < o->nexclude; i++)
		free(o->exclude[i]);
	free(o->exclude);
	for (size_t i = 0; i < o->nonly; i++)
		free(o->only[i]);
	free(o->only);
	free(o->stdin_filename);
	free(o->filename_pattern);
	memset(o, 0, sizeof(*o));
}

int mg_lint_opts_set(struct mg_lint_opts *o, const char *id, enum mg_severity sev,
		     struct mg_err *err)
{
	const struct mg_engine_diag *ed = mg_engine_diag_get(id);

	if (mg_rule_index(id) < 0 && !(ed && ed->configurable)) {
		const char *s = mg_rule_suggest(id);
		mg_err_set(err, MG_EUSAGE, "unknown-rule", "unknown rule '%s'", id);
		if (s)
			mg_err_hint(err, "did you mean '%s'? 'migrate lint --list-rules' "
				    "lists the rule ids", s);
		else
			mg_err_hint(err, "'migrate lint --list-rules' lists the rule ids");
		return MG_EUSAGE;
	}
	MG_GROW(o->rules, o->caprules, o->nrules + 1);
	o->rules[o->nrules].id = mg_xstrdup(id);
	o->rules[o->nrules].sev = sev;
	o->nrules++;
	return 0;
}

int mg_lint_opts_rule(struct mg_lint_opts *o, const char *spec, struct mg_err *err)
{
	const char *eq = spec ? strchr(spec, '=') : NULL;
	char *id;
	int sev, rc;

	if (!eq || eq == spec) {
		mg_err_set(err, MG_EUSAGE, "bad-rule-setting",
			   "--rule takes ID=off|info|warning|error, not '%s'",
			   spec ? spec : "");
		return MG_EUSAGE;
	}
	sev = mg_severity_parse(eq + 1);
	if (sev < 0) {
		mg_err_set(err, MG_EUSAGE, "bad-rule-setting",
			   "unknown severity '%s' in --rule %s", eq + 1, spec);
		mg_err_hint(err, "use off, info, warning or error");
		return MG_EUSAGE;
	}
	id = mg_xstrndup(spec, (size_t)(eq - spec));
	rc = mg_lint_opts_set(o, id, (enum mg_severity)sev, err);
	free(id);
	return rc;
}

void mg_lint_opts_exclude(struct mg_lint_opts *o, const char *glob)
{
	MG_GROW(o->exclude, o->capexclude, o->nexclude + 1);
	o->exclude[o->nexclude++] = mg_xstrdup(glob);
}

int mg_lint_opts_only(struct mg_lint_opts *o, const char *id, struct mg_err *err)
{
	if (mg_rule_index(id) < 0) {
		const char *s = mg_rule_suggest(id);
		mg_err_set(err, MG_EUSAGE, "unknown-rule", "unknown rule '%s'", id);
		if (s)
			mg_err_hint(err, "did you mean '%s'?", s);
		return MG_EUSAGE;
	}
	MG_GROW(o->only, o->caponly, o->nonly + 1);
	o->only[o->nonly++] = mg_xstrdup(id);
	return 0;
}

int mg_lint_opts_from_config(struct mg_lint_opts *o, const struct mg_config *cfg,
			     struct mg_err *err)
{
	const cJSON *it;

	if (!cfg)
		return 0;
	if (cfg->lint.pg_version)
		o->pg_version = cfg->lint.pg_version;
	for (size_t i = 0; i < cfg->lint.nexclude; i++)
		mg_lint_opts_exclude(o, cfg->lint.exclude[i]);
	if (cfg->lint.fail_on) {
		int s = mg_severity_parse(cfg->lint.fail_on);
		if (s >= 0)
			o->fail_on = (enum mg_severity)s;
	}
	cJSON_ArrayForEach(it, cfg->lint.rules) {
		int s = cJSON_IsString(it) ? mg_severity_parse(it->valuestring) : -1;
		if (!it->string || s < 0)
			continue; /* the config loader has checked the values */
		if (mg_lint_opts_set(o, it->string, (enum mg_severity)s, err)) {
			mg_err_prefix(err, "lint.rules in %s", cfg->file ? cfg->file :
				      "the configuration");
			err->code = MG_ECONFIG;
			return MG_ECONFIG;
		}
	}
	if (cfg->filename_pattern) {
		free(o->filename_pattern);
		o->filename_pattern = mg_xstrdup(cfg->filename_pattern);
	}
	if (cfg->dialect) {
		int d = mg_lint_dialect_parse(cfg->dialect);
		if (d > 0)
			o->dialect = (enum mg_lint_dialect)d;
	} else if (cfg->database_url) {
		struct mg_dburl u;
		struct mg_err e2 = MG_ERR_INIT;
		if (!mg_dburl_parse(&u, cfg->database_url, &e2)) {
			if (u.dialect == MG_DIALECT_SQLITE)
				o->dialect = MG_LINT_SQLITE;
			mg_dburl_release(&u);
		}
		mg_err_release(&e2);
	}
	return 0;
}

int mg_lint_dialect_parse(const char *s)
{
	if (!s)
		return -1;
	if (!strcmp(s, "postgres") || !strcmp(s, "postgresql") || !strcmp(s, "pg"))
		return MG_LINT_POSTGRES;
	if (!strcmp(s, "sqlite") || !strcmp(s, "sqlite3"))
		return MG_LINT_SQLITE;
	return -1;
}

/* ---- small path helpers ------------------------------------------------- */

static const char *display(const char *p)
{
	while (p[0] == '.' && p[1] == '/' && p[2])
		p += 2;
	return p;
}

static bool excluded(const struct mg_lint_opts *o, const char *path)
{
	const char *d = display(path);
	const char *base = strrchr(d, '/');

	base = base ? base + 1 : d;
	for (size_t i = 0; i < o->nexclude; i++)
		if (!fnmatch(o->exclude[i], d, 0) || !fnmatch(o->exclude[i], base, 0) ||
		    !fnmatch(o->exclude[i], path, 0))
			return true;
	return false;
}

static bool ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && !strcmp(s + a - b, suf);
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

static bool is_down_name(const char *path)
{
	const char *b = base_name(path);
	return !strcmp(b, "down.sql") || !strcmp(b, "downgrade.sql") ||
	       ends_with(b, ".down.sql");
}

/* A file for another database: "x.mysql.up.sql" when linting postgres. */
static bool other_dialect(const struct mg_lint_opts *o, const char *name)
{
	static const char *const pg[] = { ".postgres.", ".postgresql.", ".pg.", NULL };
	static const char *const lite[] = { ".sqlite.", ".sqlite3.", NULL };
	static const char *const others[] = { ".mysql.", ".mariadb.", ".cockroach.",
					      ".mssql.", ".clickhouse.", NULL };
	const char *const *mine = o->dialect == MG_LINT_SQLITE ? lite : pg;
	const char *const *theirs = o->dialect == MG_LINT_SQLITE ? pg : lite;

	for (size_t i = 0; mine[i]; i++)
		if (strstr(name, mine[i]))
			return false;
	for (size_t i = 0; theirs[i]; i++)
		if (strstr(name, theirs[i]))
			return true;
	for (size_t i = 0; others[i]; i++)
		if (strstr(name, others[i]))
			return true;
	return false;
}

/* The file name says the runner does not wrap it in a transaction. */
static bool no_tx_name(const char *path)
{
	const char *b = base_name(path);
	return strstr(b, ".autocommit.") || strstr(b, ".no-transaction.") ||
	       strstr(b, ".notx.");
}

static char *dir_of(const char *path)
{
	const char *s = strrchr(path, '/');
	if (!s)
		return mg_xstrdup(".");
	if (s == path)
		return mg_xstrdup("/");
	return mg_xstrndup(path, (size_t)(s - path));
}

/* Natural order: digit runs compare by value, so v1.10 > v1.2. */
static int natcmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			const char *x = a, *y = b;
			size_t lx, ly;
			int c;
			while (*x == '0' && isdigit((unsigned char)x[1]))
				x++;
			while (*y == '0' && isdigit((unsigned char)y[1]))
				y++;
			for (lx = 0; isdigit((unsigned char)x[lx]); lx++)
				;
			for (ly = 0; isdigit((unsigned char)y[ly]); ly++)
				;
			if (lx != ly)
				return lx < ly ? -1 : 1;
			c = strncmp(x, y, lx);
			if (c)
				return c;
			a = x + lx;
			b = y + ly;
			continue;
		}
		if (*a != *b) {
			/* '/' sorts first so a directory's files stay together */
			if (*a == '/')
				return -1;
			if (*b == '/')
				return 1;
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		}
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

/* Length of the version token path component c starts with, the way a
 * migration name does (followed by its end, '_', '-' or '.'), or 0. */
static size_t comp_version(const char *c, size_t *skip)
{
	size_t n = mg_version_scan(c, skip);
	char nx;

	if (!n)
		return 0;
	nx = c[*skip + n];
	return !nx || nx == '/' || nx == '_' || nx == '-' || nx == '.' ? n : 0;
}

static int version_ncmp(const char *a, size_t la, const char *b, size_t lb)
{
	char ba[96], bb[96];
	char *x = la < sizeof(ba) ? ba : mg_xmalloc(la + 1);
	char *y = lb < sizeof(bb) ? bb : mg_xmalloc(lb + 1);
	int c;

	memcpy(x, a, la);
	x[la] = '\0';
	memcpy(y, b, lb);
	y[lb] = '\0';
	c = mg_version_cmp(x, y);
	if (x != ba)
		free(x);
	if (y != bb)
		free(y);
	return c;
}

/* The order of loose files (and of migration sets found in a tree): at the
 * first path component where a and b differ, names that start with a
 * version come first, ordered by version value as the loader orders
 * migrations (2019-06-14-175833_x is 20190614175833, after
 * 20141021103503_y); the rest follow in natural order. Ties (same version
 * value) are broken by natural order. */
static int pathcmp(const char *a, const char *b)
{
	size_t i = 0, sa, sb, va, vb;

	while (a[i] && a[i] == b[i])
		i++;
	if (!a[i] && !b[i])
		return 0;
	while (i && a[i - 1] != '/')
		i--;
	a += i;
	b += i;
	va = comp_version(a, &sa);
	vb = comp_version(b, &sb);
	if (va && vb) {
		int c = version_ncmp(a + sa, va, b + sb, vb);
		if (c)
			return c;
	} else if (va || vb) {
		return va ? -1 : 1;
	}
	return natcmp(a, b);
}

/* Sort key: the path with a downgrade's name turned into its upgrade's. */
static char *pair_key(const char *p)
{
	size_t n = strlen(p);

	if (ends_with(p, ".down.sql"))
		return mg_xasprintf("%.*s.up.sql", (int)(n - 9), p);
	if (!strcmp(base_name(p), "down.sql"))
		return mg_xasprintf("%.*sup.sql", (int)(n - 8), p);
	if (!strcmp(base_name(p), "downgrade.sql"))
		return mg_xasprintf("%.*supgrade.sql", (int)(n - 13), p);
	return mg_xstrdup(p);
}

/* Sort paths by pathcmp of their pair keys (a downgrade right after its
 * upgrade), each key made once, not twice per comparison. */
struct path_key {
	char *path, *key;
	bool down;
};

static int cmp_path_keys(const void *x, const void *y)
{
	const struct path_key *a = x, *b = y;
	int c = pathcmp(a->key, b->key);

	if (c)
		return c;
	return (int)a->down - (int)b->down;
}

static void sort_paths(char **paths, size_t n)
{
	struct path_key *k;

	if (n < 2)
		return;
	k = mg_xcalloc(n, sizeof(*k));
	for (size_t i = 0; i < n; i++) {
		k[i].path = paths[i];
		k[i].key = pair_key(paths[i]);
		k[i].down = is_down_name(paths[i]);
	}
	qsort(k, n, sizeof(*k), cmp_path_keys);
	for (size_t i = 0; i < n; i++) {
		paths[i] = k[i].path;
		free(k[i].key);
	}
	free(k);
}

/* ---- groups: units of sequential context -------------------------------- */

enum group_kind { G_DIR, G_FILES };

struct file_sel {
	char *path;                 /* as given */
	char *real;                 /* realpath, or NULL if it does not exist */
	struct mg_source *stdin_src;/* owned: contents from standard input */
	bool used;
};

struct group {
	enum group_kind kind;
	char *dir;                  /* G_DIR: the directory; G_FILES: the
				       candidate migrations directory */
	struct file_sel *files;     /* G_FILES */
	size_t nfiles, capfiles;
	int helpers;                /* parse-ahead threads it may start */
	struct ahead *ahead;        /* while a migration set is walked */
	/* results */
	struct mg_diags diags;
	struct mg_report_summary sum;
	bool input_error;
};

struct run {
	const struct mg_lint_opts *o;
	struct group *g;
};

/* ---- parsing ahead -------------------------------------------------------
 *
 * The walk of a migration set is sequential (each script is linted against
 * the schema the earlier ones built), but parsing a script needs no
 * schema: helper threads parse the scripts the walk will ask for next, in
 * its order, while it runs the rules (libpg_query keeps its state in
 * thread-local memory). The walk takes a script's parse when it gets
 * there, or parses it itself when no helper has started it yet: the plan
 * only ever saves time, and a script the walk asks for that is not in the
 * plan is simply parsed in place. Helpers stay at most AHEAD_JOBS scripts
 * and AHEAD_BYTES of text ahead of the walk, so memory is bounded by that
 * window, not by the size of the set. */

#define AHEAD_JOBS 64
#define AHEAD_BYTES ((size_t)1 << 20)
#define AHEAD_LOOK 8        /* plan entries the walk may skip */
#define AHEAD_MAX_THREADS 4

enum { AJ_QUEUED, AJ_RUNNING, AJ_DONE, AJ_GONE };

struct ahead_job {
	const struct mg_source *src;
	size_t off, end;
	int state;
	struct mg_parse parse;      /* AJ_DONE */
};

struct ahead {
	pthread_mutex_t mu;
	pthread_cond_t room;        /* helpers: the walk made room, or stop */
	pthread_cond_t done;        /* the walk: the job it waits for is done */
	size_t idle;                /* helpers waiting on room */
	bool waiting;               /* the walk waits on done */
	struct ahead_job *jobs;     /* the plan, in walk order */
	size_t n, cap;
	size_t head;                /* the next job the walk wants */
	size_t next;                /* the next job to parse; >= head */
	size_t bytes;               /* text of jobs [head, next) */
	bool stop;
	pthread_t th[AHEAD_MAX_THREADS];
	size_t nth;
};

static void ahead_plan(struct ahead *a, const struct mg_script *sc)
{
	struct ahead_job *j;

	if (!sc->present || !sc->src || sc->end - sc->off > MG_ENGINE_WINDOW_BYTES)
		return;
	MG_GROW(a->jobs, a->cap, a->n + 1);
	j = &a->jobs[a->n++];
	memset(j, 0, sizeof(*j));
	j->src = sc->src;
	j->off = sc->off;
	j->end = sc->end;
}

static size_t job_len(const struct ahead_job *j)
{
	return j->end - j->off;
}

static void *ahead_worker(void *arg)
{
	struct ahead *a = arg;

	pthread_mutex_lock(&a->mu);
	for (;;) {
		struct ahead_job *j;
		struct mg_parse p;
		size_t k;
		while (!a->stop && (a->next >= a->n ||
				    (a->next > a->head &&
				     (a->next - a->head >= AHEAD_JOBS ||
				      a->bytes >= AHEAD_BYTES)))) {
			a->idle++;
			pthread_cond_wait(&a->room, &a->mu);
			a->idle--;
		}
		if (a->stop)
			break;
		k = a->next++;
		j = &a->jobs[k];
		j->state = AJ_RUNNING;
		a->bytes += job_len(j);
		pthread_mutex_unlock(&a->mu);
		mg_pg_parse(j->src->text, j->off, j->end, &p);
		pthread_mutex_lock(&a->mu);
		if (k < a->head) {
			j->state = AJ_GONE; /* the walk went past it */
			pthread_mutex_unlock(&a->mu);
			mg_parse_release(&p);
			pthread_mutex_lock(&a->mu);
		} else {
			j->parse = p;
			j->state = AJ_DONE;
		}
		if (a->waiting)
			pthread_cond_signal(&a->done);
	}
	pthread_mutex_unlock(&a->mu);
	return NULL;
}

/* Start up to nthreads helpers on the plan (none for a short plan). */
static void ahead_start(struct ahead *a, int nthreads)
{
	if (nthreads > AHEAD_MAX_THREADS)
		nthreads = AHEAD_MAX_THREADS;
	if (a->n < 2)
		nthreads = 0;
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->room, NULL);
	pthread_cond_init(&a->done, NULL);
	for (int t = 0; t < nthreads; t++)
		if (pthread_create(&a->th[a->nth], NULL, ahead_worker, a) == 0)
			a->nth++;
}

/* The parse of src->text[off, end) if it is (one of the next entries) in
 * the plan and a helper parsed it: moved into *out, true. False when the
 * caller must parse it: not planned, or no helper got to it (then no
 * helper will). Plan entries before it are dropped. */
static bool ahead_take(struct ahead *a, const struct mg_source *src, size_t off,
		       size_t end, struct mg_parse *out)
{
	size_t k, lim;
	bool got = false;
	struct mg_parse drop[AHEAD_LOOK];
	size_t ndrop = 0;

	if (!a || !a->nth)
		return false;
	pthread_mutex_lock(&a->mu);
	lim = a->head + AHEAD_LOOK < a->n ? a->head + AHEAD_LOOK : a->n;
	for (k = a->head; k < lim; k++)
		if (a->jobs[k].src == src && a->jobs[k].off == off &&
		    a->jobs[k].end == end)
			break;
	if (k == lim) {
		pthread_mutex_unlock(&a->mu);
		return false;
	}
	/* no helper started jobs [next, k]: they are the walk's now */
	for (; a->next <= k; a->next++) {
		a->jobs[a->next].state = AJ_GONE;
		a->bytes += job_len(&a->jobs[a->next]);
	}
	while (a->jobs[k].state == AJ_RUNNING) {
		a->waiting = true;
		pthread_cond_wait(&a->done, &a->mu);
		a->waiting = false;
	}
	if (a->jobs[k].state == AJ_DONE) {
		*out = a->jobs[k].parse;
		got = true;
	}
	for (size_t i = a->head; i <= k; i++) {
		struct ahead_job *j = &a->jobs[i];
		if (j->state == AJ_DONE && i < k)
			drop[ndrop++] = j->parse;
		if (j->state != AJ_RUNNING) /* a running one is dropped by its helper */
			j->state = AJ_GONE;
		memset(&j->parse, 0, sizeof(j->parse));
		a->bytes -= job_len(j);
	}
	a->head = k + 1;
	/* wake idle helpers once half the window is free, not at every
	 * script: each wake-up is a context switch */
	if (a->idle && a->next - a->head <= AHEAD_JOBS / 2 &&
	    a->bytes <= AHEAD_BYTES / 2)
		pthread_cond_broadcast(&a->room);
	pthread_mutex_unlock(&a->mu);
	for (size_t i = 0; i < ndrop; i++)
		mg_parse_release(&drop[i]);
	return got;
}

static void ahead_stop(struct ahead *a)
{
	pthread_mutex_lock(&a->mu);
	a->stop = true;
	pthread_cond_broadcast(&a->room);
	pthread_mutex_unlock(&a->mu);
	for (size_t t = 0; t < a->nth; t++)
		pthread_join(a->th[t], NULL);
	for (size_t i = 0; i < a->n; i++)
		if (a->jobs[i].state == AJ_DONE)
			mg_parse_release(&a->jobs[i].parse);
	free(a->jobs);
	pthread_cond_destroy(&a->room);
	pthread_cond_destroy(&a->done);
	pthread_mutex_destroy(&a->mu);
	memset(a, 0, sizeof(*a));
}

/* Loaded plain files and their directives, owned by one group walk. */
struct plain {
	struct mg_source **src;
	struct mg_directives *dirs;
	size_t n, cap;
};

static void plain_release(struct plain *p)
{
	for (size_t i = 0; i < p->n; i++) {
		mg_source_release(p->src[i]);
		free(p->src[i]);
		mg_directives_release(&p->dirs[i]);
	}
	free(p->src);
	free(p->dirs);
	memset(p, 0, sizeof(*p));
}

static void input_diag(struct group *g, const struct mg_source *src,
		       const char *path, struct mg_err *err)
{
	struct mg_diag d;
	char *msg = mg_xstrdup(err->msg ? err->msg : "cannot read");
	size_t off = 0;

	if (src && err->line && err->line <= src->nlines) {
		size_t ll;
		mg_source_line(src, err->line, &off, &ll);
		off += err->col ? err->col - 1 : 0;
	}
	mg_engine_make_diag(&d, src, display(path), off, 0, 0, 0, "input-error",
			    MG_SEV_ERROR, msg, err->hint);
	if (!src && err->line) {
		d.line = err->line;
		d.column = err->col ? err->col : 1;
		d.end_line = d.line;
		d.end_column = d.column + 1;
	}
	mg_diags_add(&g->diags, &d);
	free(msg);
	g->input_error = true;
}

/* Lint one loaded file as a plain script (split into sections when it has
 * -- migrate:up / -- migrate:down markers). */
static void lint_plain_file(struct mg_engine *e, struct group *g,
			    const struct mg_lint_opts *o, struct mg_source *src,
			    struct mg_directives *dirs, const char *path, bool silent,
			    bool after_up)
{
	struct mg_err err = MG_ERR_INIT;
	const struct mg_directive *up = NULL, *down = NULL;
	bool pre_no_tx = false, any_no_tx = false;
	struct mg_script_in in;
	bool is_down = is_down_name(path);
	int rc = 0;

	if (mg_directives_scan(src, 0, src->len, dirs, &err)) {
		if (!silent)
			input_diag(g, src, path, &err);
		mg_directives_release(dirs);
	}
	mg_err_release(&err);
	for (size_t i = 0; i < dirs->n; i++) {
		const struct mg_directive *d = &dirs->items[i];
		if (d->kind == MG_DIR_UP && !up)
			up = d;
		else if (d->kind == MG_DIR_DOWN && !down && up)
			down = d;
		else if (d->kind == MG_DIR_NO_TRANSACTION) {
			any_no_tx = true;
			if (!up)
				pre_no_tx = true;
		}
	}
	memset(&in, 0, sizeof(in));
	in.src = src;
	in.path = display(path);
	in.dirs = dirs;
	in.silent = silent;
	if (!up && is_down && (o->no_downs || silent))
		return;
	if (!silent)
		g->sum.files++;
	if (!up) {
		in.off = 0;
		in.end = src->len;
		in.no_tx = any_no_tx || no_tx_name(path);
		in.is_down = is_down;
		in.after_up = after_up && is_down;
		rc = mg_engine_script(e, &in, &g->diags, &g->sum);
	} else {
		in.off = up->end;
		in.end = down ? down->off : src->len;
		in.no_tx = up->no_tx || pre_no_tx;
		for (size_t i = 0; i < dirs->n; i++)
			if (dirs->items[i].kind == MG_DIR_NO_TRANSACTION &&
			    dirs->items[i].off >= in.off && dirs->items[i].off < in.end)
				in.no_tx = true;
		rc = mg_engine_script(e, &in, &g->diags, &g->sum);
		if (down && !silent && !o->no_downs) {
			in.off = down->end;
			in.end = src->len;
			in.is_down = true;
			in.after_up = true;
			in.no_tx = down->no_tx || pre_no_tx;
			for (size_t i = 0; i < dirs->n; i++)
				if (dirs->items[i].kind == MG_DIR_NO_TRANSACTION &&
				    dirs->items[i].off >= in.off)
					in.no_tx = true;
			rc |= mg_engine_script(e, &in, &g->diags, &g->sum);
		}
	}
	if (rc)
		g->input_error = true;
}

static struct mg_source *load_source(struct group *g, struct plain *pl,
				     const char *path, bool report)
{
	struct mg_source *s;
	struct mg_err err = MG_ERR_INIT;
	struct stat st;

	/* a FIFO or device would block or never end: refuse it unread */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		if (report) {
			mg_err_set(&err, MG_EIO, "not-a-file",
				   "'%s' is not a regular file", path);
			mg_err_hint(&err, "lint SQL files and directories of them");
			input_diag(g, NULL, path, &err);
			mg_err_release(&err);
		}
		return NULL;
	}
	s = mg_xcalloc(1, sizeof(*s));
	if (mg_source_load(s, path, &err)) {
		if (report)
			input_diag(g, NULL, path, &err);
		mg_err_release(&err);
		free(s);
		return NULL;
	}
	MG_GROW(pl->src, pl->cap, pl->n + 1);
	pl->dirs = mg_xrealloc(pl->dirs, pl->cap * sizeof(*pl->dirs));
	memset(&pl->dirs[pl->n], 0, sizeof(pl->dirs[0]));
	pl->src[pl->n++] = s;
	return s;
}

static struct mg_directives *adopt_source(struct plain *pl, struct mg_source *s)
{
	MG_GROW(pl->src, pl->cap, pl->n + 1);
	pl->dirs = mg_xrealloc(pl->dirs, pl->cap * sizeof(*pl->dirs));
	memset(&pl->dirs[pl->n], 0, sizeof(pl->dirs[0]));
	pl->src[pl->n] = s;
	return &pl->dirs[pl->n++];
}

/* Lint a list of plain files in natural version order, context carried. */
static void lint_plain_list(struct mg_engine *e, struct group *g,
			    const struct mg_lint_opts *o, char **paths, size_t n,
			    struct mg_source **stdin_srcs)
{
	struct plain pl = { 0 };
	const char *prev_key = NULL;
	char *prev = NULL;

	for (size_t i = 0; i < n; i++) {
		struct mg_source *s = stdin_srcs ? stdin_srcs[i] : NULL;
		struct mg_directives *d;
		bool after_up = false;
		char *key;
		if (s) {
			d = adopt_source(&pl, s);
			stdin_srcs[i] = NULL;
		} else {
			if (!(s = load_source(g, &pl, paths[i], true)))
				continue;
			d = &pl.dirs[pl.n - 1];
		}
		key = pair_key(paths[i]);
		if (is_down_name(paths[i]) && prev_key && !strcmp(prev_key, key))
			after_up = true;
		lint_plain_file(e, g, o, s, d, paths[i], excluded(o, paths[i]), after_up);
		free(prev);
		prev = key;
		prev_key = prev;
		/* a file's text is no longer needed once linted, unless it holds
		 * the directives of a later down (not the case: one file each) */
		mg_directives_release(d);
	}
	free(prev);
	plain_release(&pl);
}

static void lint_script(struct mg_engine *e, struct group *g,
			const struct mg_script *sc, bool is_down, bool after_up,
			bool silent)
{
	struct mg_script_in in;
	struct mg_parse parsed;

	if (!sc->present || !sc->src)
		return;
	memset(&in, 0, sizeof(in));
	in.src = sc->src;
	in.off = sc->off;
	in.end = sc->end;
	in.path = display(sc->src->path);
	in.no_tx = sc->no_tx;
	in.is_down = is_down;
	in.after_up = after_up;
	in.dirs = &sc->dirs;
	in.silent = silent;
	if (ahead_take(g->ahead, sc->src, sc->off, sc->end, &parsed))
		in.parsed = &parsed;
	if (mg_engine_script(e, &in, &g->diags, &g->sum))
		g->input_error = true;
	if (in.parsed)
		mg_parse_release(&parsed); /* normally taken over (empty) */
}

static const char *migset_dialect(const struct mg_lint_opts *o)
{
	return o->dialect == MG_LINT_SQLITE ? "sqlite" : "postgres";
}

/* A .sql entry of dir (or up.sql & co. one level down) that is not a
 * regular file: a FIFO would block the migration set's loader forever, so
 * such a directory is linted file by file (which reports the entry). */
static bool has_special_sql(const char *dir)
{
	static const char *const inner[] = { "up.sql", "down.sql", "upgrade.sql",
					     "downgrade.sql", NULL };
	DIR *d = opendir(dir);
	struct dirent *de;
	bool bad = false;

	if (!d)
		return false;
	while (!bad && (de = readdir(d))) {
		char *p;
		struct stat st;
		if (de->d_name[0] == '.')
			continue;
		p = mg_fs_join(dir, de->d_name);
		if (stat(p, &st) == 0) {
			if (S_ISDIR(st.st_mode)) {
				for (size_t i = 0; inner[i] && !bad; i++) {
					char *q = mg_fs_join(p, inner[i]);
					struct stat s2;
					bad = stat(q, &s2) == 0 && !S_ISREG(s2.st_mode) &&
					      !S_ISDIR(s2.st_mode);
					free(q);
				}
			} else if (ends_with(de->d_name, ".sql")) {
				bad = !S_ISREG(st.st_mode);
			}
		}
		free(p);
	}
	closedir(d);
	return bad;
}

static bool load_set(const struct mg_lint_opts *o, const char *dir,
		     struct mg_migset *set)
{
	struct mg_migset_opts mo = { migset_dialect(o), o->filename_pattern };
	struct mg_err err = MG_ERR_INIT;

	if (has_special_sql(dir))
		return false;
	/* lint never compares checksums: skip hashing every script. Names
	 * that fit no layout do not stop a directory with migrations from
	 * being linted as a migration set: lint_strays reports them. */
	if (mg_migset_load_flags(set, dir, &mo,
				 MG_MIGSET_NO_CHECKSUMS | MG_MIGSET_KEEP_UNMATCHED,
				 &err)) {
		mg_err_release(&err);
		return false;
	}
	mg_err_release(&err);
	if (!set->n) {
		mg_migset_release(set);
		return false;
	}
	return true;
}

/* A top-level entry of a migration set that fits no layout: a warning at
 * the file. The set is linted anyway; the runner refuses it. */
static void stray_diag(struct group *g, const struct mg_lint_opts *o,
		       const char *path, const struct mg_unmatched *u)
{
	struct mg_diag d;
	enum mg_severity sev = mg_engine_severity(o, "stray-file", MG_SEV_WARNING);
	char *msg;

	if (sev == MG_SEV_OFF)
		return;
	msg = mg_xasprintf("'%s' is not a migration: %s; 'migrate status' "
				 "and 'migrate up' refuse this directory",
				 base_name(u->path), u->why);

	mg_engine_make_diag(&d, NULL, display(path), 0, 0, 0, 0, "stray-file",
			    sev, msg,
			    u->is_dir ?
			    "move the directory out of the migrations directory "
			    "(or give it an up.sql/down.sql and a versioned name)" :
			    "move the file out of the migrations directory, or "
			    "give it a migration name (docs/migration-layouts.md); "
			    "names starting with '.' and files not ending in .sql "
			    "are skipped");
	mg_diags_add(&g->diags, &d);
	free(msg);
}

/* Does source s (its realpath cached in *cache) match real? */
static bool src_is(const struct mg_source *s, char **cache, const char *real)
{
	char buf[PATH_MAX];

	if (!s || !real)
		return false;
	if (!*cache)
		*cache = mg_xstrdup(realpath(s->path, buf) ? buf : "");
	return !strcmp(*cache, real);
}

static void lint_strays(struct mg_engine *e, struct group *g,
			const struct mg_lint_opts *o, const struct mg_migset *set);

/* A migration set: every up (and down) in order. With g->files set, only
 * those files are linted; earlier migrations are replayed silently. */
static void lint_set(struct mg_engine *e, struct group *g,
		     const struct mg_lint_opts *o, const struct mg_migset *set)
{
	size_t last = SIZE_MAX;
	const struct mg_source *counted = NULL;
	struct plain pl = { 0 };
	char **rup = NULL, **rdown = NULL;
	struct ahead ahead;

	if (g->nfiles) {
		rup = mg_xcalloc(set->n + 1, sizeof(char *));
		rdown = mg_xcalloc(set->n + 1, sizeof(char *));
		/* where is the last selected file? */
		for (size_t i = 0; i < set->n; i++) {
			const struct mg_migration *m = &set->items[i];
			for (size_t k = 0; k < g->nfiles; k++)
				if (src_is(m->up.src, &rup[i], g->files[k].real) ||
				    src_is(m->down.src, &rdown[i], g->files[k].real))
					last = i;
		}
		if (last == SIZE_MAX) {
			/* none of them is (yet) a migration here: lint them after
			 * everything else (new files, or standard input) */
			last = set->n;
		}
	}
	if (g->helpers > 0 && !g->ahead) {
		/* the scripts the loop below parses, in its order (downs of a
		 * selection are rare: the walk parses those itself) */
		memset(&ahead, 0, sizeof(ahead));
		for (size_t i = 0; i < set->n && (g->nfiles == 0 || i <= last); i++) {
			const struct mg_migration *m = &set->items[i];
			ahead_plan(&ahead, &m->up);
			if (!g->nfiles && m->down.present && !o->no_downs && m->down.src &&
			    !excluded(o, m->down.src->path))
				ahead_plan(&ahead, &m->down);
		}
		ahead_start(&ahead, g->helpers);
		g->ahead = &ahead;
	}
	for (size_t i = 0; i < set->n && (g->nfiles == 0 || i <= last); i++) {
		const struct mg_migration *m = &set->items[i];
		bool up_sel = !g->nfiles, down_sel = !g->nfiles;
		struct file_sel *override = NULL;
		for (size_t k = 0; k < g->nfiles; k++) {
			struct file_sel *f = &g->files[k];
			bool u = src_is(m->up.src, &rup[i], f->real);
			bool d = src_is(m->down.src, &rdown[i], f->real);
			if (!u && !d)
				continue;
			f->used = true;
			if (u && m->up.src == m->down.src) {
				up_sel = down_sel = true; /* sections: both */
			} else {
				up_sel |= u;
				down_sel |= d;
			}
			if (f->stdin_src)
				override = f;
		}
		if (override) {
			/* the file's current text comes from standard input */
			struct mg_directives *d = adopt_source(&pl, override->stdin_src);
			override->stdin_src = NULL;
			if (down_sel && !up_sel)
				lint_script(e, g, &m->up, false, false, true);
			lint_plain_file(e, g, o, pl.src[pl.n - 1], d, override->path,
					false, down_sel && !up_sel);
			continue;
		}
		lint_script(e, g, &m->up, false, false,
			    !up_sel || excluded(o, m->up.src->path));
		if (up_sel && !excluded(o, m->up.src->path) && m->up.src != counted) {
			g->sum.files++;
			counted = m->up.src;
		}
		if (down_sel && m->down.present && !o->no_downs &&
		    !excluded(o, m->down.src->path)) {
			lint_script(e, g, &m->down, true, true, false);
			if (m->down.src != counted) {
				g->sum.files++;
				counted = m->down.src;
			}
		}
	}
	if (g->ahead == &ahead) {
		ahead_stop(&ahead);
		g->ahead = NULL;
	}
	if (!g->nfiles)
		lint_strays(e, g, o, set);
	/* selected files that are not migrations of this set (new files, or
	 * not matching its layout): after all of it, as plain files */
	for (size_t k = 0; k < g->nfiles; k++) {
		struct file_sel *f = &g->files[k];
		char *p[1];
		struct mg_source *s[1];
		if (f->used)
			continue;
		for (size_t u = 0; u < set->nunmatched && f->real; u++) {
			char buf[PATH_MAX];
			if (realpath(set->unmatched[u].path, buf) &&
			    !strcmp(buf, f->real) && !excluded(o, f->path))
				stray_diag(g, o, f->path, &set->unmatched[u]);
		}
		p[0] = f->path;
		s[0] = f->stdin_src;
		f->stdin_src = NULL;
		lint_plain_list(e, g, o, p, 1, s[0] ? s : NULL);
		if (s[0]) {
			mg_source_release(s[0]);
			free(s[0]);
		}
	}
	for (size_t i = 0; rup && i < set->n; i++) {
		free(rup[i]);
		free(rdown[i]);
	}
	free(rup);
	free(rdown);
	plain_release(&pl);
}

/* A directory that is no migration set: the migration sets below it are
 * linted each on its own, every other .sql file in natural version order
 * with context carried across them. */
struct found_set {
	char *dir;
	struct mg_migset set;       /* loaded once, linted later */
};

static void collect_tree(const struct mg_lint_opts *o, const char *dir,
			 struct found_set **sets, size_t *nsets, size_t *capsets,
			 char ***files, size_t *nfiles, size_t *capfiles, int depth)
{
	DIR *d;
	struct dirent *de;

	if (depth > 16 || !(d = opendir(dir)))
		return;
	while ((de = readdir(d))) {
		char *p;
		struct stat st;
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "node_modules"))
			continue;
		p = mg_fs_join(dir, de->d_name);
		if (stat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			struct mg_migset set;
			if (load_set(o, p, &set)) {
				MG_GROW(*sets, *capsets, *nsets + 1);
				(*sets)[*nsets].dir = p;
				(*sets)[*nsets].set = set;
				(*nsets)++;
				continue;
			}
			collect_tree(o, p, sets, nsets, capsets, files, nfiles,
				     capfiles, depth + 1);
			free(p);
		} else if (ends_with(de->d_name, ".sql") && !other_dialect(o, de->d_name)) {
			/* non-regular files are reported when loaded, unread */
			MG_GROW(*files, *capfiles, *nfiles + 1);
			(*files)[(*nfiles)++] = p;
		} else {
			free(p);
		}
	}
	closedir(d);
}

static int cmp_found(const void *x, const void *y)
{
	return pathcmp(((const struct found_set *)x)->dir,
		       ((const struct found_set *)y)->dir);
}

static void lint_tree(struct group *g, const struct mg_lint_opts *o)
{
	struct found_set *sets = NULL;
	char **files = NULL;
	size_t nsets = 0, capsets = 0, nfiles = 0, capfiles = 0;
	struct mg_engine *e;
	struct stat st;

	if (stat(g->dir, &st) != 0) {
		struct mg_err err = MG_ERR_INIT;
		mg_err_set(&err, MG_EIO, "cannot-read", "cannot read '%s': %s", g->dir,
			   strerror(errno));
		input_diag(g, NULL, g->dir, &err);
		mg_err_release(&err);
		return;
	}
	collect_tree(o, g->dir, &sets, &nsets, &capsets, &files, &nfiles,
		     &capfiles, 0);
	if (nsets)
		qsort(sets, nsets, sizeof(*sets), cmp_found);
	for (size_t i = 0; i < nsets; i++) {
		e = mg_engine_new(o);
		lint_set(e, g, o, &sets[i].set);
		mg_engine_free(e);
		mg_migset_release(&sets[i].set);
		free(sets[i].dir);
	}
	free(sets);
	if (nfiles) {
		sort_paths(files, nfiles);
		e = mg_engine_new(o);
		lint_plain_list(e, g, o, files, nfiles, NULL);
		mg_engine_free(e);
	}
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
}

/* The entries of a migration set that are no migrations: each reported
 * once (unless excluded), then linted after the migrations as a tree walk
 * would, .sql files with the schema the set built, in pathcmp order;
 * migration sets inside stray directories each on their own. */
static void lint_strays(struct mg_engine *e, struct group *g,
			const struct mg_lint_opts *o, const struct mg_migset *set)
{
	struct found_set *sets = NULL;
	char **files = NULL;
	size_t nsets = 0, capsets = 0, nfiles = 0, capfiles = 0;

	for (size_t i = 0; i < set->nunmatched; i++) {
		const struct mg_unmatched *u = &set->unmatched[i];
		if (!excluded(o, u->path))
			stray_diag(g, o, u->path, u);
		if (u->is_dir) {
			collect_tree(o, u->path, &sets, &nsets, &capsets, &files,
				     &nfiles, &capfiles, 1);
		} else if (!other_dialect(o, base_name(u->path))) {
			MG_GROW(files, capfiles, nfiles + 1);
			files[nfiles++] = mg_xstrdup(u->path);
		}
	}
	if (nfiles) {
		sort_paths(files, nfiles);
		lint_plain_list(e, g, o, files, nfiles, NULL);
	}
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	if (nsets)
		qsort(sets, nsets, sizeof(*sets), cmp_found);
	for (size_t i = 0; i < nsets; i++) {
		struct mg_engine *e2 = mg_engine_new(o);
		lint_set(e2, g, o, &sets[i].set);
		mg_engine_free(e2);
		mg_migset_release(&sets[i].set);
		free(sets[i].dir);
	}
	free(sets);
}

static void run_group(const struct mg_lint_opts *o, struct group *g)
{
	struct mg_migset set;
	struct mg_engine *e;
	bool in_set = false;

	if (g->kind == G_DIR) {
		if (!load_set(o, g->dir, &set)) {
			lint_tree(g, o);
			return;
		}
		e = mg_engine_new(o);
		lint_set(e, g, o, &set);
		mg_engine_free(e);
		mg_migset_release(&set);
		return;
	}
	/* files: does their directory hold them as migrations? */
	e = mg_engine_new(o);
	if (g->dir && mg_fs_is_dir(g->dir) && load_set(o, g->dir, &set)) {
		lint_set(e, g, o, &set);
		mg_migset_release(&set);
		in_set = true;
	}
	if (!in_set) {
		char **paths = mg_xcalloc(g->nfiles + 1, sizeof(char *));
		struct mg_source **ss = mg_xcalloc(g->nfiles + 1, sizeof(*ss));
		bool any_stdin = false;
		for (size_t k = 0; k < g->nfiles; k++) {
			paths[k] = g->files[k].path;
			ss[k] = g->files[k].stdin_src;
			any_stdin |= ss[k] != NULL;
			g->files[k].stdin_src = NULL;
		}
		if (!any_stdin && g->nfiles > 1)
			sort_paths(paths, g->nfiles);
		lint_plain_list(e, g, o, paths, g->nfiles, any_stdin ? ss : NULL);
		for (size_t k = 0; k < g->nfiles; k++) {
			if (ss[k]) {
				mg_source_release(ss[k]);
				free(ss[k]);
			}
		}
		free(ss);
		free(paths);
	}
	mg_engine_free(e);
}

/* mg_workers_run_on's job i: directory group i */
static void run_group_i(void *arg, size_t i)
{
	struct run *r = arg;

	run_group(r->o, &r->g[i]);
}

static void group_release(struct group *g)
{
	free(g->dir);
	for (size_t k = 0; k < g->nfiles; k++) {
		free(g->files[k].path);
		free(g->files[k].real);
		if (g->files[k].stdin_src) {
			mg_source_release(g->files[k].stdin_src);
			free(g->files[k].stdin_src);
		}
	}
	free(g->files);
	mg_diags_release(&g->diags);
}

/* The directory whose migrations a file belongs to: its parent, or for
 * up.sql / down.sql / upgrade.sql / downgrade.sql its grandparent. */
static char *migrations_dir_of(const char *path)
{
	const char *b = base_name(path);
	char *d = dir_of(path);

	if (!strcmp(b, "up.sql") || !strcmp(b, "down.sql") ||
	    !strcmp(b, "upgrade.sql") || !strcmp(b, "downgrade.sql")) {
		char *dd = dir_of(d);
		free(d);
		return dd;
	}
	return d;
}

static struct group *add_group(struct group **v, size_t *n, size_t *cap,
			       enum group_kind k, const char *dir)
{
	struct group *g;

	MG_GROW(*v, *cap, *n + 1);
	g = &(*v)[(*n)++];
	memset(g, 0, sizeof(*g));
	g->kind = k;
	g->dir = dir ? mg_xstrdup(dir) : NULL;
	return g;
}

static void add_file(struct group *g, const char *path, struct mg_source *stdin_src)
{
	struct file_sel *f;
	char buf[PATH_MAX];

	MG_GROW(g->files, g->capfiles, g->nfiles + 1);
	f = &g->files[g->nfiles++];
	memset(f, 0, sizeof(*f));
	f->path = mg_xstrdup(path);
	f->real = realpath(path, buf) ? mg_xstrdup(buf) : NULL;
	f->stdin_src = stdin_src;
}

/* Read a stream to its end (standard input, or a pipe named on the command
 * line such as bash's <(...)) as the script `name`. */
static int read_stream(FILE *f, const char *name, struct mg_source **out,
		       struct mg_err *err)
{
	struct mg_buf b = MG_BUF_INIT;
	char chunk[65536];
	size_t n;
	struct mg_source *s;
	char *text;
	size_t len;

	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		mg_buf_add(&b, chunk, n);
		if (b.len > MG_FS_MAX_FILE) {
			mg_buf_release(&b);
			return mg_err_set(err, MG_EIO, "file-too-large",
					  "'%s' is larger than 1 GiB", name);
		}
	}
	if (ferror(f)) {
		mg_buf_release(&b);
		return mg_err_set(err, MG_EIO, "cannot-read",
				  "cannot read '%s': %s", name, strerror(errno));
	}
	text = mg_buf_detach(&b, &len);
	s = mg_xcalloc(1, sizeof(*s));
	if (mg_source_adopt(s, name, text, len, err)) {
		free(s);
		return err->code;
	}
	*out = s;
	return 0;
}

/* A pipe or character device (e.g. /dev/fd/63 from bash's <(...)). */
static bool is_stream(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode));
}

int mg_lint_paths(const char *const *paths, size_t npaths,
		  const struct mg_lint_opts *o, struct mg_lint_result *res,
		  struct mg_err *err)
{
	struct group *gs = NULL;
	size_t ng = 0, capg = 0;
	struct run r;
	long nthreads, ncpu;

	(void)err;
	memset(res, 0, sizeof(*res));
	for (size_t i = 0; i < npaths; i++) {
		const char *p = paths[i];
		struct mg_source *stdin_src = NULL;
		const char *name = p;
		char *mdir;
		struct group *g = NULL;

		if (!strcmp(p, "-")) {
			struct mg_err e2 = MG_ERR_INIT;
			name = o->stdin_filename ? o->stdin_filename : "<stdin>";
			if (read_stream(stdin, name, &stdin_src, &e2)) {
				g = add_group(&gs, &ng, &capg, G_FILES, NULL);
				input_diag(g, NULL, name, &e2);
				mg_err_release(&e2);
				continue;
			}
			if (!o->stdin_filename) {
				g = add_group(&gs, &ng, &capg, G_FILES, NULL);
				add_file(g, name, stdin_src);
				continue;
			}
		} else if (mg_fs_is_dir(p)) {
			add_group(&gs, &ng, &capg, G_DIR, p);
			continue;
		} else if (is_stream(p)) {
			/* named on the command line, so read: <(git show ...) */
			struct mg_err e2 = MG_ERR_INIT;
			FILE *f = fopen(p, "rb");
			g = add_group(&gs, &ng, &capg, G_FILES, NULL);
			if (!f)
				mg_err_set(&e2, MG_EIO, "cannot-read",
					   "cannot open '%s': %s", p, strerror(errno));
			if (!f || read_stream(f, p, &stdin_src, &e2)) {
				input_diag(g, NULL, p, &e2);
				mg_err_release(&e2);
			} else {
				add_file(g, p, stdin_src);
			}
			if (f)
				fclose(f);
			continue;
		}
		/* a file: group with the other files of its migrations dir */
		mdir = migrations_dir_of(name);
		for (size_t k = 0; k < ng; k++)
			if (gs[k].kind == G_FILES && gs[k].dir && !strcmp(gs[k].dir, mdir))
				g = &gs[k];
		if (!g)
			g = add_group(&gs, &ng, &capg, G_FILES, mdir);
		add_file(g, name, stdin_src);
		free(mdir);
	}

	r.o = o;
	r.g = gs;
	ncpu = o->jobs > 0 ? o->jobs : (long)mg_cpus_available();
	if (ncpu < 1)
		ncpu = 1;
	nthreads = ncpu;
	if ((size_t)nthreads > ng)
		nthreads = (long)ng;
	if (nthreads > 64)
		nthreads = 64;
	/* CPUs no directory walk uses parse ahead for the walks */
	for (size_t k = 0; nthreads > 0 && k < ng; k++)
		gs[k].helpers = (int)((ncpu - nthreads) / nthreads);
	mg_workers_run_on((unsigned)nthreads, 1, ng, run_group_i, &r);

	for (size_t k = 0; k < ng; k++) {
		struct group *g = &gs[k];
		mg_diags_append(&res->diags, &g->diags);
		res->sum.files += g->sum.files;
		res->sum.statements += g->sum.statements;
		res->sum.errors += g->sum.errors;
		res->sum.warnings += g->sum.warnings;
		res->sum.infos += g->sum.infos;
		res->sum.suppressed += g->sum.suppressed;
		res->input_error |= g->input_error;
		group_release(g);
	}
	free(gs);
	/* input diagnostics were added outside the engine's counters */
	res->sum.errors = res->sum.warnings = res->sum.infos = 0;
	for (size_t i = 0; i < res->diags.n; i++) {
		switch (res->diags.v[i].severity) {
		case MG_SEV_ERROR: res->sum.errors++; break;
		case MG_SEV_WARNING: res->sum.warnings++; break;
		case MG_SEV_INFO: res->sum.infos++; break;
		default: break;
		}
	}
	return 0;
}

void mg_lint_string(const char *name, const char *text, size_t len,
		    bool is_down, const struct mg_lint_opts *o,
		    struct mg_lint_result *res)
{
	struct group g;
	struct mg_engine *e = mg_engine_new(o);
	struct mg_source *s = mg_xcalloc(1, sizeof(*s));
	struct mg_err err = MG_ERR_INIT;
	char *copy = mg_xstrndup(text, len);
	char *nm = is_down && !is_down_name(name) ? mg_xasprintf("%s.down.sql", name) :
			mg_xstrdup(name);

	memset(res, 0, sizeof(*res));
	memset(&g, 0, sizeof(g));
	if (mg_source_adopt(s, nm, copy, len, &err)) {
		input_diag(&g, NULL, nm, &err);
		free(s);
	} else {
		struct plain pl = { 0 };
		struct mg_directives *d = adopt_source(&pl, s);
		lint_plain_file(e, &g, o, s, d, nm, false, false);
		plain_release(&pl);
	}
	mg_err_release(&err);
	res->diags = g.diags;
	res->sum = g.sum;
	res->input_error = g.input_error;
	mg_engine_free(e);
	free(nm);
}

void mg_lint_result_release(struct mg_lint_result *r)
{
	mg_diags_release(&r->diags);
	memset(r, 0, sizeof(*r));
}

int mg_lint_apply_baseline(struct mg_lint_result *r, const char *path,
			   struct mg_err *err)
{
	struct mg_baseline b;
	size_t w = 0;
	int rc = mg_baseline_load(&b, path, err);

	if (rc)
		return rc;
	for (size_t i = 0; i < r->diags.n; i++) {
		struct mg_diag *d = &r->diags.v[i];
		if (strcmp(d->rule, "syntax-error") && strcmp(d->rule, "input-error") &&
		    strcmp(d->rule, "unknown-rule") && mg_baseline_take(&b, d)) {
			r->sum.baselined++;
			if (d->severity == MG_SEV_ERROR)
				r->sum.errors--;
			else if (d->severity == MG_SEV_WARNING)
				r->sum.warnings--;
			else if (d->severity == MG_SEV_INFO)
				r->sum.infos--;
			mg_diag_release(d);
			continue;
		}
		r->diags.v[w++] = *d;
	}
	r->diags.n = w;
	mg_baseline_release(&b);
	return 0;
}

int mg_lint_exit_code(const struct mg_lint_result *r, const struct mg_lint_opts *o)
{
	if (r->input_error)
		return 2;
	if (o->fail_on == MG_SEV_OFF)
		return 0;
	for (size_t i = 0; i < r->diags.n; i++)
		if (r->diags.v[i].severity >= o->fail_on)
			return 1;
	return 0;
}

/* ---- the runner's gate -------------------------------------------------- */

static bool allowed(const char *rule, const char *const *allow, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (allow[i] && !strcmp(allow[i], rule))
			return true;
	return false;
}

int mg_lint_gate(const struct mg_migset *set, const bool *pending,
		 const struct mg_lint_opts *opts, const char *const *allow,
		 size_t nallow, FILE *out, bool color, struct mg_err *err)
{
	struct mg_lint_opts dflt;
	const struct mg_lint_opts *o = opts;
	struct mg_engine *e;
	struct group g;
	size_t blocking = 0, nallowed = 0, first_block = SIZE_MAX;
	int rc = 0;

	for (size_t i = 0; i < nallow; i++) {
		if (allow[i] && mg_rule_index(allow[i]) < 0) {
			const char *s = mg_rule_suggest(allow[i]);
			mg_err_set(err, MG_EUSAGE, "unknown-rule",
				   "--allow names unknown rule '%s'", allow[i]);
			if (s)
				mg_err_hint(err, "did you mean '%s'?", s);
			return MG_EUSAGE;
		}
	}
	if (!o) {
		mg_lint_opts_init(&dflt);
		o = &dflt;
	}
	memset(&g, 0, sizeof(g));
	e = mg_engine_new(o);
	for (size_t i = 0; set && i < set->n; i++)
		lint_script(e, &g, &set->items[i].up, false, false,
			    !(pending && pending[i]));
	mg_engine_free(e);

	for (size_t i = 0; i < g.diags.n; i++) {
		struct mg_diag *d = &g.diags.v[i];
		if (d->severity < MG_SEV_WARNING)
			continue;
		if (d->severity == MG_SEV_ERROR && allowed(d->rule, allow, nallow)) {
			nallowed++;
			continue;
		}
		if (out) {
			mg_report_text_one(out, d, color);
			fputc('\n', out);
		}
		if (d->severity == MG_SEV_ERROR) {
			blocking++;
			if (first_block == SIZE_MAX)
				first_block = i;
		}
	}
	if (g.input_error) {
		mg_err_set(err, MG_EINPUT, "lint-input-error",
			   "a pending migration cannot be linted (see the "
			   "diagnostics above)");
		mg_err_hint(err, "fix the SQL; 'migrate lint' shows the same "
				 "diagnostics");
		rc = MG_EINPUT;
	} else if (blocking) {
		const struct mg_diag *d = &g.diags.v[first_block];
		mg_err_set(err, MG_EREFUSED, "lint-refused",
			   "refusing to migrate: %zu lint error%s in pending "
			   "migrations", blocking, blocking == 1 ? "" : "s");
		mg_err_at(err, d->file, d->line, d->column);
		mg_err_hint(err, "make the migration safe, or accept the risk with "
				 "'-- migrate:lint-ignore %s -- reason' above the "
				 "statement or 'migrate up --allow %s'",
			    d->rule, d->rule);
		rc = MG_EREFUSED;
	}
	(void)nallowed;
	mg_diags_release(&g.diags);
	if (o == &dflt)
		mg_lint_opts_release(&dflt);
	return rc;
}

int mg_lint_gate_list(const struct mg_migset *set, const size_t *migs, size_t n,
		      const struct mg_lint_opts *opts, const char *const *allow,
		      size_t nallow, FILE *out, bool color, struct mg_err *err)
{
	bool *pending = mg_xcalloc(set && set->n ? set->n : 1, sizeof(bool));
	int rc;

	for (size_t i = 0; set && i < n; i++)
		if (migs[i] < set->n)
			pending[migs[i]] = true;
	rc = mg_lint_gate(set, pending, opts, allow, nallow, out, color, err);
	free(pending);
	return rc;
}
