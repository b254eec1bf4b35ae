/* typecoerce: column types and the cost of changing them; see typecoerce.h. */
#include "typecoerce.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../sql/pgparse.h"

struct alias {
	const char *written, *canonical;
};

/* Names as written (or as the grammar spells them) -> pg_type names. */
static const struct alias aliases[] = {
	{ "int", "int4" }, { "integer", "int4" }, { "int4", "int4" },
	{ "serial", "int4" }, { "serial4", "int4" },
	{ "bigint", "int8" }, { "int8", "int8" }, { "bigserial", "int8" },
	{ "serial8", "int8" },
	{ "smallint", "int2" }, { "int2", "int2" }, { "smallserial", "int2" },
	{ "serial2", "int2" },
	{ "real", "float4" }, { "float4", "float4" },
	{ "double precision", "float8" }, { "float", "float8" },
	{ "float8", "float8" },
	{ "decimal", "numeric" }, { "numeric", "numeric" },
	{ "boolean", "bool" }, { "bool", "bool" },
	{ "character varying", "varchar" }, { "varchar", "varchar" },
	{ "character", "bpchar" }, { "char", "bpchar" }, { "bpchar", "bpchar" },
	{ "timestamp", "timestamp" },
	{ "timestamp without time zone", "timestamp" },
	{ "timestamptz", "timestamptz" },
	{ "timestamp with time zone", "timestamptz" },
	{ "time", "time" }, { "time without time zone", "time" },
	{ "timetz", "timetz" }, { "time with time zone", "timetz" },
	{ "bit varying", "varbit" }, { "varbit", "varbit" },
};

/* Built-in types this module reasons about (besides the aliases). */
static const char *const builtin_names[] = {
	"int2", "int4", "int8", "float4", "float8", "numeric", "bool",
	"varchar", "bpchar", "text", "timestamp", "timestamptz", "time",
	"timetz", "date", "interval", "bit", "varbit", "json", "jsonb", "uuid",
	"bytea", "inet", "cidr", "macaddr", "macaddr8", "money", "xml",
	"citext", "tsvector", "oid", "name", "point", "char", NULL
};

const char *mg_type_canonical(const char *name)
{
	if (!name)
		return "";
	for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (aliases[i].written[0] == name[0] && !strcmp(aliases[i].written, name))
			return aliases[i].canonical;
	return name;
}

static bool is_serial(const char *name)
{
	switch (name[0]) {
	case 's':
		return !strcmp(name, "serial") || !strcmp(name, "smallserial") ||
		       !strcmp(name, "serial4") || !strcmp(name, "serial8") ||
		       !strcmp(name, "serial2");
	case 'b':
		return !strcmp(name, "bigserial");
	default:
		return false;
	}
}

/* snprintf(buf, size, "%s", s) without the format machinery (types are
 * read ~100,000 times a run): the same bytes, truncated the same way. */
static void copy_trunc(char *buf, size_t size, const char *s)
{
	size_t n = strlen(s);

	if (n > size - 1)
		n = size - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
}

static int const_int(const cJSON *n, bool *ok)
{
	const cJSON *c = mg_node_get(n, "A_Const");
	const cJSON *iv = mg_node_get(c, "ival");

	*ok = false;
	if (!c)
		return -1;
	if (cJSON_IsObject(iv)) {
		*ok = true;
		return mg_node_int(iv, "ival", 0); /* {} is 0 */
	}
	return -1;
}

bool mg_type_from_node(const cJSON *tn, struct mg_type *out)
{
	const cJSON *names, *it;
	const char *parts[3] = { NULL, NULL, NULL };
	size_t np = 0;

	memset(out, 0, sizeof(*out));
	if (!tn || !cJSON_IsObject(tn))
		return false;
	if (mg_node_get(tn, "TypeName"))
		tn = mg_node_get(tn, "TypeName");
	names = mg_node_get(tn, "names");
	if (!cJSON_IsArray(names))
		return false;
	cJSON_ArrayForEach(it, names) {
		const char *s = mg_node_str(mg_node_get(it, "String"), "sval");
		if (!s)
			continue;
		if (np < 3)
			parts[np++] = s;
		else {
			parts[0] = parts[1];
			parts[1] = parts[2];
			parts[2] = s;
		}
	}
	if (!np)
		return false;
	{
		const char *name = parts[np - 1];
		const char *schema = np >= 2 ? parts[np - 2] : "";
		if (!strcmp(schema, "pg_catalog"))
			schema = "";
		out->serial = !schema[0] && is_serial(name);
		copy_trunc(out->schema, sizeof(out->schema), schema);
		copy_trunc(out->name, sizeof(out->name),
			   schema[0] ? name : mg_type_canonical(name));
	}
	cJSON_ArrayForEach(it, mg_node_get(tn, "typmods")) {
		bool ok;
		int v = const_int(it, &ok);
		if (out->nmods < 2)
			out->mods[out->nmods++] = ok ? v : -1;
	}
	out->array_dims = (int)cJSON_GetArraySize(mg_node_get(tn, "arrayBounds"));
	if (out->array_dims < 0)
		out->array_dims = 0;
	return true;
}

static const char *display_name(const char *canon)
{
	static const struct alias pretty[] = {
		{ "int4", "integer" }, { "int8", "bigint" }, { "int2", "smallint" },
		{ "float4", "real" }, { "float8", "double precision" },
		{ "bool", "boolean" }, { "bpchar", "char" },
	};
	for (size_t i = 0; i < sizeof(pretty) / sizeof(pretty[0]); i++)
		if (!strcmp(pretty[i].written, canon))
			return pretty[i].canonical;
	return canon;
}

char *mg_type_format(const struct mg_type *t, char *buf, size_t size)
{
	size_t n;

	if (!size)
		return buf;
	if (!t->name[0]) {
		snprintf(buf, size, "?");
		return buf;
	}
	if (t->serial) {
		const char *s = !strcmp(t->name, "int8") ? "bigserial" :
				!strcmp(t->name, "int2") ? "smallserial" : "serial";
		snprintf(buf, size, "%s", s);
	} else {
		snprintf(buf, size, "%s%s%s", t->schema, t->schema[0] ? "." : "",
			 t->schema[0] ? t->name : display_name(t->name));
	}
	n = strlen(buf);
	if (t->nmods == 1 && n < size)
		snprintf(buf + n, size - n, "(%d)", t->mods[0]);
	else if (t->nmods == 2 && n < size && strcmp(t->name, "interval"))
		snprintf(buf + n, size - n, "(%d,%d)", t->mods[0], t->mods[1]);
	for (int i = 0; i < t->array_dims && i < 6; i++) {
		n = strlen(buf);
		if (n + 3 > size)
			break;
		snprintf(buf + n, size - n, "[]");
	}
	return buf;
}

bool mg_type_equal(const struct mg_type *a, const struct mg_type *b)
{
	if (strcmp(a->schema, b->schema) || strcmp(a->name, b->name) ||
	    a->nmods != b->nmods || a->array_dims != b->array_dims)
		return false;
	for (int i = 0; i < a->nmods; i++)
		if (a->mods[i] != b->mods[i])
			return false;
	return true;
}

bool mg_type_is_builtin(const struct mg_type *t)
{
	if (t->schema[0] && strcmp(t->schema, "public"))
		return false;
	for (size_t i = 0; builtin_names[i]; i++)
		if (!strcmp(builtin_names[i], t->name))
			return t->schema[0] == '\0' || !strcmp(t->name, "citext");
	return false;
}

static bool is(const struct mg_type *t, const char *name)
{
	return !strcmp(t->name, name);
}

static bool text_like(const struct mg_type *t)
{
	return is(t, "text") || is(t, "varchar") || is(t, "citext");
}

/* A length or precision limit that only grows: binary. */
static enum mg_coerce widen(const struct mg_type *f, const struct mg_type *t,
			    const char **why, const char *ok_why)
{
	if (t->nmods == 0) {
		*why = "the new type has no limit, so every old value fits";
		return MG_COERCE_BINARY;
	}
	if (f->nmods == 0) {
		*why = "adding a limit checks every row and rewrites the table";
		return MG_COERCE_REWRITE;
	}
	if (t->mods[0] >= f->mods[0] && f->mods[0] >= 0) {
		*why = ok_why;
		return MG_COERCE_BINARY;
	}
	*why = "lowering the limit rewrites the table (and fails on longer values)";
	return MG_COERCE_REWRITE;
}

enum mg_coerce mg_type_coerce(const struct mg_type *from, const struct mg_type *to,
			      int pg_version, const char **why)
{
	const char *dummy;

	if (!why)
		why = &dummy;
	*why = "";
	if (!from->name[0] || !to->name[0]) {
		*why = "the old or new type is not known";
		return MG_COERCE_UNKNOWN;
	}
	if (mg_type_equal(from, to)) {
		*why = "the type does not change";
		return MG_COERCE_SAME;
	}
	if (from->array_dims != to->array_dims) {
		*why = "changing between array and scalar rewrites the table";
		return MG_COERCE_REWRITE;
	}
	if (!mg_type_is_builtin(from) || !mg_type_is_builtin(to)) {
		*why = "a user-defined type or domain: assume a table rewrite";
		return MG_COERCE_UNKNOWN;
	}
	if (from->array_dims && (strcmp(from->name, to->name) ||
				 from->nmods != to->nmods)) {
		*why = "arrays are converted element by element: a table rewrite";
		return MG_COERCE_REWRITE;
	}
	if (!strcmp(from->name, to->name)) {
		if (is(from, "varchar") || is(from, "varbit"))
			return widen(from, to, why, "raising the length limit is "
				     "a catalog-only change");
		if (is(from, "numeric")) {
			int fs = from->nmods >= 2 ? from->mods[1] : 0;
			int ts = to->nmods >= 2 ? to->mods[1] : 0;
			if (to->nmods && from->nmods && fs != ts) {
				*why = "changing the scale of a numeric rewrites the table";
				return MG_COERCE_REWRITE;
			}
			return widen(from, to, why, "raising the precision of a "
				     "numeric is a catalog-only change");
		}
		if (is(from, "timestamp") || is(from, "timestamptz") ||
		    is(from, "time") || is(from, "timetz"))
			return widen(from, to, why, "raising the fractional-second "
				     "precision is a catalog-only change");
		if (is(from, "interval")) {
			if (to->nmods == 0) {
				*why = "an unrestricted interval accepts every old value";
				return MG_COERCE_BINARY;
			}
			*why = "changing interval fields or precision rewrites the table";
			return MG_COERCE_REWRITE;
		}
		*why = "changing the type modifier rewrites the table";
		return MG_COERCE_REWRITE;
	}
	/* different types */
	if (is(from, "varchar") && is(to, "text")) {
		*why = "varchar to text is binary-coercible";
		return MG_COERCE_BINARY;
	}
	if (text_like(from) && text_like(to) && !is(to, "varchar")) {
		*why = "text, varchar and citext are binary-coercible";
		return MG_COERCE_BINARY;
	}
	if ((is(from, "text") || is(from, "citext")) && is(to, "varchar")) {
		if (to->nmods == 0) {
			*why = "text to unbounded varchar is binary-coercible";
			return MG_COERCE_BINARY;
		}
		*why = "adding a length limit checks every row and rewrites the table";
		return MG_COERCE_REWRITE;
	}
	if (is(from, "cidr") && is(to, "inet")) {
		*why = "cidr to inet is binary-coercible";
		return MG_COERCE_BINARY;
	}
	if (is(from, "xml") && is(to, "text")) {
		*why = "xml to text is binary-coercible";
		return MG_COERCE_BINARY;
	}
	if (is(from, "bit") && is(to, "varbit"))
		return widen(from, to, why, "bit to a wide-enough bit varying is "
			     "binary-coercible");
	if ((is(from, "timestamp") && is(to, "timestamptz")) ||
	    (is(from, "timestamptz") && is(to, "timestamp"))) {
		if (pg_version >= 12 && (to->nmods == 0 ||
		    (from->nmods && to->mods[0] >= from->mods[0]))) {
			*why = "catalog-only on PostgreSQL 12+ only when the session "
			       "TimeZone is UTC; otherwise the table is rewritten";
			return MG_COERCE_DEPENDS;
		}
		*why = "converting between timestamp and timestamptz rewrites the table";
		return MG_COERCE_REWRITE;
	}
	*why = "the new type needs a conversion of every row: a table rewrite";
	return MG_COERCE_REWRITE;
}
