#!/usr/bin/env bash
# Eight concurrent `migrate up` against one PostgreSQL database: every
# process exits 0, each migration is applied exactly once (ledger and
# side effects), the schema is complete, and the runs never interleave
# (the advisory lock is held for the whole run).
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib/common.sh"
source "$here/run_helpers.bash"
t_begin pg_run_concurrent
t_pg_setup

N=20
P=8
d=$(t_tmpdir)
m=$d/m
url=$(t_pg_new_db concurrent)
pg_q "$url" "CREATE TABLE applied_log (version text, pid int, at timestamptz DEFAULT clock_timestamp())" >/dev/null
for ((i = 1; i <= N; i++)); do
	v=$(printf '%04d' "$i")
	mig_sections "$m" "$v" "t$i" "CREATE TABLE t$i (x int);
INSERT INTO applied_log (version, pid) VALUES ('$v', pg_backend_pid());
SELECT pg_sleep(0.01);" "DROP TABLE t$i;"
done

pids=()
for ((p = 1; p <= P; p++)); do
	"$MIGRATE_BIN" up --dir "$m" --database-url "$url" >"$d/out.$p" 2>"$d/err.$p" &
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
expect_eq "$N" "$(cat "$d"/out.* | grep -c '^applied ')" "'applied' lines over all runners"
expect_eq "$N" "$(pg_q "$url" "SELECT count(*) FROM schema_migrations WHERE state = 'applied' AND NOT dirty")" "ledger rows"
expect_eq "$N" "$(pg_q "$url" "SELECT count(*) FROM applied_log")" "each migration ran once"
expect_eq "$N" "$(pg_q "$url" "SELECT count(DISTINCT version) FROM applied_log")" "distinct versions"
expect_eq "$N" "$(pg_q "$url" "SELECT count(*) FROM pg_tables WHERE tablename ~ '^t[0-9]+\$'")" "tables"
# one session applied them all, in order: no interleaving
expect_eq 1 "$(pg_q "$url" "SELECT count(DISTINCT pid) FROM applied_log")" "sessions that applied"
expect_eq "$(printf '%04d\n' $(seq 1 "$N"))" "$(pg_q "$url" "SELECT version FROM applied_log ORDER BY at")" "apply order"
waited=$(grep -l 'waiting for the migration lock held by pid' "$d"/err.* | wc -l)
t_log "$waited of $P runners reported waiting for the lock holder"
((waited >= 1)) || t_fail "no runner reported the lock holder"
expect_eq 0 "$(pg_q "$url" "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")" "advisory locks left"

t_done
