#!/usr/bin/env bash
# PostgreSQL 15: up / status / down round trips in every layout (schema
# compared with pg_dump --schema-only), a failing migration that leaves
# schema and ledger exactly as before, syntax errors positioned before
# anything runs, the ledger in its own schema, and a dbmate ledger adopted.
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib/common.sh"
source "$here/run_helpers.bash"
t_begin pg_run_layouts
t_pg_setup

# One database for the four round trips: each ends with everything rolled
# back and an empty ledger, which the next one starts from.
rt_url=$(t_pg_new_db layouts)
rt_empty=$(pg_schema "$rt_url")

round_trip() {
	local layout=$1 m=$2 url=$rt_url empty=$rt_empty full
	expect_exit 0 M up --dir "$m" --database-url "$url"
	expect_contains "$OUT" "migrate: 3 migrations applied"
	expect_eq "applied|f|3" "$(pg_q "$url" "SELECT state, dirty, count(*) FROM schema_migrations GROUP BY 1, 2")" "$layout: ledger"
	expect_eq 3 "$(pg_q "$url" "SELECT count(*) FROM pg_tables WHERE tablename LIKE 't\_%'")" "$layout: tables"
	full=$(pg_schema "$url")
	expect_exit 0 M status --check --dir "$m" --database-url "$url"
	expect_contains "$OUT" "3 applied, 0 pending"
	expect_contains "$OUT" "ledger public.schema_migrations"
	expect_exit 0 M down --dir "$m" --database-url "$url"
	expect_contains "$OUT" "1 migration rolled back"
	expect_exit 1 M status --check --dir "$m" --database-url "$url"
	expect_exit 0 M up --dir "$m" --database-url "$url"
	expect_eq "$full" "$(pg_schema "$url")" "$layout: schema after down+up"
	expect_exit 0 M down --all --dir "$m" --database-url "$url"
	expect_contains "$OUT" "3 migrations rolled back"
	expect_eq 0 "$(pg_q "$url" "SELECT count(*) FROM schema_migrations")" "$layout: ledger empty"
	expect_eq "$empty" "$(pg_schema "$url" -T schema_migrations)" "$layout: schema after down --all"
}

d=$(t_tmpdir)
up_a="CREATE TABLE t_a (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, note text);"
up_b="CREATE TABLE t_b (id bigint PRIMARY KEY, a_id bigint REFERENCES t_a (id));
CREATE INDEX t_b_a_id_idx ON t_b (a_id);
CREATE FUNCTION t_b_touch() RETURNS trigger LANGUAGE plpgsql AS \$\$
BEGIN
  NEW.id := NEW.id; -- a body with ; inside
  RETURN NEW;
END;
\$\$;"
down_b="DROP TABLE t_b;
DROP FUNCTION t_b_touch();"
up_c="CREATE TYPE t_c_state AS ENUM ('a', 'b'); CREATE TABLE t_c (s t_c_state);"
down_c="DROP TABLE t_c; DROP TYPE t_c_state;"

mig_sections "$d/sections" 20240101000001 a "$up_a" "DROP TABLE t_a;"
mig_sections "$d/sections" 20240101000002 b "$up_b" "$down_b"
mig_sections "$d/sections" 20240101000003 c "$up_c" "$down_c"
round_trip sections "$d/sections"
mig_pairs "$d/pairs" 0001 a "$up_a" "DROP TABLE t_a;"
mig_pairs "$d/pairs" 0002 b "$up_b" "$down_b"
mig_pairs "$d/pairs" 0003 c "$up_c" "$down_c"
round_trip pairs "$d/pairs"
mig_dirs "$d/dirs" 2024-01-01-000001 a "$up_a" "DROP TABLE t_a;"
mig_dirs "$d/dirs" 2024-01-01-000002 b "$up_b" "$down_b"
mig_dirs "$d/dirs" 2024-01-01-000003 c "$up_c" "$down_c"
round_trip dirs "$d/dirs"
mig_release "$d/releases" "" 2.9.0 "$up_a" "DROP TABLE t_a;"
mig_release "$d/releases" 2.9.0 2.10.0 "$up_b" "$down_b"
mig_release "$d/releases" 2.10.0 3.0.0 "$up_c" "$down_c"
round_trip releases "$d/releases"

# ---- a failing migration: schema and ledger exactly as before
url=$(t_pg_new_db fail)
m=$d/fail
mig_sections "$m" 0001 a "$up_a" "DROP TABLE t_a;"
expect_exit 0 M up --dir "$m" --database-url "$url"
before=$(pg_schema "$url")
ledger=$(pg_q "$url" "SELECT version, state, dirty, checksum FROM schema_migrations ORDER BY 1")
cat >"$m/0002_broken.sql" <<'EOF'
-- migrate:up
ALTER TABLE t_a ADD COLUMN extra int;
CREATE INDEX t_a_extra_idx ON t_a (extra);
INSERT INTO t_a (note) VALUES ('x');
SELECT 1 / (SELECT count(*) - 1 FROM t_a);
-- migrate:down
ALTER TABLE t_a DROP COLUMN extra;
EOF
# the lint gate refuses first (exit 1): nothing runs
expect_exit 1 M up --dir "$m" --database-url "$url"
expect_contains "$ERR" "$m/0002_broken.sql:3:1: refusing to migrate: 2 lint errors in pending migrations [lint-refused]"
expect_contains "$ERR" "[create-index-non-concurrent]"
expect_eq "$before" "$(pg_schema "$url")" "schema after the lint refusal"
# allowed, it runs and fails at its last statement
expect_exit 3 M up --dir "$m" --database-url "$url" \
	--allow create-index-non-concurrent --allow dml-after-exclusive-lock
expect_contains "$ERR" "$m/0002_broken.sql:5:1: migration '0002_broken.sql' failed at statement 4 of 4: division by zero [migration-failed]"
expect_contains "$ERR" "SQLSTATE 22012"
expect_eq "$before" "$(pg_schema "$url")" "schema after the failure"
expect_eq "$ledger" "$(pg_q "$url" "SELECT version, state, dirty, checksum FROM schema_migrations ORDER BY 1")" "ledger after the failure"
expect_eq 0 "$(pg_q "$url" "SELECT count(*) FROM t_a")" "rows after the failure"
# the error position inside a statement is mapped to the file
printf -- '-- migrate:up\nSELECT 1;\nSELECT\n  nope_column FROM t_a;\n' >"$m/0002_broken.sql"
expect_exit 3 M up --dir "$m" --database-url "$url"
expect_contains "$ERR" "$m/0002_broken.sql:4:3: migration '0002_broken.sql' failed at statement 2 of 2: column \"nope_column\" does not exist"

# ---- syntax errors stop everything before it runs: exit 2, untouched
printf -- '-- migrate:up\nCREATE TABLE ok1 (x int);\n' >"$m/0002_broken.sql"
printf -- '-- migrate:up\nCREATE TABLE ok2 (x int);\n\nCREATE TABLE bad (x int,);\n' >"$m/0003_syntax.sql"
expect_exit 2 M up --dir "$m" --database-url "$url"
expect_contains "$ERR" "$m/0003_syntax.sql:4:25: syntax error at or near \")\" [sql-syntax-error]"
expect_eq "$before" "$(pg_schema "$url")" "schema after a syntax error"
printf -- "-- migrate:up\nSELECT 'unterminated;\n" >"$m/0003_syntax.sql"
expect_exit 2 M up --dir "$m" --database-url "$url"
expect_contains "$ERR" "0003_syntax.sql:2:8:"
expect_eq "$before" "$(pg_schema "$url")" "schema after an unterminated string"
printf -- '-- migrate:up\nCREATE TABLE ok3 (x int);\nEND;\n' >"$m/0003_syntax.sql"
expect_exit 2 M up --dir "$m" --database-url "$url"
expect_contains "$ERR" "0003_syntax.sql:3:1: transaction control ('END') in a migration that runs in a transaction"
printf -- '-- migrate:up\n-- migrate:no-transaction\nBEGIN;\nCREATE TABLE ok3 (x int);\nCOMMIT;\n' >"$m/0003_syntax.sql"
expect_exit 0 M up --dry-run --dir "$m" --database-url "$url"
expect_eq "$before" "$(pg_schema "$url")" "schema after refused transaction control"
rm "$m/0003_syntax.sql"

# ---- the ledger in its own schema, and --single-transaction
url=$(t_pg_new_db schema)
pg_q "$url" "CREATE SCHEMA ops" >/dev/null
expect_exit 0 M up --single-transaction --dir "$d/sections" --database-url "$url" --migrations-schema ops --migrations-table "Migrations"
expect_contains "$OUT" "migrate: 3 migrations applied"
expect_eq 3 "$(pg_q "$url" 'SELECT count(*) FROM ops."Migrations"')" "ledger in ops.\"Migrations\""
expect_eq 1 "$(pg_q "$url" "SELECT count(DISTINCT applied_at) FROM ops.\"Migrations\"")" "one transaction"
expect_exit 0 M status --check --dir "$d/sections" --database-url "$url" --migrations-schema ops --migrations-table Migrations
expect_contains "$OUT" "ledger ops.Migrations"

# ---- a dbmate ledger is adopted: columns added, rows kept
url=$(t_pg_new_db adopt)
pg_q "$url" "CREATE TABLE schema_migrations (version varchar(128) PRIMARY KEY);
INSERT INTO schema_migrations VALUES ('20240101000001');
$up_a" >/dev/null
expect_exit 1 M status --check --dir "$d/sections" --database-url "$url"
expect_contains "$OUT" "1 applied, 2 pending"
expect_exit 0 M up --dir "$d/sections" --database-url "$url"
expect_contains "$OUT" "2 migrations applied"
expect_eq "20240101000001|||applied
20240101000002|b|f|applied
20240101000003|c|f|applied" "$(pg_q "$url" "SELECT version, name, dirty, coalesce(state, 'applied') FROM schema_migrations ORDER BY 1")" "adopted rows"
expect_eq "character varying" "$(pg_q "$url" "SELECT data_type FROM information_schema.columns WHERE table_name = 'schema_migrations' AND column_name = 'version'")" "version column kept"

# ---- drift and a missing file are detected on PostgreSQL too
url=$(t_pg_new_db drift)
cp -r "$d/sections" "$d/drift"
expect_exit 0 M up --dir "$d/drift" --database-url "$url"
sed -i 's/note text/note text, extra int/' "$d/drift/20240101000001_a.sql"
expect_exit 1 M status --check --dir "$d/drift" --database-url "$url"
expect_contains "$OUT" "DRIFTED: the file changed since it was applied"
expect_exit 1 M up --dir "$d/drift" --database-url "$url"
expect_contains "$ERR" "[checksum-mismatch]"
rm "$d/drift/20240101000003_c.sql"
expect_exit 1 M up --allow-drift --dir "$d/drift" --database-url "$url"
expect_contains "$ERR" "version 20240101000003 is recorded as applied but its file is not in $d/drift [missing-migration-file]"
expect_exit 0 M up --allow-drift --allow-missing --dir "$d/drift" --database-url "$url"
expect_contains "$OUT" "nothing to apply"

t_done
