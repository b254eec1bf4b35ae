/* dburl: URL forms and password redaction; see dburl.h. */
#include "dburl.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/buf.h"
#include "../core/xalloc.h"

#define MASK "****"
/* Secrets shorter than this are not scrubbed from free text (a one-letter
 * "password" would mangle every message); URL and conninfo structure is
 * still redacted whatever the length. */
#define MIN_SCRUB_LEN 3

const char *mg_dialect_name(enum mg_dialect d)
{
	switch (d) {
	case MG_DIALECT_SQLITE: return "sqlite";
	case MG_DIALECT_PG: return "postgres";
	default: return "none";
	}
}

enum mg_dialect mg_dialect_parse(const char *s)
{
	if (!s)
		return MG_DIALECT_NONE;
	if (!strcasecmp(s, "sqlite") || !strcasecmp(s, "sqlite3"))
		return MG_DIALECT_SQLITE;
	if (!strcasecmp(s, "postgres") || !strcasecmp(s, "postgresql") ||
	    !strcasecmp(s, "pg"))
		return MG_DIALECT_PG;
	return MG_DIALECT_NONE;
}

static bool prefix_ci(const char *s, const char *p)
{
	return strncasecmp(s, p, strlen(p)) == 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static char *pct_decode(const char *s, size_t n)
{
	struct mg_buf b = MG_BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 &&
		    hexval(s[i + 2]) >= 0) {
			mg_buf_addc(&b, (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
			i += 2;
		} else {
			mg_buf_addc(&b, s[i]);
		}
	}
	return mg_buf_detach(&b, NULL);
}

/* Is s[i] the start of a key (not in the middle of a word)? */
static bool key_boundary(const char *s, size_t i)
{
	if (i == 0)
		return true;
	return isspace((unsigned char)s[i - 1]) || s[i - 1] == '?' ||
	       s[i - 1] == '&' || s[i - 1] == ';' || s[i - 1] == ',' ||
	       s[i - 1] == '"' || s[i - 1] == '\'' || s[i - 1] == '(';
}

/*
 * Find a "password" key at s[i]: returns the offset of its value (after
 * '=' and blanks) or 0 when there is none.
 */
static size_t password_key(const char *s, size_t i)
{
	size_t j;

	if (!key_boundary(s, i) || strncasecmp(s + i, "password", 8))
		return 0;
	j = i + 8;
	while (s[j] == ' ' || s[j] == '\t')
		j++;
	if (s[j] != '=')
		return 0;
	j++;
	while (s[j] == ' ' || s[j] == '\t')
		j++;
	return j;
}

/* End of a password value starting at s[j]: quoted conninfo values end at
 * the closing quote, others at a blank, '&', '#' or a quote. */
static size_t value_end(const char *s, size_t j, bool *quoted)
{
	*quoted = false;
	if (s[j] == '\'') {
		size_t k = j + 1;
		*quoted = true;
		while (s[k] && s[k] != '\'') {
			if (s[k] == '\\' && s[k + 1])
				k++;
			k++;
		}
		return s[k] ? k + 1 : k;
	}
	while (s[j] && !isspace((unsigned char)s[j]) && s[j] != '&' &&
	       s[j] != '#' && s[j] != '"' && s[j] != '\'')
		j++;
	return j;
}

/*
 * The user-info password of a URL whose "://" ends at s[i]: sets *a and *b
 * to its bounds and returns true when there is one.
 */
static bool userinfo_password(const char *s, size_t i, size_t *a, size_t *b)
{
	size_t end = i, at = 0, colon = 0;
	bool have_at = false;

	while (s[end] && !isspace((unsigned char)s[end]) && s[end] != '?' &&
	       s[end] != '"' && s[end] != '\'')
		end++;
	for (size_t k = i; k < end; k++)
		if (s[k] == '@') {
			at = k;
			have_at = true;
		}
	if (!have_at)
		return false;
	for (size_t k = i; k < at; k++)
		if (s[k] == ':') {
			colon = k;
			break;
		}
	if (!colon)
		return false;
	*a = colon + 1;
	*b = at;
	return true;
}

char *mg_dburl_redact(const char *url)
{
	struct mg_buf b = MG_BUF_INIT;
	size_t i = 0, n;

	if (!url)
		return mg_xstrdup("");
	n = strlen(url);
	while (i < n) {
		size_t a, e, v;
		bool quoted;

		if (i + 3 <= n && !memcmp(url + i, "://", 3) &&
		    userinfo_password(url, i + 3, &a, &e)) {
			mg_buf_add(&b, url + i, a - i);
			mg_buf_adds(&b, MASK);
			i = e;
			continue;
		}
		if ((v = password_key(url, i)) != 0) {
			e = value_end(url, v, &quoted);
			mg_buf_add(&b, url + i, v - i);
			mg_buf_adds(&b, quoted ? "'" MASK "'" : MASK);
			i = e;
			continue;
		}
		mg_buf_addc(&b, url[i]);
		i++;
	}
	return mg_buf_detach(&b, NULL);
}

static void add_secret(struct mg_dburl *u, const char *s, size_t n)
{
	char *raw, *dec;

	if (!n)
		return;
	raw = mg_xstrndup(s, n);
	dec = pct_decode(s, n);
	u->secrets = mg_xrealloc(u->secrets, (u->nsecrets + 2) * sizeof(char *));
	u->secrets[u->nsecrets++] = raw;
	if (strcmp(dec, raw))
		u->secrets[u->nsecrets++] = dec;
	else
		free(dec);
}

/* Collect every password-looking value of url as a secret to scrub. */
static void collect_secrets(struct mg_dburl *u, const char *url)
{
	size_t n = strlen(url);
	const char *env;

	for (size_t i = 0; i < n; i++) {
		size_t a, e, v;
		bool quoted;

		if (i + 3 <= n && !memcmp(url + i, "://", 3) &&
		    userinfo_password(url, i + 3, &a, &e)) {
			add_secret(u, url + a, e - a);
			continue;
		}
		if ((v = password_key(url, i)) != 0) {
			e = value_end(url, v, &quoted);
			if (quoted && e - v >= 2)
				add_secret(u, url + v + 1, e - v - 2);
			else
				add_secret(u, url + v, e - v);
		}
	}
	env = getenv("PGPASSWORD");
	if (env && *env)
		add_secret(u, env, strlen(env));
}

static bool looks_like_conninfo(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	if (!isalpha((unsigned char)*s))
		return false;
	while (isalnum((unsigned char)*s) || *s == '_')
		s++;
	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '=';
}

int mg_dburl_parse(struct mg_dburl *u, const char *url, struct mg_err *err)
{
	memset(u, 0, sizeof(*u));
	if (!url || !*url) {
		mg_err_set(err, MG_ECONFIG, "missing-database-url",
			   "no database URL given");
		mg_err_hint(err, "pass --database-url URL, set DATABASE_URL, or set "
				 "\"database_url\" in migrate.json (docs/config.md)");
		return MG_ECONFIG;
	}
	u->raw = mg_xstrdup(url);
	u->redacted = mg_dburl_redact(url);
	if (prefix_ci(url, "postgres://") || prefix_ci(url, "postgresql://") ||
	    looks_like_conninfo(url)) {
		u->dialect = MG_DIALECT_PG;
		u->conninfo = mg_xstrdup(url);
		collect_secrets(u, url);
		return 0;
	}
	if (prefix_ci(url, "sqlite:") || prefix_ci(url, "sqlite3:")) {
		const char *p = strchr(url, ':') + 1;
		u->dialect = MG_DIALECT_SQLITE;
		if (!strcmp(p, ":memory:")) {
			u->path = mg_xstrdup(":memory:");
			return 0;
		}
		if (!strncmp(p, "//", 2))
			p += 2;
		if (!*p) {
			free(u->raw);
			free(u->redacted);
			memset(u, 0, sizeof(*u));
			mg_err_set(err, MG_ECONFIG, "bad-database-url",
				   "SQLite URL '%s' names no file", url);
			mg_err_hint(err, "use sqlite:path/to/file.db, sqlite:///abs/path.db "
					 "or sqlite::memory:");
			return MG_ECONFIG;
		}
		u->path = mg_xstrdup(p);
		return 0;
	}
	mg_err_set(err, MG_ECONFIG, "bad-database-url",
		   "unrecognized database URL '%s'", u->redacted);
	mg_err_hint(err, "use postgres://USER@HOST/DB, a libpq conninfo string "
			 "(host=... dbname=...), sqlite:path/to/file.db or "
			 "sqlite::memory: (docs/config.md)");
	mg_dburl_release(u);
	return MG_ECONFIG;
}

void mg_dburl_release(struct mg_dburl *u)
{
	free(u->raw);
	free(u->conninfo);
	free(u->path);
	free(u->redacted);
	for (size_t i = 0; i < u->nsecrets; i++)
		free(u->secrets[i]);
	free(u->secrets);
	memset(u, 0, sizeof(*u));
}

/* Replace every occurrence of needle in *s (owned) by MASK. */
static void replace_all(char **s, const char *needle)
{
	size_t nl = strlen(needle);
	struct mg_buf b = MG_BUF_INIT;
	const char *p = *s, *hit;

	if (nl < MIN_SCRUB_LEN || !strstr(*s, needle))
		return;
	while ((hit = strstr(p, needle))) {
		mg_buf_add(&b, p, (size_t)(hit - p));
		mg_buf_adds(&b, MASK);
		p = hit + nl;
	}
	mg_buf_adds(&b, p);
	free(*s);
	*s = mg_buf_detach(&b, NULL);
}

char *mg_dburl_scrub(const struct mg_dburl *u, const char *text)
{
	char *s = mg_xstrdup(text ? text : ""), *r;

	if (u) {
		/* longest first, so a decoded secret inside a raw one goes too */
		for (size_t pass = 0; pass < 2; pass++)
			for (size_t i = 0; i < u->nsecrets; i++)
				replace_all(&s, u->secrets[i]);
	}
	r = mg_dburl_redact(s);
	free(s);
	return r;
}

static void scrub_field(const struct mg_dburl *u, char **f)
{
	char *n;

	if (!*f)
		return;
	n = mg_dburl_scrub(u, *f);
	free(*f);
	*f = n;
}

void mg_dburl_scrub_err(const struct mg_dburl *u, struct mg_err *err)
{
	if (!err)
		return;
	scrub_field(u, &err->msg);
	scrub_field(u, &err->detail);
	scrub_field(u, &err->hint);
	scrub_field(u, &err->file);
}
