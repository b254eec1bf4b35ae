/* rule_meta: parse the embedded rules/<id>.json once; see rule_meta.h. */
#include "rule_meta.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "../core/xalloc.h"

const struct mg_engine_diag mg_engine_diags[] = {
	{ "ignore-without-reason", MG_SEV_WARNING, true,
	  "a lint-ignore directive gives no reason",
	  "say why after the rule ids: "
	  "-- migrate:lint-ignore RULE -- why this is safe here" },
	{ "input-error", MG_SEV_ERROR, false,
	  "a file or directory could not be read or understood", NULL },
	{ "stray-file", MG_SEV_WARNING, true,
	  "a file or directory in a migrations directory fits no migration "
	  "layout; 'migrate status' and 'migrate up' refuse the directory",
	  "move it out of the migrations directory, or give it a migration "
	  "name (docs/migration-layouts.md)" },
	{ "syntax-error", MG_SEV_ERROR, false,
	  "the statement does not parse with the PostgreSQL grammar",
	  "fix the SQL, or pass --pg-version 16 (or newer) if it is newer "
	  "syntax the bundled PostgreSQL 15 grammar does not know" },
	{ "unknown-rule", MG_SEV_ERROR, false,
	  "a lint-ignore directive names a rule that does not exist",
	  "run 'migrate lint --list-rules' for the rule ids" },
	{ "unparsed-statement", MG_SEV_WARNING, true,
	  "the statement uses syntax newer than the bundled PostgreSQL 15 "
	  "grammar; only token-level checks ran",
	  "review this statement by hand: the schema context is not updated "
	  "by it" },
	{ "unused-ignore", MG_SEV_WARNING, true,
	  "a lint-ignore directive suppresses nothing",
	  "remove the directive, or move it right above the statement it is "
	  "meant for" },
	{ NULL, MG_SEV_OFF, false, NULL, NULL }
};

static struct mg_rule_meta *metas;
static size_t nmetas;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static const char *dup_or(const char *s, const char *dflt)
{
	return s ? mg_xstrdup(s) : dflt;
}

static const char *get_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int mg_severity_parse(const char *s)
{
	if (!s)
		return -1;
	if (!strcmp(s, "error"))
		return MG_SEV_ERROR;
	if (!strcmp(s, "warning") || !strcmp(s, "warn"))
		return MG_SEV_WARNING;
	if (!strcmp(s, "info") || !strcmp(s, "note"))
		return MG_SEV_INFO;
	if (!strcmp(s, "off") || !strcmp(s, "none"))
		return MG_SEV_OFF;
	return -1;
}

const char *mg_severity_name(enum mg_severity s)
{
	switch (s) {
	case MG_SEV_ERROR: return "error";
	case MG_SEV_WARNING: return "warning";
	case MG_SEV_INFO: return "info";
	default: return "off";
	}
}

static void parse_one(struct mg_rule_meta *m, const char *id, const char *json)
{
	cJSON *root = json ? cJSON_Parse(json) : NULL;
	const cJSON *v, *lock, *safe, *it;
	const char *s;
	int sev;

	m->id = id;
	m->summary = m->why = m->safe_text = m->safe_sql = m->help = "";
	m->category = "";
	m->doc_path = mg_xasprintf("docs/rules/%s.md", id);
	if (!cJSON_IsObject(root)) {
		m->parse_error = "rules/<id>.json is not a JSON object";
		cJSON_Delete(root);
		return;
	}
	s = get_str(root, "id");
	if (!s || strcmp(s, id))
		m->parse_error = "\"id\" is missing or differs from the file name";
	s = get_str(root, "severity");
	if (!s)
		s = get_str(root, "default_severity");
	sev = mg_severity_parse(s);
	m->severity = sev > 0 ? (enum mg_severity)sev : MG_SEV_OFF;
	v = cJSON_GetObjectItemCaseSensitive(root, "dialects");
	cJSON_ArrayForEach(it, v) {
		if (!cJSON_IsString(it))
			continue;
		if (!strncmp(it->valuestring, "postgres", 8) ||
		    !strcmp(it->valuestring, "pg"))
			m->dialects |= MG_LINT_POSTGRES;
		else if (!strncmp(it->valuestring, "sqlite", 6))
			m->dialects |= MG_LINT_SQLITE;
	}
	m->summary = dup_or(get_str(root, "summary"), "");
	m->why = dup_or(get_str(root, "why"), "");
	lock = cJSON_GetObjectItemCaseSensitive(root, "lock");
	if (cJSON_IsString(lock)) {
		m->lock_mode = mg_xstrdup(lock->valuestring);
	} else if (cJSON_IsObject(lock)) {
		m->lock_mode = dup_or(get_str(lock, "mode"), NULL);
		m->lock_blocks = dup_or(get_str(lock, "blocks"), NULL);
	}
	if (!m->lock_blocks)
		m->lock_blocks = dup_or(get_str(root, "blocks"), NULL);
	safe = cJSON_GetObjectItemCaseSensitive(root, "safe_alternative");
	if (cJSON_IsString(safe)) {
		m->safe_sql = mg_xstrdup(safe->valuestring); /* SQL, with comments */
	} else if (cJSON_IsObject(safe)) {
		m->safe_text = dup_or(get_str(safe, "text"), "");
		m->safe_sql = dup_or(get_str(safe, "sql"), "");
	}
	m->category = dup_or(get_str(root, "category"), "");
	m->rewrites = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "rewrites"));
	s = get_str(root, "help");
	m->help = s ? mg_xstrdup(s) : m->safe_text[0] ? m->safe_text : m->summary;
	cJSON_Delete(root);
}

static void load(void)
{
	size_t n = 0;

	while (mg_rule_meta_texts[n].id)
		n++;
	metas = mg_xcalloc(n + 1, sizeof(*metas));
	for (size_t i = 0; i < n; i++)
		parse_one(&metas[i], mg_rule_meta_texts[i].id,
			  mg_rule_meta_texts[i].json);
	nmetas = n;
}

const struct mg_rule_meta *mg_rule_meta_all(size_t *n)
{
	pthread_once(&once, load);
	*n = nmetas;
	return metas;
}

const struct mg_rule_meta *mg_rule_meta_get(const char *id)
{
	size_t lo = 0, hi;

	pthread_once(&once, load);
	if (!id)
		return NULL;
	hi = nmetas;
	while (lo < hi) { /* the texts are sorted by file name */
		size_t mid = (lo + hi) / 2;
		int c = strcmp(metas[mid].id, id);
		if (!c)
			return &metas[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = 0; i < nmetas; i++) /* in case the order differs */
		if (!strcmp(metas[i].id, id))
			return &metas[i];
	return NULL;
}

size_t mg_rule_count(void)
{
	size_t n = 0;
	while (mg_rules[n])
		n++;
	return n;
}

long mg_rule_index(const char *id)
{
	if (!id)
		return -1;
	for (size_t i = 0; mg_rules[i]; i++)
		if (!strcmp(mg_rules[i]->id, id))
			return (long)i;
	return -1;
}

const struct mg_engine_diag *mg_engine_diag_get(const char *id)
{
	if (!id)
		return NULL;
	for (size_t i = 0; mg_engine_diags[i].id; i++)
		if (!strcmp(mg_engine_diags[i].id, id))
			return &mg_engine_diags[i];
	return NULL;
}

static unsigned distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned row[80];

	if (la >= 79 || lb >= 79)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (unsigned)j;
	for (size_t i = 1; i <= la; i++) {
		unsigned prev = row[0];
		row[0] = (unsigned)i;
		for (size_t j = 1; j <= lb; j++) {
			unsigned tmp = row[j];
			unsigned best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

const char *mg_rule_suggest(const char *s)
{
	const char *best = NULL;
	unsigned bd;

	if (!s)
		return NULL;
	bd = (unsigned)(strlen(s) / 3 + 2);
	for (size_t i = 0; mg_rules[i]; i++) {
		unsigned d = distance(s, mg_rules[i]->id);
		if (strstr(mg_rules[i]->id, s) && strlen(s) >= 4)
			d = d < 2 ? d : 2;
		if (d < bd) {
			bd = d;
			best = mg_rules[i]->id;
		}
	}
	for (size_t i = 0; mg_engine_diags[i].id; i++) {
		unsigned d;
		if (!mg_engine_diags[i].configurable)
			continue;
		d = distance(s, mg_engine_diags[i].id);
		if (d < bd) {
			bd = d;
			best = mg_engine_diags[i].id;
		}
	}
	return best;
}
