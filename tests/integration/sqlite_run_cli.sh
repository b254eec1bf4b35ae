#!/usr/bin/env bash
# SQLite: --dry-run changes nothing; config file, environments and
# precedence end to end; --to; --backup; SIGINT/SIGTERM during a migration
# roll it back, report, exit 3, and leave the database consistent.
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib/common.sh"
source "$here/run_helpers.bash"
t_begin sqlite_run_cli
unset DATABASE_URL MIGRATIONS_DIR MIGRATE_CONFIG MIGRATE_ENV MIGRATE_DATABASE_URL MIGRATE_DIR

d=$(t_tmpdir)
m=$d/m
mig_sections "$m" 0001 a "CREATE TABLE a (x INTEGER);" "DROP TABLE a;"
mig_sections "$m" 0002 b "CREATE TABLE b (x INTEGER);" "DROP TABLE b;"
mig_sections "$m" 0003 c "CREATE TABLE c (x INTEGER);" "DROP TABLE c;"

# ---- dry run: the exact SQL, ledger writes included; nothing changes
expect_exit 0 M up --dry-run --dir "$m" --database-url "sqlite:$d/dry.db"
expect_contains "$OUT" "nothing is executed"
expect_contains "$OUT" 'CREATE TABLE "schema_migrations" ('
expect_contains "$OUT" "BEGIN IMMEDIATE;
CREATE TABLE a (x INTEGER);
INSERT INTO \"schema_migrations\" (version, name, checksum, applied_at, execution_ms, dirty, state, statements_done, applied_by) VALUES ('0001', 'a', '"
expect_contains "$OUT" "COMMIT;"
[[ ! -e "$d/dry.db" ]] || t_fail "--dry-run created the database file"
db=$d/app.db
expect_exit 0 M up --to 1 --dir "$m" --database-url "sqlite:$db"
expect_contains "$OUT" "1 migration applied"
s=$(sq_schema "$db")
l=$(sq_ledger "$db")
expect_exit 0 M up --dry-run --single-transaction --dir "$m" --database-url "sqlite:$db"
expect_contains "$OUT" "-- 0002_b.sql"
expect_not_contains "$OUT" "CREATE TABLE \"schema_migrations\""
expect_exit 0 M down --dry-run --dir "$m" --database-url "sqlite:$db"
expect_contains "$OUT" "DROP TABLE a;
DELETE FROM \"schema_migrations\" WHERE version = '0001';"
expect_eq "$s" "$(sq_schema "$db")" "schema after dry runs"
expect_eq "$l" "$(sq_ledger "$db")" "ledger after dry runs"

# ---- config file, environments, precedence (flags > env > file > default)
w=$d/work
mkdir -p "$w"
cat >"$w/migrate.json" <<EOF
{
  "dir": "$m",
  "migrations_table": "ledger_from_file",
  "default_environment": "development",
  "environments": {
    "development": { "database_url": "sqlite:dev.db" },
    "test": { "database_url": "sqlite:test.db", "migrations_table": "test_ledger" }
  }
}
EOF
(cd "$w" && expect_exit 0 M up) || exit 1
[[ -f "$w/dev.db" ]] || t_fail "default environment not used"
expect_eq 3 "$(sqlite_q "$w/dev.db" "SELECT count(*) FROM ledger_from_file")" "file's migrations_table"
(cd "$w" && expect_exit 0 M up --env test) || exit 1
expect_eq 3 "$(sqlite_q "$w/test.db" "SELECT count(*) FROM test_ledger")" "environment overrides top level"
(cd "$w" && MIGRATE_ENV=test MIGRATE_DATABASE_URL=sqlite:env.db MIGRATE_MIGRATIONS_TABLE=env_ledger expect_exit 0 M up) || exit 1
expect_eq 3 "$(sqlite_q "$w/env.db" "SELECT count(*) FROM env_ledger")" "env var beats the file"
(cd "$w" && MIGRATE_MIGRATIONS_TABLE=env_ledger expect_exit 0 M up --migrations-table flag_ledger --database-url "sqlite:flag.db") || exit 1
expect_eq 3 "$(sqlite_q "$w/flag.db" "SELECT count(*) FROM flag_ledger")" "flag beats env"
(cd "$w" && DATABASE_URL=sqlite:alias.db expect_exit 0 M status) || exit 1
expect_contains "$OUT" "database   sqlite:alias.db"
(cd "$w" && expect_exit 2 M up --env prod) || exit 1
expect_contains "$ERR" "no environment 'prod'"
(cd "$w" && expect_exit 2 M up --config nope.json) || exit 1
expect_contains "$ERR" "nope.json"
printf '{"dir": "m", "lock_timeout": "5s",\n "databse_url": "sqlite:x.db"}\n' >"$d/bad.json"
expect_exit 2 M up --config "$d/bad.json"
expect_contains "$ERR" "unknown key 'databse_url'"
expect_contains "$ERR" "did you mean 'database_url'?"
printf '{"dir": "m",\n "lock_timeout": 5s}\n' >"$d/bad.json"
MIGRATE_CONFIG=$d/bad.json expect_exit 2 M status
expect_contains "$ERR" "$d/bad.json:2:"
expect_contains "$ERR" "[bad-config-json]"

# ---- --backup writes a consistent copy before applying
b=$d/bk
mig_sections "$b" 0001 a "CREATE TABLE a (x INTEGER); INSERT INTO a VALUES (42);" "DROP TABLE a;"
expect_exit 0 M up --dir "$b" --database-url "sqlite:$d/bk.db"
sqlite_q "$d/bk.db" "PRAGMA journal_mode = WAL" >/dev/null
mig_sections "$b" 0002 b "CREATE TABLE b (x INTEGER);" "DROP TABLE b;"
expect_exit 0 M up --dir "$b" --database-url "sqlite:$d/bk.db" --backup "$d/before.db"
expect_contains "$OUT" "backup   $d/before.db"
expect_eq "42" "$(sqlite_q "$d/before.db" "SELECT x FROM a")" "backup has the data"
expect_eq "0" "$(sqlite_q "$d/before.db" "SELECT count(*) FROM sqlite_schema WHERE name = 'b'")" "backup taken before 0002"
expect_eq "1" "$(sqlite_q "$d/bk.db" "SELECT count(*) FROM sqlite_schema WHERE name = 'b'")" "0002 applied"
expect_exit 0 M up --dir "$b" --database-url "sqlite:$d/bk.db" --backup "$d/nothing.db"
[[ ! -e "$d/nothing.db" ]] || t_fail "backup written with nothing to apply"

# ---- signals: the running migration is rolled back, exit 3
sig=$d/sig
mig_sections "$sig" 0001 quick "CREATE TABLE quick (x INTEGER);" "DROP TABLE quick;"
mig_sections "$sig" 0002 slow "CREATE TABLE slow (x INTEGER);
INSERT INTO slow WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 50000000) SELECT i FROM c;" "DROP TABLE slow;"
mig_sections "$sig" 0003 never "CREATE TABLE never (x INTEGER);" "DROP TABLE never;"
for s in INT TERM; do
	sdb=$d/sig-$s.db
	"$MIGRATE_BIN" up --dir "$sig" --database-url "sqlite:$sdb" >"$d/sig.out" 2>"$d/sig.err" &
	pid=$!
	for ((i = 0; i < 100; i++)); do
		grep -q "applied  0001" "$d/sig.out" && break
		sleep 0.05
	done
	sleep 0.3
	kill -"$s" "$pid"
	rc=0
	wait "$pid" || rc=$?
	expect_eq 3 "$rc" "exit code after SIG$s"
	expect_contains "$d/sig.err" "interrupted by SIG$s: '0002_slow.sql' was rolled back; 1 applied before it, 1 not run [interrupted]"
	expect_eq "0001|applied|0" "$(sq_ledger "$sdb")" "ledger after SIG$s"
	expect_eq 0 "$(sqlite_q "$sdb" "SELECT count(*) FROM sqlite_schema WHERE name IN ('slow', 'never')")" "tables after SIG$s"
	[[ ! -e "$sdb-journal" ]] || t_fail "hot journal left after SIG$s"
done

t_done
