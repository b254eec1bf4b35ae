/* Unit tests: src/lint/typecoerce and src/lint/volatility. */
#include <stdlib.h>
#include <string.h>

#include "lint/typecoerce.h"
#include "lint/volatility.h"
#include "sql/pgparse.h"
#include "test.h"

/* The type of "CREATE TABLE t (c <decl>)". */
static struct mg_type type_of(const char *decl)
{
	char sql[256];
	struct mg_parse p;
	struct mg_type t;
	const cJSON *cs, *col;

	memset(&t, 0, sizeof(t));
	snprintf(sql, sizeof(sql), "CREATE TABLE t (c %s);", decl);
	mg_pg_parse(sql, 0, strlen(sql), &p);
	if (p.n && p.stmts[0].tree) {
		cs = mg_node_unwrap(p.stmts[0].tree, NULL);
		col = mg_node_get(cJSON_GetArrayItem((cJSON *)mg_node_get(cs, "tableElts"), 0),
				  "ColumnDef");
		mg_type_from_node(mg_node_get(col, "typeName"), &t);
	}
	mg_parse_release(&p);
	return t;
}

static enum mg_coerce co(const char *from, const char *to, int pg)
{
	struct mg_type a = type_of(from), b = type_of(to);
	return mg_type_coerce(&a, &b, pg, NULL);
}

TEST(test_typecoerce__canonical_names)
{
	struct mg_type t;
	char buf[64];

	t = type_of("integer");
	CHECK_STR(t.name, "int4");
	CHECK_STR(mg_type_format(&t, buf, sizeof(buf)), "integer");
	t = type_of("character varying(20)");
	CHECK_STR(t.name, "varchar");
	CHECK_STR(mg_type_format(&t, buf, sizeof(buf)), "varchar(20)");
	t = type_of("numeric(10,2)");
	CHECK_STR(mg_type_format(&t, buf, sizeof(buf)), "numeric(10,2)");
	t = type_of("timestamp with time zone");
	CHECK_STR(t.name, "timestamptz");
	t = type_of("bigserial");
	CHECK(t.serial);
	CHECK_STR(t.name, "int8");
	CHECK_STR(mg_type_format(&t, buf, sizeof(buf)), "bigserial");
	t = type_of("text[]");
	CHECK_INT(t.array_dims, 1);
	CHECK_STR(mg_type_format(&t, buf, sizeof(buf)), "text[]");
	t = type_of("public.mood");
	CHECK_STR(t.schema, "public");
	CHECK_STR(mg_type_format(&t, buf, sizeof(buf)), "public.mood");
	t = type_of("double precision");
	CHECK_STR(mg_type_format(&t, buf, sizeof(buf)), "double precision");
	CHECK_STR(mg_type_canonical("bigint"), "int8");
	CHECK_STR(mg_type_canonical("whatever"), "whatever");
}

TEST(test_typecoerce__binary_coercible_changes)
{
	CHECK_INT(co("varchar(20)", "varchar(50)", 15), MG_COERCE_BINARY);
	CHECK_INT(co("varchar(20)", "varchar", 15), MG_COERCE_BINARY);
	CHECK_INT(co("varchar(20)", "text", 15), MG_COERCE_BINARY);
	CHECK_INT(co("varchar", "text", 15), MG_COERCE_BINARY);
	CHECK_INT(co("text", "varchar", 15), MG_COERCE_BINARY);
	CHECK_INT(co("text", "citext", 15), MG_COERCE_BINARY);
	CHECK_INT(co("numeric(10,2)", "numeric(12,2)", 15), MG_COERCE_BINARY);
	CHECK_INT(co("numeric(10,2)", "numeric", 15), MG_COERCE_BINARY);
	CHECK_INT(co("cidr", "inet", 15), MG_COERCE_BINARY);
	CHECK_INT(co("timestamp(3)", "timestamp(6)", 15), MG_COERCE_BINARY);
	CHECK_INT(co("bit varying(4)", "bit varying(8)", 15), MG_COERCE_BINARY);
	CHECK_INT(co("text", "text", 15), MG_COERCE_SAME);
	CHECK_INT(co("int", "integer", 15), MG_COERCE_SAME);
}

TEST(test_typecoerce__rewrites)
{
	const char *why = NULL;
	struct mg_type a = type_of("varchar(50)"), b = type_of("varchar(20)");

	CHECK_INT(mg_type_coerce(&a, &b, 15, &why), MG_COERCE_REWRITE);
	CHECK_CONTAINS(why, "lowering the limit");
	CHECK_INT(co("text", "varchar(20)", 15), MG_COERCE_REWRITE);
	CHECK_INT(co("int", "bigint", 15), MG_COERCE_REWRITE);
	CHECK_INT(co("bigint", "int", 15), MG_COERCE_REWRITE);
	CHECK_INT(co("numeric(10,2)", "numeric(10,4)", 15), MG_COERCE_REWRITE);
	CHECK_INT(co("numeric", "numeric(10,2)", 15), MG_COERCE_REWRITE);
	CHECK_INT(co("char(10)", "text", 15), MG_COERCE_REWRITE);
	CHECK_INT(co("json", "jsonb", 15), MG_COERCE_REWRITE);
	CHECK_INT(co("text", "text[]", 15), MG_COERCE_REWRITE);
	CHECK_INT(co("inet", "cidr", 15), MG_COERCE_REWRITE);
	CHECK_INT(co("timestamp", "timestamptz", 11), MG_COERCE_REWRITE);
	CHECK_INT(co("timestamp", "timestamptz", 12), MG_COERCE_DEPENDS);
	CHECK_INT(co("mood", "text", 15), MG_COERCE_UNKNOWN);
	CHECK_INT(co("text", "public.mood", 15), MG_COERCE_UNKNOWN);
}

TEST(test_typecoerce__odd_nodes)
{
	struct mg_type t;
	cJSON *j = cJSON_Parse("{\"names\":[1,{\"String\":{}},{\"String\":{\"sval\":\"int4\"}}],"
			       "\"typmods\":[{\"A_Const\":{\"ival\":{}}},7,{}],\"arrayBounds\":3}");

	CHECK(!mg_type_from_node(NULL, &t));
	CHECK(mg_type_from_node(j, &t));
	CHECK_STR(t.name, "int4");
	CHECK_INT(t.nmods, 2);
	CHECK_INT(t.mods[0], 0); /* protobuf JSON omits the zero */
	CHECK_INT(t.mods[1], -1);
	CHECK_INT(t.array_dims, 0);
	cJSON_Delete(j);
	memset(&t, 0, sizeof(t));
	CHECK_INT(mg_type_coerce(&t, &t, 15, NULL), MG_COERCE_UNKNOWN);
}

/* Volatility of the DEFAULT in "CREATE TABLE t (c int DEFAULT <expr>)". */
static struct mg_vol_result vol_of(const char *expr)
{
	char sql[256];
	struct mg_parse p;
	struct mg_vol_result r;
	const cJSON *cs, *col, *con;

	memset(&r, 0, sizeof(r));
	snprintf(sql, sizeof(sql), "CREATE TABLE t (c int DEFAULT %s);", expr);
	mg_pg_parse(sql, 0, strlen(sql), &p);
	cs = mg_node_unwrap(p.stmts[0].tree, NULL);
	col = mg_node_get(cJSON_GetArrayItem((cJSON *)mg_node_get(cs, "tableElts"), 0),
			  "ColumnDef");
	con = mg_node_get(cJSON_GetArrayItem((cJSON *)mg_node_get(col, "constraints"), 0),
			  "Constraint");
	mg_volatility_expr(NULL, mg_node_get(con, "raw_expr"), &r);
	mg_parse_release(&p);
	return r;
}

TEST(test_volatility__defaults)
{
	struct mg_vol_result r;
	bool known;

	CHECK_INT(vol_of("0").vol, MG_VOL_IMMUTABLE);
	CHECK_INT(vol_of("'{}'::jsonb").vol, MG_VOL_IMMUTABLE);
	CHECK_INT(vol_of("ARRAY[]::text[]").vol, MG_VOL_IMMUTABLE);
	CHECK_INT(vol_of("now()").vol, MG_VOL_STABLE);
	CHECK_INT(vol_of("CURRENT_TIMESTAMP").vol, MG_VOL_STABLE);
	CHECK_INT(vol_of("statement_timestamp()").vol, MG_VOL_STABLE);
	CHECK_INT(vol_of("lower('X')").vol, MG_VOL_IMMUTABLE);
	r = vol_of("gen_random_uuid()");
	CHECK_INT(r.vol, MG_VOL_VOLATILE);
	CHECK(!r.unknown);
	CHECK_STR(r.func, "gen_random_uuid");
	CHECK_INT(vol_of("uuid_generate_v4()").vol, MG_VOL_VOLATILE);
	CHECK_INT(vol_of("clock_timestamp()").vol, MG_VOL_VOLATILE);
	CHECK_INT(vol_of("nextval('s'::regclass)").vol, MG_VOL_VOLATILE);
	CHECK_INT(vol_of("(random() * 10)::int").vol, MG_VOL_VOLATILE);
	CHECK_INT(vol_of("pg_catalog.now()").vol, MG_VOL_STABLE);
	r = vol_of("my_func(1)");
	CHECK_INT(r.vol, MG_VOL_VOLATILE);
	CHECK(r.unknown);
	CHECK_STR(r.func, "my_func");
	r = vol_of("app.f()");
	CHECK(r.unknown);
	CHECK_STR(r.func, "app.f");
	CHECK_INT(mg_volatility_builtin(NULL, "NOW", &known), MG_VOL_STABLE);
	CHECK(known);
	CHECK_INT(mg_volatility_builtin("other", "now", &known), MG_VOL_VOLATILE);
	CHECK(!known);
	CHECK_STR(mg_volatility_name(MG_VOL_STABLE), "stable");
}
