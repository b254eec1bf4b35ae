#!/usr/bin/env bash
# SQLite journal mode: the connection `up`/`down`/`mark` write on runs in
# journal_mode=TRUNCATE when the database is in DELETE mode (the journal
# file is kept and emptied at each commit instead of created and deleted),
# and switches back to DELETE at close, so no -journal file is left beside
# the database: after success, failure, a WAL database, a migration that
# changes the mode itself. A crash mid-migration in TRUNCATE mode leaves a
# hot journal that the next reader (a plain sqlite3 client or migrate)
# rolls back. docs/internals/drivers.md says why.
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib/common.sh"
source "$here/run_helpers.bash"
t_begin sqlite_run_journal

d=$(t_tmpdir)
# every migration records the journal_mode its connection runs in
seen="INSERT INTO jm SELECT"
m=$d/m
mig_sections "$m" 0001 jm "CREATE TABLE jm (step TEXT, mode TEXT);
$seen 'up 0001', journal_mode FROM pragma_journal_mode;" "DROP TABLE jm;"
mig_sections "$m" 0002 b "CREATE TABLE b (x INTEGER);
$seen 'up 0002', journal_mode FROM pragma_journal_mode;" "DROP TABLE b;
$seen 'down 0002', journal_mode FROM pragma_journal_mode;"

no_journal() {
	local db=$1 what=$2
	if [[ -e $db-journal ]]; then
		t_fail "$what: $db-journal was left beside the database ($(stat -c %s -- "$db-journal") bytes)"
	fi
}
mode() { sqlite_q "$1" "PRAGMA journal_mode"; }
modes() { sqlite_q "$1" "SELECT step || ' ' || mode FROM jm ORDER BY rowid"; }

###########################################################################
t_log "1. DELETE mode (SQLite's default): TRUNCATE while migrating, restored at close"
db=$d/app.db
U="sqlite:$db"
expect_exit 0 M up --dir "$m" --database-url "$U"
expect_contains "$OUT" "2 migrations applied"
expect_eq "up 0001 truncate
up 0002 truncate" "$(modes "$db")" "journal_mode seen by the migrations"
no_journal "$db" "up"
expect_eq delete "$(mode "$db")" "journal_mode of a new connection after up"

expect_exit 0 M down --dir "$m" --database-url "$U"
expect_eq "down 0002 truncate" "$(sqlite_q "$db" "SELECT step || ' ' || mode FROM jm WHERE step LIKE 'down%'")" "journal_mode seen by down"
no_journal "$db" "down"
expect_exit 0 M mark 0002 --applied --dir "$m" --database-url "$U"
expect_contains "$OUT" "marked"
no_journal "$db" "mark --applied"
expect_exit 0 M mark 0002 --rolled-back --dir "$m" --database-url "$U"
no_journal "$db" "mark --rolled-back"
expect_eq "0001|applied|0" "$(sq_ledger "$db")" "ledger after mark"
# readers (status, --dry-run) change nothing
expect_exit 0 M status --dir "$m" --database-url "$U"
expect_exit 0 M up --dry-run --dir "$m" --database-url "$U"
no_journal "$db" "status and --dry-run"
expect_exit 0 M up --dir "$m" --database-url "$U"
no_journal "$db" "up again"

t_log "2. a failed migration: rolled back, and still no journal left"
mf=$d/mfail
cp -r -- "$m" "$mf"
mig_sections "$mf" 0003 bad "$seen 'up 0003', journal_mode FROM pragma_journal_mode;
INSERT INTO no_such_table VALUES (1);"
expect_exit 3 M up --dir "$mf" --database-url "$U"
expect_contains "$ERR" "migration '0003_bad.sql' failed at statement 2 of 2: no such table: no_such_table"
expect_eq 0 "$(sqlite_q "$db" "SELECT count(*) FROM jm WHERE step = 'up 0003'")" "0003 rolled back"
expect_eq "0001|applied|0
0002|applied|0" "$(sq_ledger "$db")" "ledger after the failure"
no_journal "$db" "failed up"
expect_eq ok "$(sqlite_q "$db" "PRAGMA integrity_check")" "integrity after the failure"

t_log "3. a stray empty -journal (a runner killed between two commits) is used and removed"
s=$d/stray.db
expect_exit 0 M up --to 0001 --dir "$m" --database-url "sqlite:$s"
: >"$s-journal"
# not hot: a plain client reads and writes past it
expect_eq 1 "$(sqlite_q "$s" "SELECT count(*) FROM jm")" "a client reads past an empty journal"
expect_exit 0 M up --dir "$m" --database-url "sqlite:$s"
expect_contains "$OUT" "applied  0002_b.sql"
no_journal "$s" "up with an empty journal present"

###########################################################################
t_log "4. a WAL database stays WAL; no journal file"
w=$d/wal.db
expect_eq wal "$(sqlite_q "$w" "PRAGMA journal_mode = WAL")" "journal_mode"
expect_exit 0 M up --dir "$m" --database-url "sqlite:$w"
expect_eq "up 0001 wal
up 0002 wal" "$(modes "$w")" "journal_mode seen by the migrations"
expect_eq wal "$(mode "$w")" "journal_mode after up"
no_journal "$w" "up on WAL"
expect_exit 0 M down --dir "$m" --database-url "sqlite:$w"
expect_eq wal "$(mode "$w")" "journal_mode after down"
no_journal "$w" "down on WAL"

t_log "5. a migration that switches the database to WAL: it stays WAL"
mw=$d/mwal
cp -r -- "$m" "$mw"
printf -- '-- migrate:up\n-- migrate:no-transaction\nPRAGMA journal_mode = WAL;\n' >"$mw/0003_wal.sql"
mig_sections "$mw" 0004 after "$seen 'up 0004', journal_mode FROM pragma_journal_mode;"
tw=$d/to-wal.db
expect_exit 0 M up --dir "$mw" --database-url "sqlite:$tw"
expect_contains "$OUT" "applied  0004_after.sql"
expect_eq "up 0001 truncate
up 0002 truncate
up 0004 wal" "$(modes "$tw")" "journal_mode seen by the migrations"
expect_eq wal "$(mode "$tw")" "journal_mode after up"
no_journal "$tw" "up that switched to WAL"

t_log "6. a migration that sets DELETE itself: left as it is"
md=$d/mdel
cp -r -- "$m" "$md"
printf -- '-- migrate:up\n-- migrate:no-transaction\nPRAGMA journal_mode = DELETE;\n' >"$md/0003_del.sql"
mig_sections "$md" 0004 after "$seen 'up 0004', journal_mode FROM pragma_journal_mode;"
td=$d/to-delete.db
expect_exit 0 M up --dir "$md" --database-url "sqlite:$td"
expect_eq "up 0001 truncate
up 0002 truncate
up 0004 delete" "$(modes "$td")" "journal_mode seen by the migrations"
no_journal "$td" "up that set DELETE"

###########################################################################
t_log "7. kill -9 mid-migration: a hot journal, rolled back by the next reader"
k=$d/k
mig_sections "$k" 0001 quick "CREATE TABLE quick (x INTEGER);" "DROP TABLE quick;"
slow="CREATE TABLE slow (x INTEGER);
INSERT INTO slow WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 50000000) SELECT i FROM c;"
mig_sections "$k" 0002 slow "$slow" "DROP TABLE slow;"

# journal_magic FILE: its first 8 bytes in hex. SQLite writes the journal
# magic when it syncs the journal, before it writes the database file; from
# then on, until the commit empties it, the journal is hot.
journal_magic() { od -An -tx1 -N8 -- "$1" 2>/dev/null | tr -d ' \n'; }
MAGIC=d9d505f920a163d7

# kill_mid DB: start up, wait until 0001 is applied and 0002's journal is
# hot (0002 outgrows SQLite's page cache, which is spilled into the
# database file), kill -9
kill_mid() {
	local db=$1 pid i
	"$MIGRATE_BIN" up --dir "$k" --database-url "sqlite:$db" >"$d/k.out" 2>"$d/k.err" &
	pid=$!
	for ((i = 0; i < 1200; i++)); do
		grep -q "applied  0001" "$d/k.out" && [[ $(journal_magic "$db-journal") == "$MAGIC" ]] && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	grep -q "applied  0001" "$d/k.out" || t_fail "0001 was not applied before the kill: $(cat "$d/k.out" "$d/k.err")"
	expect_eq "$MAGIC" "$(journal_magic "$db-journal")" "the journal after kill -9 mid-migration (hot)"
}

# 7a. a plain sqlite3 client (DELETE mode) rolls it back
kdb=$d/kill-a.db
kill_mid "$kdb"
t_log "hot journal: $(stat -c %s -- "$kdb-journal") bytes"
expect_eq "0001|applied|0" "$(sq_ledger "$kdb")" "ledger after the kill (sqlite3)"
expect_eq 0 "$(sqlite_q "$kdb" "SELECT count(*) FROM sqlite_schema WHERE name = 'slow'")" "0002 rolled back (sqlite3)"
expect_eq ok "$(sqlite_q "$kdb" "PRAGMA integrity_check")" "integrity (sqlite3)"
no_journal "$kdb" "after sqlite3 rolled the hot journal back"

# 7b. the next migrate up rolls it back and goes on
kdb=$d/kill-b.db
kill_mid "$kdb"
mig_sections "$k" 0002 slow "CREATE TABLE slow (x INTEGER);" "DROP TABLE slow;"
expect_exit 0 M up --dir "$k" --database-url "sqlite:$kdb"
expect_contains "$OUT" "applied  0002_slow.sql"
expect_eq "0001|applied|0
0002|applied|0" "$(sq_ledger "$kdb")" "ledger after the rerun"
expect_eq 0 "$(sqlite_q "$kdb" "SELECT count(*) FROM slow")" "0002 applied once, by the rerun"
expect_eq ok "$(sqlite_q "$kdb" "PRAGMA integrity_check")" "integrity after the rerun"
no_journal "$kdb" "rerun after kill -9"

t_done
