#!/usr/bin/env bash
# Eight concurrent `migrate up` on one SQLite file apply each migration
# exactly once: every process exits 0, the ledger has each version once,
# the schema is complete. A runner waiting for another process's write lock
# says who holds it, and gives up after lock_wait (exit 3).
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib/common.sh"
source "$here/run_helpers.bash"
t_begin sqlite_run_concurrent

N=20
P=8
d=$(t_tmpdir)
m=$d/m
db=$d/app.db
U="sqlite:$db"
for ((i = 1; i <= N; i++)); do
	v=$(printf '%04d' "$i")
	mig_sections "$m" "$v" "t$i" "CREATE TABLE t$i (x INTEGER);
INSERT INTO t$i WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 5000) SELECT i FROM c;" "DROP TABLE t$i;"
done

pids=()
for ((p = 1; p <= P; p++)); do
	"$MIGRATE_BIN" up --dir "$m" --database-url "$U" >"$d/out.$p" 2>"$d/err.$p" &
	pids+=($!)
done
for ((p = 1; p <= P; p++)); do
	rc=0
	wait "${pids[p - 1]}" || rc=$?
	if ((rc != 0)); then
		cat "$d/out.$p" "$d/err.$p" >&2
		t_fail "runner $p exited $rc"
	fi
done
applied=$(cat "$d"/out.* | grep -c '^applied ' || true)
expect_eq "$N" "$applied" "'applied' lines over all runners"
expect_eq "$N" "$(sqlite_q "$db" "SELECT count(DISTINCT version) FROM schema_migrations WHERE state = 'applied'")" "ledger versions"
expect_eq "$N" "$(sqlite_q "$db" "SELECT count(*) FROM schema_migrations")" "ledger rows"
expect_eq "$N" "$(sqlite_q "$db" "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name GLOB 't[0-9]*'")" "tables"
for ((i = 1; i <= N; i++)); do
	expect_eq 5000 "$(sqlite_q "$db" "SELECT count(*) FROM t$i")" "rows in t$i (applied once)"
done
t_log "runners that applied something: $(grep -l '^applied ' "$d"/out.* | wc -l) of $P"
# each runner writes in journal_mode=TRUNCATE and switches back to DELETE as
# it closes (which removes the -journal once no other writer holds the
# write lock): after the last one, none is left
[[ ! -e $db-journal ]] || t_fail "a -journal is left after the concurrent runs"

# another process holds the write lock: the runner waits, says who, goes on
mig_sections "$m" 0100 late "CREATE TABLE late (x INTEGER);" "DROP TABLE late;"
# (the holder lets go once the runner has said it waits, not after a fixed
# time that a slow sanitizer build on a loaded machine could outlast)
: >"$ERR"
python3 - "$db" "$ERR" >"$d/holder.out" 2>&1 <<'EOF' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    with open(sys.argv[2], errors="replace") as f:
        if "waiting for the database write lock" in f.read():
            break
    time.sleep(0.02)
time.sleep(0.3)
c.execute("COMMIT")
EOF
hp=$!
for ((i = 0; i < 100; i++)); do
	grep -q locked "$d/holder.out" && break
	sleep 0.05
done
expect_exit 0 M up --dir "$m" --database-url "$U" --lock-wait 60s
expect_contains "$ERR" "migrate: waiting for the database write lock held by pid $hp ("
expect_contains "$OUT" "applied  0100_late.sql"
wait "$hp"

# ... and gives up after lock_wait, with exit 3 and nothing changed
mig_sections "$m" 0101 later "CREATE TABLE later (x INTEGER);" "DROP TABLE later;"
# (the holder keeps the lock until the runner has given up, however slow
# the runner is to start: a sanitizer build on a loaded machine can take
# longer than any fixed hold time)
python3 - "$db" "$d/release" >"$d/holder.out" 2>&1 <<'EOF' &
import os, sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
deadline = time.monotonic() + 120
while not os.path.exists(sys.argv[2]) and time.monotonic() < deadline:
    time.sleep(0.02)
c.execute("COMMIT")
EOF
hp=$!
t_on_exit ': >"$d/release"'
for ((i = 0; i < 100; i++)); do
	grep -q locked "$d/holder.out" && break
	sleep 0.05
done
expect_exit 3 M up --dir "$m" --database-url "$U" --lock-wait 500ms
: >"$d/release"
expect_contains "$ERR" "[lock-timeout]"
expect_contains "$ERR" "lock_wait"
wait "$hp"
expect_eq 0 "$(sqlite_q "$db" "SELECT count(*) FROM schema_migrations WHERE version = '0101'")" "not applied after giving up"
[[ ! -e $db-journal ]] || t_fail "a -journal is left after the lock timeout"

t_done
