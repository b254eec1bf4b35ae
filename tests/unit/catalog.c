/* Unit tests: src/lint/catalog (offline schema replay). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint/catalog.h"
#include "sql/pgparse.h"
#include "test.h"

/* Apply every statement of sql to cat (one script). */
static void replay(struct mg_catalog *cat, const char *sql)
{
	struct mg_parse p;

	mg_catalog_begin_script(cat);
	mg_pg_parse(sql, 0, strlen(sql), &p);
	for (size_t i = 0; i < p.n; i++)
		if (p.stmts[i].tree)
			mg_catalog_apply(cat, p.stmts[i].kind,
					 mg_node_unwrap(p.stmts[i].tree, NULL));
	mg_parse_release(&p);
}

/* mg_cat_table_index_next agrees with the dump: each table yields exactly
 * the indexes whose "on=" names it (in its schema), each once. */
static bool indexes_agree(const struct mg_catalog *cat)
{
	char *dump = mg_catalog_dump(cat), *lines = strdup(dump), *save = NULL;
	size_t want = 0, got = 0;
	bool ok = true;

	for (char *l = strtok_r(lines, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char sch[128], name[128], on[128], pat[512];
		int kind;
		if (sscanf(l, "index %127[^.].%127[^ ] on=%127[^ ]", sch, name, on) == 3) {
			want += mg_cat_table(cat, sch, on) != NULL;
		} else if (sscanf(l, "table %127[^.].%127[^ ] kind=%d", sch, name, &kind) == 3) {
			const struct mg_cat_table *t = mg_cat_table(cat, sch, name);
			const struct mg_cat_index *x;
			size_t pos = 0;
			while (t && (x = mg_cat_table_index_next(cat, t, &pos))) {
				snprintf(pat, sizeof pat, "index %s.%s on=%s cols=", sch,
					 x->name, name);
				ok = ok && !strcmp(x->schema, sch) && !strcmp(x->table, name) &&
				     strstr(dump, pat) && mg_cat_index(cat, sch, x->name) == x;
				got++;
			}
		}
	}
	free(lines);
	free(dump);
	return ok && got == want;
}

TEST(test_catalog__create_table_columns_and_constraints)
{
	struct mg_catalog *cat = mg_catalog_new();
	const struct mg_cat_table *t;
	const struct mg_cat_column *c;
	const struct mg_cat_constraint *k;
	const struct mg_cat_index *x;

	replay(cat, "CREATE TABLE users (id bigint GENERATED ALWAYS AS IDENTITY "
		    "PRIMARY KEY, email varchar(200) NOT NULL UNIQUE, name text "
		    "DEFAULT 'x', token uuid DEFAULT gen_random_uuid(), org_id int "
		    "REFERENCES orgs (id), CONSTRAINT users_name_check CHECK "
		    "(name <> ''));");
	t = mg_cat_table(cat, NULL, "users");
	CHECK(t != NULL);
	CHECK(t == mg_cat_table(cat, "public", "users"));
	CHECK_INT(t->kind, MG_REL_TABLE);
	CHECK_INT(t->ncols, 5);
	CHECK_INT(t->gen, 1);
	c = mg_cat_column(t, "id");
	CHECK(c && c->not_null && c->identity);
	CHECK_STR(c->type.name, "int8");
	c = mg_cat_column(t, "email");
	CHECK(c && c->not_null && !c->has_default);
	CHECK_STR(c->type.name, "varchar");
	CHECK_INT(c->type.nmods, 1);
	CHECK_INT(c->type.mods[0], 200);
	c = mg_cat_column(t, "name");
	CHECK(c && !c->not_null && c->has_default && !c->default_volatile);
	c = mg_cat_column(t, "token");
	CHECK(c && c->has_default && c->default_volatile);
	k = mg_cat_constraint(t, "users_pkey");
	CHECK(k && k->type == MG_CON_PRIMARY && k->valid);
	CHECK_STR(k->index, "users_pkey");
	k = mg_cat_constraint(t, "users_email_key");
	CHECK(k && k->type == MG_CON_UNIQUE);
	k = mg_cat_constraint(t, "users_org_id_fkey");
	CHECK(k && k->type == MG_CON_FOREIGN);
	CHECK_STR(k->ref_table, "orgs");
	CHECK_STR(k->ref_schema, "public");
	CHECK(mg_cat_constraint(t, "users_name_check") != NULL);
	x = mg_cat_index(cat, NULL, "users_pkey");
	CHECK(x && x->primary && x->unique);
	CHECK_STR(x->table, "users");
	CHECK(mg_cat_index_leading(cat, t, "email") != NULL);
	CHECK(mg_cat_index_leading(cat, t, "name") == NULL);
	mg_catalog_free(cat);
}

TEST(test_catalog__not_null_check_validity)
{
	struct mg_catalog *cat = mg_catalog_new();
	const struct mg_cat_table *t;
	const struct mg_cat_constraint *k;

	replay(cat, "CREATE TABLE t (a int, b int);");
	replay(cat, "ALTER TABLE t ADD CONSTRAINT t_a_nn CHECK (a IS NOT NULL) NOT VALID;");
	t = mg_cat_table(cat, NULL, "t");
	k = mg_cat_constraint(t, "t_a_nn");
	CHECK(k && k->type == MG_CON_CHECK && !k->valid);
	CHECK_STR(k->notnull_column, "a");
	CHECK(mg_cat_notnull_check(t, "a") == NULL); /* not valid yet */
	replay(cat, "ALTER TABLE t VALIDATE CONSTRAINT t_a_nn;");
	t = mg_cat_table(cat, NULL, "t");
	CHECK(mg_cat_notnull_check(t, "a") != NULL);
	CHECK(mg_cat_notnull_check(t, "b") == NULL);
	/* a compound CHECK is not a per-column NOT NULL proof */
	replay(cat, "ALTER TABLE t ADD CHECK (b IS NOT NULL AND b > 0);");
	t = mg_cat_table(cat, NULL, "t");
	CHECK(mg_cat_notnull_check(t, "b") == NULL);
	CHECK(mg_cat_constraint(t, "t_b_check") != NULL);
	replay(cat, "ALTER TABLE t ALTER COLUMN a SET NOT NULL, DROP CONSTRAINT t_a_nn;");
	t = mg_cat_table(cat, NULL, "t");
	CHECK(mg_cat_column(t, "a")->not_null);
	CHECK(mg_cat_constraint(t, "t_a_nn") == NULL);
	mg_catalog_free(cat);
}

TEST(test_catalog__alter_columns)
{
	struct mg_catalog *cat = mg_catalog_new();
	const struct mg_cat_table *t;
	const struct mg_cat_column *c;

	replay(cat, "CREATE TABLE t (a varchar(10), b int NOT NULL DEFAULT 1);"
		    "CREATE INDEX t_a_idx ON t (a);");
	replay(cat, "ALTER TABLE t ADD COLUMN c int NOT NULL DEFAULT 0, "
		    "ALTER COLUMN a TYPE text, ALTER COLUMN b DROP NOT NULL, "
		    "ALTER COLUMN b DROP DEFAULT;");
	t = mg_cat_table(cat, NULL, "t");
	CHECK_INT(t->ncols, 3);
	c = mg_cat_column(t, "c");
	CHECK(c && c->not_null && c->has_default);
	CHECK_INT(c->gen, 2);
	CHECK_STR(mg_cat_column(t, "a")->type.name, "text");
	CHECK(!mg_cat_column(t, "b")->not_null && !mg_cat_column(t, "b")->has_default);
	replay(cat, "ALTER TABLE t RENAME COLUMN a TO aa;");
	t = mg_cat_table(cat, NULL, "t");
	CHECK(mg_cat_column(t, "a") == NULL && mg_cat_column(t, "aa") != NULL);
	CHECK_STR(mg_cat_index(cat, NULL, "t_a_idx")->columns[0], "aa");
	replay(cat, "ALTER TABLE t DROP COLUMN aa;");
	t = mg_cat_table(cat, NULL, "t");
	CHECK(mg_cat_column(t, "aa") == NULL);
	CHECK(mg_cat_index(cat, NULL, "t_a_idx") == NULL); /* went with it */
	/* IF NOT EXISTS keeps the old definition */
	replay(cat, "ALTER TABLE t ADD COLUMN IF NOT EXISTS c text;");
	CHECK_STR(mg_cat_column(mg_cat_table(cat, NULL, "t"), "c")->type.name, "int4");
	mg_catalog_free(cat);
}

TEST(test_catalog__renames_schemas_and_drops)
{
	struct mg_catalog *cat = mg_catalog_new();
	const struct mg_cat_table *t;

	replay(cat, "CREATE SCHEMA billing; CREATE TABLE billing.invoices (id int "
		    "PRIMARY KEY, n int); CREATE TABLE invoices (x int);"
		    "CREATE TABLE lines (inv int REFERENCES billing.invoices (id));");
	CHECK(mg_cat_schema_exists(cat, "billing"));
	CHECK(mg_cat_table(cat, "billing", "invoices") != NULL);
	CHECK(mg_cat_table(cat, NULL, "invoices") != NULL);
	CHECK(mg_cat_table(cat, "billing", "invoices") != mg_cat_table(cat, NULL, "invoices"));
	replay(cat, "ALTER TABLE billing.invoices RENAME TO bills;");
	CHECK(mg_cat_table(cat, "billing", "invoices") == NULL);
	t = mg_cat_table(cat, "billing", "bills");
	CHECK(t != NULL);
	CHECK_STR(mg_cat_index(cat, "billing", "invoices_pkey")->table, "bills");
	CHECK_STR(mg_cat_constraint(mg_cat_table(cat, NULL, "lines"),
				    "lines_inv_fkey")->ref_table, "bills");
	replay(cat, "ALTER TABLE billing.bills RENAME CONSTRAINT invoices_pkey TO bills_pkey;");
	t = mg_cat_table(cat, "billing", "bills");
	CHECK(mg_cat_constraint(t, "bills_pkey") != NULL);
	CHECK(mg_cat_index(cat, "billing", "bills_pkey") != NULL);
	CHECK(mg_cat_index(cat, "billing", "invoices_pkey") == NULL);
	replay(cat, "ALTER TABLE billing.bills SET SCHEMA public;");
	CHECK(mg_cat_table(cat, "public", "bills") != NULL);
	CHECK(mg_cat_index(cat, NULL, "bills_pkey") != NULL);
	replay(cat, "ALTER SCHEMA billing RENAME TO money; CREATE TABLE money.x (a int);");
	CHECK(mg_cat_schema_exists(cat, "money") && !mg_cat_schema_exists(cat, "billing"));
	replay(cat, "DROP SCHEMA money CASCADE; DROP TABLE IF EXISTS invoices, nope;");
	CHECK(mg_cat_table(cat, "money", "x") == NULL);
	CHECK(mg_cat_table(cat, NULL, "invoices") == NULL);
	replay(cat, "DROP TABLE bills;");
	CHECK(mg_cat_index(cat, NULL, "bills_pkey") == NULL);
	CHECK_INT(mg_cat_ntables(cat), 1); /* lines */
	mg_catalog_free(cat);
}

TEST(test_catalog__enums_and_types)
{
	struct mg_catalog *cat = mg_catalog_new();
	const struct mg_cat_type *ty;

	replay(cat, "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');"
		    "CREATE TABLE p (m mood);");
	replay(cat, "ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok';"
		    "ALTER TYPE mood ADD VALUE 'ecstatic' AFTER 'happy';"
		    "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'sad';"
		    "ALTER TYPE mood ADD VALUE 'last';"
		    "ALTER TYPE mood RENAME VALUE 'ok' TO 'fine';");
	ty = mg_cat_type(cat, NULL, "mood");
	CHECK(ty && ty->kind == MG_TYPE_ENUM);
	CHECK_INT(ty->nvalues, 6);
	CHECK_STR(ty->values[0], "sad");
	CHECK_STR(ty->values[1], "meh");
	CHECK_STR(ty->values[2], "fine");
	CHECK_STR(ty->values[4], "ecstatic");
	CHECK_STR(ty->values[5], "last");
	CHECK_INT(mg_cat_enum_pos(ty, "happy"), 3);
	CHECK_INT(mg_cat_enum_pos(ty, "ok"), -1);
	replay(cat, "ALTER TYPE mood RENAME TO mood_old;");
	CHECK(mg_cat_type(cat, NULL, "mood") == NULL);
	CHECK(mg_cat_type(cat, NULL, "mood_old") != NULL);
	CHECK_STR(mg_cat_column(mg_cat_table(cat, NULL, "p"), "m")->type.name, "mood_old");
	replay(cat, "CREATE DOMAIN email AS text; DROP TYPE mood_old;");
	CHECK(mg_cat_type(cat, NULL, "mood_old") == NULL);
	CHECK(mg_cat_type(cat, NULL, "email")->kind == MG_TYPE_DOMAIN);
	mg_catalog_free(cat);
}

TEST(test_catalog__functions_views_sequences_serial)
{
	struct mg_catalog *cat = mg_catalog_new();
	const struct mg_cat_table *t;

	replay(cat, "CREATE FUNCTION f() RETURNS int LANGUAGE sql IMMUTABLE AS $$select 1$$;"
		    "CREATE FUNCTION s.g() RETURNS int LANGUAGE sql AS $$select 1$$;"
		    "CREATE TABLE o (id serial, v int DEFAULT f());"
		    "CREATE VIEW ov AS SELECT id FROM o;"
		    "CREATE MATERIALIZED VIEW om AS SELECT id, v AS value FROM o;"
		    "CREATE SEQUENCE counter;"
		    "CREATE TABLE o2 (LIKE o);"
		    "CREATE TABLE o3 AS SELECT 1 AS one;");
	CHECK_INT(mg_cat_func(cat, NULL, "f")->vol, MG_VOL_IMMUTABLE);
	CHECK_INT(mg_cat_func(cat, "s", "g")->vol, MG_VOL_VOLATILE);
	t = mg_cat_table(cat, NULL, "o");
	CHECK(mg_cat_column(t, "id")->type.serial && mg_cat_column(t, "id")->not_null);
	CHECK(mg_cat_column(t, "id")->default_volatile);
	CHECK(!mg_cat_column(t, "v")->default_volatile); /* f() is immutable */
	CHECK_INT(mg_cat_table(cat, NULL, "o_id_seq")->kind, MG_REL_SEQUENCE);
	CHECK_INT(mg_cat_table(cat, NULL, "ov")->kind, MG_REL_VIEW);
	CHECK_INT(mg_cat_table(cat, NULL, "om")->kind, MG_REL_MATVIEW);
	CHECK(mg_cat_column(mg_cat_table(cat, NULL, "om"), "value") != NULL);
	CHECK_INT(mg_cat_table(cat, NULL, "counter")->kind, MG_REL_SEQUENCE);
	CHECK_INT(mg_cat_table(cat, NULL, "o2")->ncols, 2);
	CHECK(mg_cat_column(mg_cat_table(cat, NULL, "o3"), "one") != NULL);
	replay(cat, "DROP FUNCTION f(); DROP VIEW ov; DROP SEQUENCE counter;");
	CHECK(mg_cat_func(cat, NULL, "f") == NULL);
	CHECK(mg_cat_table(cat, NULL, "ov") == NULL);
	CHECK(mg_cat_table(cat, NULL, "counter") == NULL);
	mg_catalog_free(cat);
}

TEST(test_catalog__stub_tables_and_generations)
{
	struct mg_catalog *cat = mg_catalog_new();
	const struct mg_cat_table *t;
	unsigned g;

	replay(cat, "ALTER TABLE outside ADD COLUMN note text;");
	t = mg_cat_table(cat, NULL, "outside");
	CHECK(t && t->stub);
	CHECK_INT(t->gen, 0);
	CHECK_INT(mg_cat_column(t, "note")->gen, 1);
	g = mg_catalog_gen(cat);
	CHECK_INT(g, 1);
	replay(cat, "CREATE TABLE later (a int); CREATE TABLE IF NOT EXISTS outside (z int);");
	CHECK_INT(mg_cat_table(cat, NULL, "later")->gen, 2);
	CHECK(mg_cat_table(cat, NULL, "outside")->stub); /* IF NOT EXISTS: kept */
	replay(cat, "CREATE SCHEMA app CREATE TABLE inner_t (a int);");
	CHECK(mg_cat_table(cat, "app", "inner_t") != NULL);
	mg_catalog_free(cat);
}

TEST(test_catalog__clone_is_independent)
{
	struct mg_catalog *cat = mg_catalog_new(), *copy;

	replay(cat, "CREATE TABLE t (a int PRIMARY KEY); CREATE TYPE e AS ENUM ('x');");
	copy = mg_catalog_clone(cat);
	replay(copy, "DROP TABLE t; ALTER TYPE e ADD VALUE 'y'; CREATE TABLE u (b int);");
	CHECK(mg_cat_table(cat, NULL, "t") != NULL);
	CHECK(mg_cat_index(cat, NULL, "t_pkey") != NULL);
	CHECK(mg_cat_table(cat, NULL, "u") == NULL);
	CHECK_INT(mg_cat_type(cat, NULL, "e")->nvalues, 1);
	CHECK(mg_cat_table(copy, NULL, "t") == NULL);
	CHECK_INT(mg_cat_type(copy, NULL, "e")->nvalues, 2);
	CHECK_INT(mg_catalog_gen(copy), mg_catalog_gen(cat) + 1);
	mg_catalog_free(copy);
	mg_catalog_free(cat);
}

TEST(test_catalog__many_tables_and_odd_input)
{
	struct mg_catalog *cat = mg_catalog_new();
	char sql[64];
	cJSON *junk;

	mg_catalog_begin_script(cat);
	for (int i = 0; i < 3000; i++) {
		struct mg_parse p;
		snprintf(sql, sizeof(sql), "CREATE TABLE t%d (a int);", i);
		mg_pg_parse(sql, 0, strlen(sql), &p);
		mg_catalog_apply(cat, p.stmts[0].kind, mg_node_unwrap(p.stmts[0].tree, NULL));
		mg_parse_release(&p);
	}
	CHECK_INT(mg_cat_ntables(cat), 3000);
	CHECK(mg_cat_table(cat, NULL, "t2999") != NULL);
	replay(cat, "DROP TABLE t0, t1500;");
	CHECK_INT(mg_cat_ntables(cat), 2998);
	CHECK(mg_cat_table(cat, NULL, "t2999") != NULL);
	CHECK(mg_cat_table(cat, NULL, "t1500") == NULL);
	/* odd shapes never crash */
	junk = cJSON_Parse("{\"relation\":5,\"cmds\":[1,{\"AlterTableCmd\":[]},"
			   "{\"AlterTableCmd\":{\"subtype\":7}}],\"tableElts\":\"x\","
			   "\"objects\":[[],{\"List\":3}],\"removeType\":\"OBJECT_TABLE\"}");
	mg_catalog_apply(cat, "AlterTableStmt", junk);
	mg_catalog_apply(cat, "CreateStmt", junk);
	mg_catalog_apply(cat, "DropStmt", junk);
	mg_catalog_apply(cat, "RenameStmt", junk);
	mg_catalog_apply(cat, "IndexStmt", junk);
	mg_catalog_apply(cat, "AlterEnumStmt", junk);
	mg_catalog_apply(cat, NULL, junk);
	mg_catalog_apply(cat, "CreateStmt", NULL);
	cJSON_Delete(junk);
	CHECK_INT(mg_cat_ntables(cat), 2998);
	mg_catalog_free(cat);
}

/* A savepoint + rollback leaves exactly the state before, and the state
 * under the savepoint equals that of a deep copy given the same changes. */
TEST(test_catalog__savepoint_rollback_matches_clone)
{
	static const char *const downs[] = {
		"DROP TABLE users; DROP TYPE mood; DROP FUNCTION f();",
		"ALTER TABLE users RENAME TO people; ALTER TABLE people RENAME COLUMN email TO mail;"
		"ALTER TABLE people RENAME CONSTRAINT users_pkey TO people_pkey;",
		"ALTER INDEX users_email_idx RENAME TO ue; ALTER TABLE users DROP COLUMN email;",
		"ALTER TYPE mood RENAME TO feeling; ALTER TYPE feeling ADD VALUE 'meh';"
		"ALTER TYPE feeling RENAME VALUE 'ok' TO 'fine';",
		"ALTER SCHEMA billing RENAME TO money; ALTER TABLE users SET SCHEMA money;",
		"DROP SCHEMA billing CASCADE; DROP SCHEMA public CASCADE;",
		"CREATE TABLE fresh (a serial PRIMARY KEY); CREATE INDEX fi ON fresh (a);"
		"CREATE TYPE t2 AS ENUM ('x'); CREATE FUNCTION g() RETURNS int LANGUAGE sql "
		"AS $$select 1$$; CREATE SCHEMA s2; CREATE VIEW v2 AS SELECT 1;",
		"ALTER TABLE users ADD COLUMN n int NOT NULL DEFAULT 0, ALTER COLUMN email "
		"TYPE varchar(300), ADD CONSTRAINT c CHECK (n IS NOT NULL) NOT VALID,"
		"DROP CONSTRAINT users_org_fkey; ALTER TABLE users VALIDATE CONSTRAINT c;"
		"CREATE TABLE users (replaced int);",
		"ALTER TABLE orgs RENAME TO organisations; DROP INDEX users_email_idx;"
		"ALTER TABLE billing.inv SET SCHEMA public; CREATE TABLE billing.inv (b int);",
		NULL
	};
	struct mg_catalog *cat = mg_catalog_new();

	replay(cat, "CREATE SCHEMA billing; CREATE TABLE orgs (id int PRIMARY KEY);"
		    "CREATE TABLE users (id bigint PRIMARY KEY, email varchar(200),"
		    " org int CONSTRAINT users_org_fkey REFERENCES orgs (id));"
		    "CREATE INDEX users_email_idx ON users (email);"
		    "CREATE TYPE mood AS ENUM ('sad', 'ok');"
		    "CREATE FUNCTION f() RETURNS int LANGUAGE sql IMMUTABLE AS $$select 1$$;"
		    "CREATE TABLE billing.inv (id int PRIMARY KEY, u bigint REFERENCES users (id));"
		    "CREATE SEQUENCE billing.s;");
	for (size_t i = 0; downs[i]; i++) {
		char *before = mg_catalog_dump(cat), *after, *in_copy, *in_journal;
		struct mg_catalog *copy = mg_catalog_clone(cat);

		CHECK(indexes_agree(copy));
		replay(copy, downs[i]);
		in_copy = mg_catalog_dump(copy);
		mg_catalog_savepoint(cat);
		replay(cat, downs[i]);
		in_journal = mg_catalog_dump(cat);
		if (!indexes_agree(copy) || !indexes_agree(cat))
			mg_test_fail(__FILE__, __LINE__, "script %zu: a table's "
				     "indexes differ", i);
		mg_catalog_rollback(cat);
		if (!indexes_agree(cat))
			mg_test_fail(__FILE__, __LINE__, "script %zu: a table's "
				     "indexes differ after the rollback", i);
		after = mg_catalog_dump(cat);
		if (strcmp(before, after) || strcmp(in_copy, in_journal))
			mg_test_fail(__FILE__, __LINE__, "script %zu: %s differs", i,
				     strcmp(before, after) ? "the rolled-back state" :
				     "the state under the savepoint");
		free(before);
		free(after);
		free(in_copy);
		free(in_journal);
		mg_catalog_free(copy);
	}
	/* a savepoint left open is released with the catalog */
	mg_catalog_savepoint(cat);
	replay(cat, downs[0]);
	mg_catalog_free(cat);
}

/* Each table's indexes (mg_cat_table_index_next) follow every change that
 * moves, renames or drops indexes or their tables. */
TEST(test_catalog__table_indexes_follow_changes)
{
	static const char *const steps[] = {
		"CREATE TABLE a (x int PRIMARY KEY, y int, z int UNIQUE);"
		"CREATE INDEX a_y ON a (y); CREATE INDEX a_yz ON a (y, z);"
		"CREATE TABLE b (x int); CREATE INDEX b_x ON b (x);",
		"ALTER TABLE a RENAME TO a2;",
		"ALTER INDEX a_y RENAME TO a2_y; ALTER TABLE a2 RENAME COLUMN y TO w;",
		"CREATE SCHEMA s; ALTER TABLE a2 SET SCHEMA s;",
		"ALTER TABLE s.a2 DROP COLUMN z;",
		"ALTER SCHEMA s RENAME TO t;",
		"CREATE UNIQUE INDEX b_u ON b (x); ALTER TABLE b ADD CONSTRAINT b_pk "
		"PRIMARY KEY USING INDEX b_u;",
		"DROP INDEX b_x; ALTER TABLE b RENAME TO a;",
		"CREATE TABLE b (x int); CREATE INDEX b_x ON b (x); DROP TABLE a;",
		"DROP SCHEMA t CASCADE;",
		"CREATE TABLE b (y int);", /* replaced: b_x stays, by name */
		NULL
	};
	struct mg_catalog *cat = mg_catalog_new();
	const struct mg_cat_table *t;
	const struct mg_cat_index *x;
	char sql[128];
	size_t pos = 0, n = 0;

	for (size_t i = 0; steps[i]; i++) {
		replay(cat, steps[i]);
		if (!indexes_agree(cat))
			mg_test_fail(__FILE__, __LINE__, "step %zu", i);
	}
	t = mg_cat_table(cat, NULL, "b");
	CHECK(t != NULL);
	CHECK((x = mg_cat_table_index_next(cat, t, &pos)) != NULL);
	CHECK_STR(x->name, "b_x");
	CHECK(mg_cat_table_index_next(cat, t, &pos) == NULL);
	/* a table with many indexes among many others, the map growing and
	 * shrinking while they come and go; under a savepoint, then rolled back */
	for (int i = 0; i < 300; i++) {
		snprintf(sql, sizeof sql, "CREATE TABLE t%d (c int); CREATE INDEX "
			 "t%d_c ON t%d (c); CREATE INDEX wide_%d ON b (y);", i, i, i, i);
		replay(cat, sql);
	}
	CHECK(indexes_agree(cat));
	mg_catalog_savepoint(cat);
	for (int i = 0; i < 300; i += 2) {
		snprintf(sql, sizeof sql, "DROP INDEX wide_%d; ALTER TABLE t%d RENAME "
			 "TO u%d;", i, i, i);
		replay(cat, sql);
	}
	replay(cat, "ALTER TABLE b DROP COLUMN y;");
	CHECK(indexes_agree(cat));
	pos = 0; /* the wide_* indexes went with y */
	x = mg_cat_table_index_next(cat, mg_cat_table(cat, NULL, "b"), &pos);
	CHECK(x != NULL);
	CHECK_STR(x->name, "b_x");
	CHECK(mg_cat_table_index_next(cat, mg_cat_table(cat, NULL, "b"), &pos) == NULL);
	mg_catalog_rollback(cat);
	CHECK(indexes_agree(cat));
	t = mg_cat_table(cat, NULL, "b");
	for (pos = 0; mg_cat_table_index_next(cat, t, &pos);)
		n++;
	CHECK_INT(n, 301);
	{
		struct mg_catalog *copy = mg_catalog_clone(cat);
		CHECK(indexes_agree(copy));
		mg_catalog_free(copy);
	}
	mg_catalog_free(cat);
}
