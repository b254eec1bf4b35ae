/* volatility: built-in function volatility and expression walks; see
 * volatility.h. */
#include "volatility.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../sql/pgparse.h"
#include "catalog.h"

struct vol_entry {
	const char *name;
	char vol; /* 'i', 's', 'v' as in pg_proc.provolatile */
};

/* Sorted by name (bsearch). The usual suspects in DEFAULT and USING
 * expressions; pg_proc.provolatile of PostgreSQL 15 unless noted. */
static const struct vol_entry builtins[] = {
	{ "abs", 'i' },
	{ "age", 's' },
	{ "array_append", 'i' },
	{ "array_length", 'i' },
	{ "array_to_json", 's' },
	{ "array_to_string", 's' },
	{ "btrim", 'i' },
	{ "ceil", 'i' },
	{ "ceiling", 'i' },
	{ "char_length", 'i' },
	{ "character_length", 'i' },
	{ "clock_timestamp", 'v' },
	{ "coalesce", 'i' },
	{ "concat", 's' },
	{ "concat_ws", 's' },
	{ "current_database", 's' },
	{ "current_date", 's' },
	{ "current_query", 'v' },
	{ "current_schema", 's' },
	{ "current_setting", 's' },
	{ "current_time", 's' },
	{ "current_timestamp", 's' },
	{ "current_user", 's' },
	{ "currval", 'v' },
	{ "date", 's' },
	{ "date_part", 's' },
	{ "date_trunc", 's' },
	{ "decode", 'i' },
	{ "digest", 'i' },
	{ "encode", 'i' },
	{ "extract", 's' },
	{ "floor", 'i' },
	{ "format", 's' },
	{ "gen_random_bytes", 'v' },
	{ "gen_random_uuid", 'v' },
	{ "gen_salt", 'v' },
	{ "greatest", 'i' },
	{ "inet_client_addr", 's' },
	{ "json_build_array", 's' },
	{ "json_build_object", 's' },
	{ "jsonb_build_array", 's' },
	{ "jsonb_build_object", 's' },
	{ "lastval", 'v' },
	{ "least", 'i' },
	{ "left", 'i' },
	{ "length", 'i' },
	{ "localtime", 's' },
	{ "localtimestamp", 's' },
	{ "lower", 'i' },
	{ "lpad", 'i' },
	{ "ltrim", 'i' },
	{ "make_date", 'i' },
	{ "make_interval", 'i' },
	{ "make_time", 'i' },
	{ "make_timestamp", 'i' },
	{ "make_timestamptz", 's' },
	{ "md5", 'i' },
	{ "mod", 'i' },
	{ "nextval", 'v' },
	{ "now", 's' },
	{ "nullif", 'i' },
	{ "pg_backend_pid", 's' },
	{ "pg_current_xact_id", 'v' }, /* 's' in pg_proc; see txid_current */
	{ "power", 'i' },
	{ "random", 'v' },
	{ "random_normal", 'v' },
	{ "regexp_replace", 'i' },
	{ "repeat", 'i' },
	{ "replace", 'i' },
	{ "right", 'i' },
	{ "round", 'i' },
	{ "row_to_json", 's' },
	{ "rpad", 'i' },
	{ "rtrim", 'i' },
	{ "session_user", 's' },
	{ "setseed", 'v' },
	{ "setval", 'v' },
	{ "sha224", 'i' },
	{ "sha256", 'i' },
	{ "sha384", 'i' },
	{ "sha512", 'i' },
	{ "split_part", 'i' },
	{ "sqrt", 'i' },
	{ "statement_timestamp", 's' },
	{ "strpos", 'i' },
	{ "substr", 'i' },
	{ "substring", 'i' },
	{ "timeofday", 'v' },
	{ "timezone", 's' },
	{ "to_char", 's' },
	{ "to_date", 's' },
	{ "to_json", 's' },
	{ "to_jsonb", 's' },
	{ "to_number", 's' },
	{ "to_timestamp", 's' },
	{ "transaction_timestamp", 's' },
	{ "translate", 'i' },
	{ "trim", 'i' },
	{ "trunc", 'i' },
	/* pg_proc says 's' (constant within a transaction); listed as
	 * volatile on purpose: a per-row transaction id default is almost
	 * always a mistake worth a second look. */
	{ "txid_current", 'v' },
	{ "upper", 'i' },
	{ "uuid_generate_v1", 'v' },
	{ "uuid_generate_v1mc", 'v' },
	{ "uuid_generate_v3", 'i' },
	{ "uuid_generate_v4", 'v' },
	{ "uuid_generate_v5", 'i' },
	{ "uuid_nil", 'i' },
	{ "uuidv4", 'v' },
	{ "uuidv7", 'v' },
	{ "version", 's' },
};

static int cmp_entry(const void *k, const void *e)
{
	return strcmp((const char *)k, ((const struct vol_entry *)e)->name);
}

static enum mg_volatility from_char(char c)
{
	return c == 'i' ? MG_VOL_IMMUTABLE : c == 's' ? MG_VOL_STABLE : MG_VOL_VOLATILE;
}

enum mg_volatility mg_volatility_builtin(const char *schema, const char *name,
					 bool *known)
{
	const struct vol_entry *e = NULL;
	char low[64];
	size_t i;

	if (known)
		*known = false;
	if (!name)
		return MG_VOL_VOLATILE;
	if (schema && schema[0] && strcmp(schema, "pg_catalog") &&
	    strcmp(schema, "public"))
		return MG_VOL_VOLATILE;
	for (i = 0; name[i] && i + 1 < sizeof(low); i++)
		low[i] = (char)((name[i] >= 'A' && name[i] <= 'Z') ? name[i] + 32 : name[i]);
	low[i] = '\0';
	e = bsearch(low, builtins, sizeof(builtins) / sizeof(builtins[0]),
		    sizeof(builtins[0]), cmp_entry);
	if (!e)
		return MG_VOL_VOLATILE;
	if (known)
		*known = true;
	return from_char(e->vol);
}

const char *mg_volatility_name(enum mg_volatility v)
{
	switch (v) {
	case MG_VOL_IMMUTABLE: return "immutable";
	case MG_VOL_STABLE: return "stable";
	default: return "volatile";
	}
}

static void note(struct mg_vol_result *r, enum mg_volatility v, bool unknown,
		 const char *fn)
{
	if (v > r->vol || (v == r->vol && unknown && !r->unknown && v == MG_VOL_VOLATILE)) {
		r->vol = v;
		r->unknown = unknown;
		snprintf(r->func, sizeof(r->func), "%s", fn ? fn : "");
	}
}

static void func_call(const struct mg_catalog *cat, const cJSON *fc,
		      struct mg_vol_result *r)
{
	const cJSON *names = mg_node_get(fc, "funcname");
	const char *schema = NULL, *name = NULL;
	const cJSON *it;
	int n = 0;
	bool known = false;
	enum mg_volatility v;
	char full[128];

	cJSON_ArrayForEach(it, names) {
		const cJSON *s = mg_node_get(it, "String");
		const char *sv = mg_node_str(s, "sval");
		if (!sv)
			continue;
		if (n++ == 0)
			name = sv;
		else {
			schema = name;
			name = sv;
		}
	}
	if (!name)
		return;
	snprintf(full, sizeof(full), "%s%s%s", schema ? schema : "",
		 schema ? "." : "", name);
	if (cat) {
		const struct mg_cat_func *f = mg_cat_func(cat, schema, name);
		if (f) {
			note(r, f->vol, false, full);
			return;
		}
	}
	v = mg_volatility_builtin(schema, name, &known);
	note(r, v, !known, full);
}

static void walk(const struct mg_catalog *cat, const cJSON *n,
		 struct mg_vol_result *r, int depth)
{
	const cJSON *it;

	if (!n || depth > 200)
		return;
	if (cJSON_IsArray(n)) {
		cJSON_ArrayForEach(it, n)
			walk(cat, it, r, depth + 1);
		return;
	}
	if (!cJSON_IsObject(n))
		return;
	cJSON_ArrayForEach(it, n) {
		const char *k = it->string;
		if (!k)
			continue;
		if (!strcmp(k, "FuncCall") && cJSON_IsObject(it)) {
			func_call(cat, it, r);
			walk(cat, mg_node_get(it, "args"), r, depth + 1);
			walk(cat, mg_node_get(it, "agg_filter"), r, depth + 1);
			continue;
		}
		if (!strcmp(k, "SQLValueFunction")) {
			note(r, MG_VOL_STABLE, false, "CURRENT_TIMESTAMP");
			continue;
		}
		if (!strcmp(k, "SubLink")) {
			note(r, MG_VOL_VOLATILE, false, "a subquery");
			continue;
		}
		if (cJSON_IsObject(it) || cJSON_IsArray(it))
			walk(cat, it, r, depth + 1);
	}
}

void mg_volatility_expr(const struct mg_catalog *cat, const cJSON *expr,
			struct mg_vol_result *out)
{
	memset(out, 0, sizeof(*out));
	out->vol = MG_VOL_IMMUTABLE;
	walk(cat, expr, out, 0);
}
