#!/usr/bin/env bash
# PostgreSQL no-transaction migrations: two CREATE INDEX CONCURRENTLY in one
# file run one statement at a time (dbmate fails with 25001 here). When
# the second fails the row stays dirty with progress; the next `up`
# refuses (exit 1) naming the statement, the INVALID index it left, and how
# to go on; recovery with `up --resume` and with `mark`.
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib/common.sh"
source "$here/run_helpers.bash"
t_begin pg_run_cic
t_pg_setup

d=$(t_tmpdir)
m=$d/m
mig_sections "$m" 0001 t "CREATE TABLE t (a int, b int);
INSERT INTO t SELECT g, g % 10 FROM generate_series(1, 2000) g;" "DROP TABLE t;"
cat >"$m/0002_idx.sql" <<'EOF'
-- migrate:up
-- migrate:no-transaction
CREATE INDEX CONCURRENTLY t_a_idx ON t (a);
CREATE UNIQUE INDEX CONCURRENTLY t_b_idx ON t (b);

-- migrate:down
-- migrate:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS t_b_idx;
DROP INDEX CONCURRENTLY IF EXISTS t_a_idx;
EOF
mig_sections "$m" 0003 after "CREATE TABLE after_t (x int);" "DROP TABLE after_t;"

# both statements work when they can: one run applies everything
url=$(t_pg_new_db cic_ok)
sed 's/CREATE UNIQUE INDEX CONCURRENTLY t_b_idx ON t (b)/CREATE INDEX CONCURRENTLY t_b_idx ON t (b)/' \
	"$m/0002_idx.sql" >"$d/ok.sql"
mkdir -p "$d/okm"
cp "$m/0001_t.sql" "$d/okm/"
cp "$d/ok.sql" "$d/okm/0002_idx.sql"
expect_exit 0 M up --dir "$d/okm" --database-url "$url"
expect_contains "$OUT" "applying 0002_idx.sql (no transaction, 2 statements)"
expect_eq "t_a_idx|t
t_b_idx|t" "$(pg_q "$url" "SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname LIKE 't\_%' ORDER BY 1")" "both indexes valid"
expect_eq "0002|applied|f|2" "$(pg_q "$url" "SELECT version, state, dirty, statements_done FROM schema_migrations WHERE version = '0002'")" "ledger"
expect_exit 0 M down --all --dir "$d/okm" --database-url "$url"
expect_contains "$OUT" "reverted 0002_idx.sql"
expect_eq 0 "$(pg_q "$url" "SELECT count(*) FROM pg_class WHERE relname LIKE 't\_%\_idx'")" "indexes dropped"

# the second CIC fails: unique violation on b
url=$(t_pg_new_db cic_fail)
expect_exit 3 M up --dir "$m" --database-url "$url"
expect_contains "$OUT" "applied  0001_t.sql"
expect_contains "$ERR" "$m/0002_idx.sql:4:1: migration '0002_idx.sql' failed at statement 2 of 2: could not create unique index \"t_b_idx\" [migration-failed]"
expect_contains "$ERR" "SQLSTATE 23505"
expect_contains "$ERR" "stays dirty (running)"
expect_eq "0001|applied|f|2
0002|running|t|1" "$(pg_q "$url" "SELECT version, state, dirty, statements_done FROM schema_migrations ORDER BY 1")" "ledger after the failure"
expect_eq "t_a_idx|t
t_b_idx|f" "$(pg_q "$url" "SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname LIKE 't\_%' ORDER BY 1")" "t_b_idx left INVALID"

expect_exit 1 M status --check --dir "$m" --database-url "$url"
expect_contains "$OUT" "DIRTY: running, 1 statement done"

expect_exit 1 M up --dir "$m" --database-url "$url"
expect_contains "$ERR" "$m/0002_idx.sql:4:1: migration '0002_idx.sql' is dirty: its up (no transaction) failed or was interrupted at statement 2 of 2 [dirty-migration]"
expect_contains "$ERR" "statement 1 completed; statement 2 may have partly run: CREATE UNIQUE INDEX CONCURRENTLY t_b_idx ON t (b);"
expect_contains "$ERR" "index \"t_b_idx\" exists and is INVALID (pg_index.indisvalid = false)"
expect_contains "$ERR" "DROP INDEX CONCURRENTLY t_b_idx;"
expect_contains "$ERR" "migrate up --resume"
expect_contains "$ERR" "migrate mark 0002 --applied"
expect_eq 0 "$(pg_q "$url" "SELECT count(*) FROM pg_tables WHERE tablename = 'after_t'")" "nothing ran after it"

# --resume without dropping the invalid index fails again, still dirty
expect_exit 3 M up --resume --dir "$m" --database-url "$url"
expect_contains "$ERR" "relation \"t_b_idx\" already exists"
expect_eq "0002|running|t|1" "$(pg_q "$url" "SELECT version, state, dirty, statements_done FROM schema_migrations WHERE version = '0002'")" "still dirty"

# fix the data, drop the invalid index, resume from statement 2
pg_q "$url" "DROP INDEX CONCURRENTLY t_b_idx" >/dev/null
pg_q "$url" "UPDATE t SET b = a" >/dev/null
expect_exit 0 M up --resume --dir "$m" --database-url "$url"
expect_contains "$OUT" "resuming at statement 2"
expect_contains "$OUT" "applied  0002_idx.sql"
expect_contains "$OUT" "applied  0003_after.sql"
expect_eq "0001|applied|f
0002|applied|f
0003|applied|f" "$(pg_q "$url" "SELECT version, state, dirty FROM schema_migrations ORDER BY 1")" "ledger after resume"
expect_eq "t_a_idx|t
t_b_idx|t" "$(pg_q "$url" "SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname LIKE 't\_%' ORDER BY 1")" "indexes after resume"

# recovery by hand + mark --applied
url=$(t_pg_new_db cic_mark)
expect_exit 3 M up --dir "$m" --database-url "$url"
pg_q "$url" "DROP INDEX CONCURRENTLY t_b_idx" >/dev/null
pg_q "$url" "CREATE INDEX CONCURRENTLY t_b_idx ON t (b)" >/dev/null
expect_exit 0 M mark 0002 --applied --dir "$m" --database-url "$url"
expect_contains "$OUT" "marked   0002_idx.sql as applied (was dirty)"
expect_eq "0002|applied|f" "$(pg_q "$url" "SELECT version, state, dirty FROM schema_migrations WHERE version = '0002'")" "after mark --applied"
expect_exit 0 M up --dir "$m" --database-url "$url"
expect_contains "$OUT" "applied  0003_after.sql"
expect_exit 0 M status --check --dir "$m" --database-url "$url"

# ... or mark --rolled-back after undoing statement 1 by hand
url=$(t_pg_new_db cic_rb)
expect_exit 3 M up --dir "$m" --database-url "$url"
pg_q "$url" "DROP INDEX CONCURRENTLY t_b_idx; " >/dev/null
pg_q "$url" "DROP INDEX CONCURRENTLY t_a_idx" >/dev/null
expect_exit 0 M mark 0002 --rolled-back --dir "$m" --database-url "$url"
expect_eq "0001|applied|f" "$(pg_q "$url" "SELECT version, state, dirty FROM schema_migrations ORDER BY 1")" "after mark --rolled-back"
expect_exit 1 M status --check --dir "$m" --database-url "$url"
expect_contains "$OUT" "1 applied, 2 pending"

t_done
