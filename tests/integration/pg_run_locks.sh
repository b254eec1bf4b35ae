#!/usr/bin/env bash
# PostgreSQL locks and interruptions: lock_timeout firing while another
# session holds a table lock (retries reported, exit 3, clean ledger; or a
# retry that succeeds); statement_timeout; a second runner waiting for the
# advisory lock names the holder; SIGINT/SIGTERM roll back the running
# migration, release the lock and exit 3.
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib/common.sh"
source "$here/run_helpers.bash"
t_begin pg_run_locks
t_pg_setup

d=$(t_tmpdir)
m=$d/m
mig_sections "$m" 0001 t "CREATE TABLE t (a int);" "DROP TABLE t;"
mig_sections "$m" 0002 alter "ALTER TABLE t ADD COLUMN b int;" "ALTER TABLE t DROP COLUMN b;"
url=$(t_pg_new_db locks)
expect_exit 0 M up --to 0001 --dir "$m" --database-url "$url"

# hold_lock SECONDS: a psql session holding ACCESS EXCLUSIVE on t; sets HP
hold_lock() {
	pg_psql -d "$url" -c "BEGIN; LOCK TABLE t IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep($1); COMMIT;" \
		>/dev/null 2>&1 &
	HP=$!
	for ((i = 0; i < 200; i++)); do
		[[ $(pg_q "$url" "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 't' AND l.granted AND l.mode = 'AccessExclusiveLock'") == 1 ]] && return 0
		sleep 0.05
	done
	t_fail "the psql session never took the lock"
}

# ---- lock_timeout fires on every attempt: retries reported, exit 3
before=$(pg_schema "$url")
ledger=$(pg_q "$url" "SELECT version, state FROM schema_migrations ORDER BY 1")
hold_lock 30
expect_exit 3 M up --dir "$m" --database-url "$url" --lock-timeout 200ms --lock-retries 2 --lock-retry-backoff 100ms
expect_contains "$ERR" "migrate: lock timeout (SQLSTATE 55P03) in '0002_alter.sql' at statement 1; retry 1 of 2 in 100ms"
expect_contains "$ERR" "migrate: lock timeout (SQLSTATE 55P03) in '0002_alter.sql' at statement 1; retry 2 of 2 in 200ms"
expect_contains "$ERR" "$m/0002_alter.sql:2:1: migration '0002_alter.sql' failed at statement 1 of 1: canceling statement due to lock timeout [migration-failed]"
expect_contains "$ERR" "SQLSTATE 55P03"
expect_contains "$ERR" "gave up after 2 retries"
expect_eq "$ledger" "$(pg_q "$url" "SELECT version, state FROM schema_migrations ORDER BY 1")" "ledger after lock timeouts"
pg_q "$url" "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '%pg_sleep%'" >/dev/null
wait "$HP" || true
expect_eq "$before" "$(pg_schema "$url")" "schema after lock timeouts"

# ---- a retry that succeeds once the other session lets go (released
# only after the first retry was announced, whatever the machine's speed)
hold_lock 60
"$MIGRATE_BIN" up --dir "$m" --database-url "$url" --lock-timeout 300ms --lock-retries 20 \
	--lock-retry-backoff 200ms >"$d/retry.out" 2>"$d/retry.err" &
rp=$!
for ((i = 0; i < 400; i++)); do
	grep -q "retry 1 of 20" "$d/retry.err" 2>/dev/null && break
	sleep 0.05
done
pg_q "$url" "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE '%pg_sleep(60)%'" >/dev/null
wait "$HP" || true
rc=0
wait "$rp" || rc=$?
expect_eq 0 "$rc" "exit after a successful retry ($(cat "$d/retry.err"))"
expect_contains "$d/retry.err" "retry 1 of 20"
expect_contains "$d/retry.out" "applied  0002_alter.sql"

# ---- statement_timeout (off by default) cancels a long statement
mig_sections "$m" 0003 slow "SELECT pg_sleep(3);" "SELECT 1;"
expect_exit 3 M up --dir "$m" --database-url "$url" --statement-timeout 200ms
expect_contains "$ERR" "canceling statement due to statement timeout"
expect_contains "$ERR" "statement_timeout (200ms) cancelled it"
rm "$m/0003_slow.sql"

# ---- a second runner waits for the advisory lock and names the holder
mig_sections "$m" 0003 slow "CREATE TABLE slow (x int); SELECT pg_sleep(3);" "DROP TABLE slow;"
mig_sections "$m" 0004 next "CREATE TABLE next_t (x int);" "DROP TABLE next_t;"
"$MIGRATE_BIN" up --dir "$m" --database-url "$url" >"$d/first.out" 2>"$d/first.err" &
fp=$!
for ((i = 0; i < 200; i++)); do
	hpid=$(pg_q "$url" "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'migrate' AND query LIKE '%pg_sleep(3)%'")
	[[ -n "$hpid" ]] && break
	sleep 0.05
done
[[ -n "$hpid" ]] || t_fail "the first runner never started its slow migration"
expect_exit 3 M up --dir "$m" --database-url "$url" --lock-wait 300ms
expect_contains "$ERR" "another runner holds the migration lock for 'public.schema_migrations' (held by pid $hpid, application_name 'migrate', user $PGUSER from local socket, connected since 20"
expect_contains "$ERR" "[lock-timeout]"
expect_exit 0 M up --dir "$m" --database-url "$url"
expect_contains "$ERR" "migrate: waiting for the migration lock held by pid $hpid, application_name 'migrate'"
expect_contains "$ERR" "active since 20"
expect_contains "$OUT" "migrate: nothing to apply (4 applied)"
wait "$fp" || t_fail "the first runner failed: $(cat "$d/first.err")"
expect_contains "$d/first.out" "applied  0004_next.sql"

# ---- SIGINT / SIGTERM: rolled back, lock released, exit 3
mig_sections "$m" 0005 quick "CREATE TABLE quick (x int);" "DROP TABLE quick;"
mig_sections "$m" 0006 sleepy "CREATE TABLE sleepy (x int); SELECT pg_sleep(30);" "DROP TABLE sleepy;"
mig_sections "$m" 0007 never "CREATE TABLE never (x int);" "DROP TABLE never;"
for s in INT TERM; do
	"$MIGRATE_BIN" up --dir "$m" --database-url "$url" >"$d/sig.out" 2>"$d/sig.err" &
	pid=$!
	for ((i = 0; i < 200; i++)); do
		[[ -n $(pg_q "$url" "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()") ]] && break
		sleep 0.05
	done
	t0=$(date +%s%N)
	kill -"$s" "$pid"
	rc=0
	wait "$pid" || rc=$?
	t1=$(date +%s%N)
	expect_eq 3 "$rc" "exit after SIG$s"
	(((t1 - t0) / 1000000 < 5000)) || t_fail "SIG$s took $(((t1 - t0) / 1000000)) ms to stop the run"
	expect_contains "$d/sig.err" "interrupted by SIG$s: '0006_sleepy.sql' was rolled back; "
	expect_contains "$d/sig.err" "1 not run [interrupted]"
	expect_eq 0 "$(pg_q "$url" "SELECT count(*) FROM schema_migrations WHERE version IN ('0006', '0007')")" "ledger after SIG$s"
	expect_eq 0 "$(pg_q "$url" "SELECT count(*) FROM pg_tables WHERE tablename IN ('sleepy', 'never')")" "tables after SIG$s"
	expect_eq 0 "$(pg_q "$url" "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")" "advisory lock after SIG$s"
done
expect_contains "$d/sig.err" "0 applied before it"

t_done
