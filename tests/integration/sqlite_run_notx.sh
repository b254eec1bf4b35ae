#!/usr/bin/env bash
# No-transaction migrations on SQLite: statements run one at a time behind
# a dirty `running` ledger row with progress; a failure leaves it dirty,
# the next `up` refuses (exit 1) naming the statement and how to go on,
# and `up --resume` or `mark --applied|--rolled-back` recover.
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib/common.sh"
source "$here/run_helpers.bash"
t_begin sqlite_run_notx

d=$(t_tmpdir)
m=$d/m
db=$d/app.db
U="sqlite:$db"
mig_sections "$m" 0001 base "CREATE TABLE base (x INTEGER);" "DROP TABLE base;"
cat >"$m/0002_steps.sql" <<'EOF'
-- migrate:up transaction:false
CREATE TABLE n1 (x INTEGER);
INSERT INTO helper VALUES (1);
CREATE TABLE n2 (x INTEGER);
-- migrate:down transaction:false
DROP TABLE n2;
DROP TABLE n1;
EOF
mig_sections "$m" 0003 after "CREATE TABLE after_t (x INTEGER);" "DROP TABLE after_t;"

# VACUUM cannot run in a transaction; a no-transaction file runs it
mkdir -p "$d/vac"
printf -- '-- migrate:up\nVACUUM;\n' >"$d/vac/0001_vacuum.sql"
expect_exit 3 M up --dir "$d/vac" --database-url "sqlite:$d/vac.db"
expect_contains "$ERR" "cannot VACUUM from within a transaction"
printf -- '-- migrate:up\n-- migrate:no-transaction\nVACUUM;\n' >"$d/vac/0001_vacuum.sql"
expect_exit 0 M up --dir "$d/vac" --database-url "sqlite:$d/vac.db"
expect_contains "$OUT" "applying 0001_vacuum.sql (no transaction, 1 statement)"

# dry run of a no-transaction migration: the dirty row and the progress
expect_exit 0 M up --dry-run --dir "$m" --database-url "$U"
expect_contains "$OUT" "-- 0002_steps.sql: up (no transaction)"
expect_contains "$OUT" "'running', '0', '"
expect_contains "$OUT" "UPDATE \"schema_migrations\" SET statements_done = '2' WHERE version = '0002';"
[[ ! -s "$db" ]] || t_fail "dry run wrote to the database"

expect_exit 3 M up --dir "$m" --database-url "$U"
expect_contains "$OUT" "applied  0001_base.sql"
expect_contains "$ERR" "$m/0002_steps.sql:3:1: migration '0002_steps.sql' failed at statement 2 of 3: no such table: helper"
expect_contains "$ERR" "stays dirty (running)"
expect_eq "0001|applied|0
0002|running|1" "$(sq_ledger "$db")" "ledger after the failure"
expect_eq 1 "$(sqlite_q "$db" "SELECT statements_done FROM schema_migrations WHERE version = '0002'")" "progress"
expect_eq 1 "$(sqlite_q "$db" "SELECT count(*) FROM sqlite_schema WHERE name = 'n1'")" "statement 1 ran"

expect_exit 1 M status --check --dir "$m" --database-url "$U"
expect_contains "$OUT" "dirty    0002"
expect_contains "$OUT" "DIRTY: running, 1 statement done"

# the next up refuses and says exactly where it stopped and how to go on
expect_exit 1 M up --dir "$m" --database-url "$U"
expect_contains "$ERR" "$m/0002_steps.sql:3:1: migration '0002_steps.sql' is dirty: its up (no transaction) failed or was interrupted at statement 2 of 3 [dirty-migration]"
expect_contains "$ERR" "statement 1 completed; statement 2 may have partly run: INSERT INTO helper VALUES (1);"
expect_contains "$ERR" "migrate up --resume"
expect_contains "$ERR" "migrate mark 0002 --applied"
expect_contains "$ERR" "migrate mark 0002 --rolled-back"
expect_eq 0 "$(sqlite_q "$db" "SELECT count(*) FROM sqlite_schema WHERE name = 'after_t'")" "nothing after a dirty one"
expect_exit 1 M down --dir "$m" --database-url "$U"
expect_contains "$ERR" "[dirty-migration]"

# fix the cause, then resume from statement 2
sqlite_q "$db" "CREATE TABLE helper (x INTEGER)"
expect_exit 0 M up --resume --dir "$m" --database-url "$U"
expect_contains "$OUT" "applying 0002_steps.sql (no transaction, 3 statements, resuming at statement 2)"
expect_contains "$OUT" "applied  0002_steps.sql"
expect_contains "$OUT" "applied  0003_after.sql"
expect_eq "0001|applied|0
0002|applied|0
0003|applied|0" "$(sq_ledger "$db")" "ledger after resume"
expect_eq 1 "$(sqlite_q "$db" "SELECT count(*) FROM helper")" "statement 2 ran once"
expect_eq 3 "$(sqlite_q "$db" "SELECT statements_done FROM schema_migrations WHERE version = '0002'")" "progress after resume"
expect_exit 0 M status --check --dir "$m" --database-url "$U"

# a no-transaction down, then recovery with mark
expect_exit 0 M down 2 --dir "$m" --database-url "$U"
expect_contains "$OUT" "reverted 0002_steps.sql"
sqlite_q "$db" "DROP TABLE helper"
expect_exit 3 M up --dir "$m" --database-url "$U"
expect_eq "0002|running|1" "$(sq_ledger "$db" | grep 0002)" "dirty again"
# repaired by hand the other way: undo statement 1, record rolled back
sqlite_q "$db" "DROP TABLE n1"
expect_exit 0 M mark 0002 --rolled-back --dir "$m" --database-url "$U"
expect_contains "$OUT" "marked   0002_steps.sql as rolled back (was dirty)"
expect_eq "0001|applied|0" "$(sq_ledger "$db")" "ledger after mark --rolled-back"
# or finished by hand: record it applied
expect_exit 3 M up --dir "$m" --database-url "$U"
sqlite_q "$db" "CREATE TABLE n2 (x INTEGER)"
expect_exit 0 M mark 0002 --applied --dir "$m" --database-url "$U"
expect_eq "0001|applied|0
0002|applied|0" "$(sq_ledger "$db")" "ledger after mark --applied"
expect_exit 0 M up --dir "$m" --database-url "$U"
expect_contains "$OUT" "applied  0003_after.sql"

# mark errors
expect_exit 2 M mark 0099 --applied --dir "$m" --database-url "$U"
expect_contains "$ERR" "[unknown-version]"
rm -f "$d/new.db"
expect_exit 2 M mark 0001 --rolled-back --dir "$m" --database-url "sqlite:$d/new.db"
expect_contains "$ERR" "[not-in-ledger]"
expect_exit 2 M mark 0001 --applied --rolled-back --dir "$m" --database-url "$U"

t_done
