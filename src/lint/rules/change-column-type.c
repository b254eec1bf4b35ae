/*
 * change-column-type: ALTER TABLE ... ALTER COLUMN ... TYPE that narrows a
 * column or changes what its values mean, on a table that exists before
 * the migration (docs/rules/change-column-type.md). What the change costs
 * (rewrite, lock) is column-type-rewrite's business.
 *
 * Judged from the old type, known from the replayed history. When it is
 * unknown, the rule cannot tell a widening (varchar(20) -> varchar(50))
 * from a narrowing: it stays quiet when the new type is one that every
 * plausible old type widens into (text, unbounded varchar, bigint,
 * unconstrained numeric, double precision, timestamptz, jsonb, ...) and
 * there is no USING clause, and otherwise reports a warning that says the
 * old type is unknown. A USING clause is a strong hint: PostgreSQL needs
 * one only when no assignment cast exists (text -> bigint, say).
 *
 * Reported:
 *  - narrowing: a lower or new length limit (text -> varchar(n),
 *    varchar(100) -> varchar(50), any char(n) below the old limit), a
 *    smaller integer, numeric precision or scale going down (or a limit on
 *    an unconstrained numeric), numbers losing their fraction or exactness
 *    (numeric -> integer, bigint -> double precision, numeric -> float),
 *    float8 -> float4, lower fractional-second precision, timestamp ->
 *    date or time, inet -> cidr, bit strings getting shorter, text ->
 *    enum, an enum -> varchar(n) shorter than its longest label;
 *  - change of meaning: a different category (text <-> integer, integer
 *    -> boolean, uuid -> text, ...), scalar <-> array, citext -> text
 *    (comparisons become case-sensitive), json -> jsonb (duplicate keys
 *    and key order are lost), timestamp <-> timestamptz unless the script
 *    set TimeZone to UTC first (then the values keep denoting the same
 *    instants), money, varchar -> char(n) (blank padding).
 * Not reported: widening and binary-coercible changes (varchar(n) -> text,
 * larger limits, integer -> bigint, integer -> numeric, date ->
 * timestamp, cidr -> inet, text -> citext, jsonb -> json, an enum -> text),
 * enum -> enum (enum-value-removed judges lost labels), and types the rule
 * does not know (domains, composite and other user types).
 * In a downgrade the change normally undoes its upgrade: an info there.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lint/catalog.h"
#include "lint/rule.h"
#include "lint/typecoerce.h"

static const char *const kinds[] = { "AlterTableStmt", NULL };

#define NAMELEN 64

static bool is(const struct mg_type *t, const char *name)
{
	return !strcmp(t->name, name);
}

/* Type category, PostgreSQL-like: S string, N number, D date/time, T
 * interval, B boolean, J json, I network, V bit string, E enum, M money,
 * or 0 for anything else (then the type name decides). */
static char category(struct mg_lint_ctx *ctx, const struct mg_type *t)
{
	static const struct { const char *name; char cat; } cats[] = {
		{ "text", 'S' }, { "varchar", 'S' }, { "bpchar", 'S' },
		{ "citext", 'S' }, { "name", 'S' }, { "char", 'S' },
		{ "int2", 'N' }, { "int4", 'N' }, { "int8", 'N' },
		{ "numeric", 'N' }, { "float4", 'N' }, { "float8", 'N' },
		{ "date", 'D' }, { "timestamp", 'D' }, { "timestamptz", 'D' },
		{ "time", 'D' }, { "timetz", 'D' }, { "interval", 'T' },
		{ "bool", 'B' }, { "json", 'J' }, { "jsonb", 'J' },
		{ "inet", 'I' }, { "cidr", 'I' }, { "bit", 'V' }, { "varbit", 'V' },
		{ "money", 'M' },
	};
	const struct mg_cat_type *ct;

	if (mg_type_is_builtin(t)) {
		for (size_t i = 0; i < sizeof(cats) / sizeof(cats[0]); i++)
			if (is(t, cats[i].name))
				return cats[i].cat;
		return 0;
	}
	ct = mg_cat_type(mg_lint_catalog(ctx), t->schema, t->name);
	return ct && ct->kind == MG_TYPE_ENUM ? 'E' : '?';
}

/* Length limit of a string or bit type; INT_MAX when unbounded. */
static int limit(const struct mg_type *t)
{
	if (is(t, "bpchar") || is(t, "bit"))
		return t->nmods ? t->mods[0] : 1;
	if (is(t, "name"))
		return 63;
	if (is(t, "char"))
		return 1;
	return t->nmods ? t->mods[0] : INT_MAX;
}

/* Digits before the point a numeric type holds (INT_MAX: unbounded), and
 * digits after it (INT_MAX: any). */
static void digits(const struct mg_type *t, int *whole, int *frac)
{
	*whole = INT_MAX;
	*frac = 0;
	if (is(t, "int2"))
		*whole = 5;
	else if (is(t, "int4"))
		*whole = 10;
	else if (is(t, "int8"))
		*whole = 19;
	else if (is(t, "numeric") && t->nmods) {
		int s = t->nmods >= 2 ? t->mods[1] : 0;
		*whole = t->mods[0] - s;
		*frac = s;
	} else {
		*frac = INT_MAX; /* unconstrained numeric, floats */
	}
}

/* Significant decimal digits a float keeps exactly. */
static int float_digits(const struct mg_type *t)
{
	return is(t, "float4") ? 6 : 15;
}

static bool is_int(const struct mg_type *t)
{
	return is(t, "int2") || is(t, "int4") || is(t, "int8");
}

static int int_rank(const struct mg_type *t)
{
	return is(t, "int2") ? 1 : is(t, "int4") ? 2 : 3;
}

static bool is_float(const struct mg_type *t)
{
	return is(t, "float4") || is(t, "float8");
}

/* Fractional-second precision (6 when unspecified). */
static int precision(const struct mg_type *t)
{
	return t->nmods ? t->mods[0] : 6;
}

static bool session_utc(struct mg_lint_ctx *ctx, size_t upto)
{
	static const char *const utc[] = {
		"utc", "etc/utc", "gmt", "etc/gmt", "uct", "etc/uct", "universal",
		"etc/universal", "zulu", "etc/zulu", "gmt0", "etc/gmt0", "gmt+0",
		"gmt-0", "etc/gmt+0", "etc/gmt-0", "greenwich", "etc/greenwich", NULL
	};
	bool on = false;

	for (size_t j = 0; j < upto; j++) {
		const struct mg_lint_stmt *s = mg_lint_stmt_at(ctx, j);
		const char *name, *kind;
		const cJSON *arg, *v;
		if (!s || !s->kind || strcmp(s->kind, "VariableSetStmt"))
			continue;
		name = mg_node_str(s->node, "name");
		kind = mg_node_str(s->node, "kind");
		if (kind && !strcmp(kind, "VAR_RESET_ALL")) {
			on = false;
			continue;
		}
		if (!name || strcasecmp(name, "timezone"))
			continue;
		on = false;
		if (!kind || strcmp(kind, "VAR_SET_VALUE"))
			continue;
		arg = mg_node_get(mg_lint_at(mg_node_get(s->node, "args"), 0), "A_Const");
		if ((v = mg_node_get(arg, "ival")) && !mg_node_get(v, "ival"))
			on = true;
		if ((v = mg_node_get(arg, "sval")) && mg_node_str(v, "sval"))
			for (size_t k = 0; utc[k]; k++)
				if (!strcasecmp(mg_node_str(v, "sval"), utc[k]))
					on = true;
	}
	return on;
}

/* Longest label of an enum, or -1 if unknown. */
static int longest_label(struct mg_lint_ctx *ctx, const struct mg_type *t)
{
	const struct mg_cat_type *ct = mg_cat_type(mg_lint_catalog(ctx), t->schema, t->name);
	int best = -1;

	for (size_t i = 0; ct && i < ct->nvalues; i++) {
		int n = 0;
		for (const unsigned char *p = (const unsigned char *)ct->values[i]; *p; p++)
			if ((*p & 0xC0) != 0x80)
				n++; /* characters, not bytes */
		if (n > best)
			best = n;
	}
	return best;
}

/*
 * Judge from -> to. Returns NULL when the change is safe, else a short
 * explanation; *narrow tells narrowing from change of meaning.
 */
static const char *judge(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
			 const struct mg_type *from, const struct mg_type *to,
			 bool *narrow, bool *lossy, char *buf, size_t size)
{
	char cf = category(ctx, from), ct = category(ctx, to);

	*narrow = true;
	*lossy = false;
	if (mg_type_equal(from, to))
		return NULL;
	if (from->array_dims != to->array_dims) {
		*narrow = false;
		return to->array_dims ? "single values become arrays" :
					"arrays become single values";
	}
	if (cf == '?' || ct == '?')
		return NULL; /* domains, composites...: not judged */
	if (cf == 'E' || ct == 'E') {
		if (cf == 'E' && ct == 'E')
			return NULL; /* enum-value-removed compares labels */
		if (cf == 'E' && ct == 'S') {
			int longest = longest_label(ctx, from);
			if (is(to, "bpchar") || is(to, "char")) {
				*narrow = false;
				return "labels become blank-padded characters";
			}
			if (longest >= 0 && limit(to) < longest) {
				snprintf(buf, size, "the longest label has %d characters, "
					 "more than %d", longest, limit(to));
				return buf;
			}
			if (longest < 0 && limit(to) != INT_MAX)
				return "labels longer than the new limit no longer fit";
			return NULL; /* every label is valid text */
		}
		if (ct == 'E' && cf == 'S')
			return "only the enum's labels are accepted any more";
		*narrow = false;
		return "enum labels and other values do not convert into each other";
	}
	if (cf != ct) {
		*narrow = false;
		if (cf == 'S')
			return "values that are not valid in the new type make the "
			       "change fail, and the running app version still sends "
			       "and expects text";
		if (ct == 'S')
			return "the running app version reads text where it expects "
			       "the old type";
		return "the running app version reads and writes values of the "
		       "old type";
	}
	switch (cf) {
	case 'S':
		if (is(from, "citext") && !is(to, "citext")) {
			*narrow = false;
			return "comparisons, lookups and unique checks on it become "
			       "case-sensitive";
		}
		if (limit(to) < limit(from)) {
			snprintf(buf, size, "values longer than %d characters no "
				 "longer fit", limit(to));
			return buf;
		}
		if ((is(to, "bpchar") || is(to, "char")) && !is(from, "bpchar") &&
		    !is(from, "char")) {
			*narrow = false;
			return "values are blank-padded and compared ignoring "
			       "trailing spaces";
		}
		return NULL;
	case 'N': {
		int fw, ff, tw, tf;
		if (is(from, "numeric") && !from->nmods && is(to, "numeric"))
			return to->nmods ? "an unconstrained numeric gets a "
					   "precision limit and rounding" : NULL;
		if (is_int(from) && is_int(to))
			return int_rank(to) < int_rank(from) ?
			       "values beyond the smaller integer's range no longer "
			       "fit" : NULL;
		if (is_float(to)) {
			*lossy = true;
			if (is_float(from))
				return is(from, "float8") && is(to, "float4") ?
				       "double precision values are rounded to "
				       "6 significant digits" : NULL;
			digits(from, &fw, &ff);
			if (is(from, "numeric") || fw > float_digits(to)) {
				*narrow = false;
				return "exact values become approximate floating point";
			}
			return NULL;
		}
		*lossy = is_int(to);
		if (is_float(from))
			return is_int(to) ? "fractions are rounded away and large "
					    "values overflow" :
			       to->nmods ? "values beyond the new precision are "
					   "rounded or fail" : NULL;
		digits(from, &fw, &ff);
		digits(to, &tw, &tf);
		if (is_int(to))
			tw--; /* int4 holds every 9-digit number, not every 10-digit one */
		if (tw < fw) {
			snprintf(buf, size, "values with more than %d digits before "
				 "the point no longer fit", tw);
			return buf;
		}
		if (tf < ff) {
			*lossy = true;
			return tf ? "fractional digits beyond the new scale are rounded"
				  : "fractions are rounded away";
		}
		return NULL;
	}
	case 'D':
		if ((is(from, "timestamp") && is(to, "timestamptz")) ||
		    (is(from, "timestamptz") && is(to, "timestamp"))) {
			if (session_utc(ctx, st->index) && precision(to) >= precision(from))
				return NULL;
			*narrow = false;
			return is(to, "timestamptz") ?
			       "existing values are reinterpreted in the migration "
			       "session's time zone, and clients receive "
			       "timestamptz" :
			       "values are converted to the migration session's local "
			       "time and lose their time zone";
		}
		*lossy = true;
		if ((is(from, "timestamp") || is(from, "timestamptz")) && is(to, "date"))
			return "the time of day is cut off";
		if ((is(from, "timestamp") || is(from, "timestamptz")) &&
		    (is(to, "time") || is(to, "timetz")))
			return "the date is cut off";
		if (is(from, "timetz") && is(to, "time")) {
			*narrow = false;
			return "values lose their time zone";
		}
		if (is(from, "date") || is(from, "time"))
			return NULL; /* date -> timestamp, time -> timetz */
		if (!strcmp(from->name, to->name) && precision(to) < precision(from))
			return "fractional seconds are rounded to the lower precision";
		return NULL;
	case 'T':
		*lossy = true;
		return to->nmods && !mg_type_equal(from, to) ?
		       "the interval is restricted to fewer fields or less "
		       "precision" : NULL;
	case 'J':
		if (is(from, "json") && is(to, "jsonb")) {
			*narrow = false;
			return "duplicate keys, key order and whitespace are lost";
		}
		return NULL;
	case 'I':
		return is(from, "inet") && is(to, "cidr") ?
		       "addresses with host bits set no longer fit" : NULL;
	case 'V':
		return limit(to) < limit(from) ? "longer bit strings no longer fit" :
		       NULL;
	case 'B':
	case 'M':
	default:
		if (strcmp(from->name, to->name)) {
			*narrow = false;
			return "values of the old type mean something else in the new one";
		}
		return NULL;
	}
}

/* A new type every plausible old type widens into (no USING needed). */
static bool wide_target(const struct mg_type *t)
{
	static const char *const unbounded[] = {
		"text", "varchar", "citext", "numeric", "timestamptz", "varbit",
		"interval", NULL
	};
	static const char *const wide[] = { "int8", "float8", "jsonb", "inet", NULL };

	if (t->array_dims || !mg_type_is_builtin(t))
		return false;
	for (size_t i = 0; wide[i]; i++)
		if (is(t, wide[i]))
			return true;
	for (size_t i = 0; unbounded[i]; i++)
		if (is(t, unbounded[i]))
			return t->nmods == 0;
	return false;
}

static const char *down_note(const struct mg_lint_ctx *ctx, struct mg_report_opt *o)
{
	if (!mg_lint_is_down(ctx))
		return "";
	o->severity = MG_SEV_INFO;
	return " (in a downgrade: expected when it undoes the matching upgrade)";
}

static void one(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st,
		const struct mg_cat_table *t, const char *shown, const cJSON *cmd,
		size_t i)
{
	const char *col = mg_node_str(cmd, "name");
	const cJSON *def = mg_node_get(mg_node_get(cmd, "def"), "ColumnDef");
	const struct mg_cat_column *c = mg_cat_column(t, col);
	struct mg_type from, to;
	char froms[128], tos[128], buf[160];
	const char *why;
	bool narrow, lossy;
	struct mg_report_opt o = { 0 };
	size_t off, end;

	if (!col || !mg_type_from_node(mg_node_get(def, "typeName"), &to))
		return;
	if (mg_lint_column_origin(ctx, t, c) == MG_ORIGIN_NEW)
		return;
	if (!c || !c->type.name[0]) {
		/* old type unknown: see the header */
		const cJSON *using_ = mg_node_get(def, "raw_default");
		if (!using_ && wide_target(&to))
			return;
		mg_type_format(&to, tos, sizeof(tos));
		mg_lint_cmd_span(ctx, st, i, &off, &end);
		o.severity = MG_SEV_WARNING;
		mg_lint_report_opt(ctx, &o, off, end - off,
				   "column \"%s\" of \"%s\" changes to %s%s, and its "
				   "current type is not known from earlier migrations: "
				   "check that this does not narrow it or change what "
				   "its values mean for the running app version%s",
				   col, shown, tos, using_ ? " with a USING conversion "
				   "(needed only when no assignment cast exists, as "
				   "between text and numbers)" : "", down_note(ctx, &o));
		return;
	}
	from = c->type;
	from.serial = false;
	to.serial = false;
	why = judge(ctx, st, &from, &to, &narrow, &lossy, buf, sizeof(buf));
	if (!why)
		return;
	mg_type_format(&from, froms, sizeof(froms));
	mg_type_format(&to, tos, sizeof(tos));
	mg_lint_cmd_span(ctx, st, i, &off, &end);
	if (narrow && lossy)
		mg_lint_report_opt(ctx, &o, off, end - off,
				   "column \"%s\" of \"%s\" narrows from %s to %s: %s, "
				   "silently, in existing rows and in what the running app "
				   "version writes%s", col, shown, froms, tos, why,
				   down_note(ctx, &o));
	else if (narrow)
		mg_lint_report_opt(ctx, &o, off, end - off,
				   "column \"%s\" of \"%s\" narrows from %s to %s: %s; "
				   "the running app version can still write such "
				   "values, and the change fails if a row already holds "
				   "one%s",
				   col, shown, froms, tos, why, down_note(ctx, &o));
	else
		mg_lint_report_opt(ctx, &o, off, end - off,
				   "column \"%s\" of \"%s\" changes from %s to %s: %s%s",
				   col, shown, froms, tos, why, down_note(ctx, &o));
}

/* Token level: CREATE [TEMP|UNLOGGED] TABLE [IF NOT EXISTS] name. */
static bool tokens_create(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *s,
			  const char *schema, const char *name)
{
	size_t n, i = 1;
	const struct mg_token *t = mg_lint_tokens(ctx, s, &n);
	const char *text = mg_lint_text(ctx);
	char a[64] = "", b[64] = "";

	if (!mg_lint_tok_match(ctx, s, 0, "CREATE", NULL))
		return false;
	while (i < n && (mg_lint_tok_match(ctx, s, i, "TEMP", NULL) ||
			 mg_lint_tok_match(ctx, s, i, "TEMPORARY", NULL) ||
			 mg_lint_tok_match(ctx, s, i, "UNLOGGED", NULL)))
		i++;
	if (!mg_lint_tok_match(ctx, s, i, "TABLE", NULL))
		return false;
	i++;
	if (mg_lint_tok_match(ctx, s, i, "IF", "NOT", "EXISTS", NULL))
		i += 3;
	if (i >= n)
		return false;
	if (i + 2 < n && text[t[i + 1].off] == '.') {
		mg_lint_tok_ident(ctx, &t[i], a, sizeof(a));
		mg_lint_tok_ident(ctx, &t[i + 2], b, sizeof(b));
	} else {
		mg_lint_tok_ident(ctx, &t[i], b, sizeof(b));
	}
	return !strcmp(b, name) &&
	       !strcmp(a[0] ? a : "public", schema && schema[0] ? schema : "public");
}

/* Created earlier in this script by a CREATE TABLE the grammar could not
 * parse (newer PostgreSQL syntax, SQLite's AUTOINCREMENT): the catalog
 * does not know it, but it is just as new. */
static bool created_unparsed(struct mg_lint_ctx *ctx, size_t upto,
			     const char *schema, const char *name)
{
	for (size_t j = 0; j < upto && name; j++) {
		const struct mg_lint_stmt *s = mg_lint_stmt_at(ctx, j);
		if (s && !s->kind && tokens_create(ctx, s, schema, name))
			return true;
	}
	return false;
}

static void check(struct mg_lint_ctx *ctx, const struct mg_lint_stmt *st)
{
	const cJSON *rel = mg_node_get(st->node, "relation");
	const char *ot = mg_node_str(st->node, "objtype");
	const struct mg_cat_table *t = mg_lint_table(ctx, rel);
	char shown[2 * NAMELEN + 2];
	size_t i = 0;
	const cJSON *it;

	if (ot && strcmp(ot, "OBJECT_TABLE") && strcmp(ot, "OBJECT_FOREIGN_TABLE"))
		return;
	if (mg_lint_table_origin(ctx, t) == MG_ORIGIN_NEW || (t && t->temp))
		return;
	if ((!t || t->stub) && created_unparsed(ctx, st->index, mg_node_str(rel, "schemaname"),
				   mg_node_str(rel, "relname")))
		return;
	mg_lint_rv_name(rel, shown, sizeof(shown));
	cJSON_ArrayForEach(it, mg_node_get(st->node, "cmds")) {
		const cJSON *cmd = mg_node_get(it, "AlterTableCmd");
		const char *sub = mg_node_str(cmd, "subtype");
		if (sub && !strcmp(sub, "AT_AlterColumnType"))
			one(ctx, st, t, shown, cmd, i);
		i++;
	}
}

const struct mg_rule mg_rule_change_column_type = {
	.id = "change-column-type",
	.default_severity = MG_SEV_ERROR,
	.dialects = MG_LINT_POSTGRES,
	.kinds = kinds,
	.check = check,
};
