#!/usr/bin/env bash
# Fault injection against a real PostgreSQL 15: the server stopped with
# `pg_ctl stop -m immediate` while `migrate up` is inside a long migration,
# and the runner's backend killed with pg_terminate_backend. Each for a
# transactional migration and a no-transaction one (CREATE INDEX
# CONCURRENTLY). After each fault: exit 3, a message that says the
# connection was lost and what to do, ledger and schema agree, and a rerun
# (or the documented recovery) completes. docs/faults.md describes it.
#
# This test stops and restarts a server, so it starts its OWN private one
# (tests/lib/pg.sh) in its temp dir instead of the suite's shared fixture,
# which other tests use in parallel; the exit hook stops it and removes its
# files even when the test fails.
#
# Synchronisation never sleeps a fixed time: the fault is injected once
# pg_stat_activity shows the runner's backend (found by application_name)
# inside the statement, waiting on a gate (a row lock or a table lock held
# by a helper session) that the test controls.
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib/common.sh"
source "$here/run_helpers.bash"
source "$here/../lib/pg.sh"
t_begin pg_faults

d=$(t_tmpdir)
pgdir=$d/pg
t_on_exit "pg_stop '$pgdir' >/dev/null 2>&1"
pg_start "$pgdir" || t_fail "cannot start the private PostgreSQL server"
# shellcheck source=/dev/null
source "$pgdir/env.sh"
DATA=$MIGRATE_PG_RUNDIR/data
LOG=$MIGRATE_PG_RUNDIR/log/postgres.log

pg_ctl_() { pg__as_server "$MIGRATE_PG_BINDIR/pg_ctl" -D "$DATA" "$@" </dev/null; }
server_stop_immediate() {
	pg_ctl_ -m immediate -w -t 60 -s stop >/dev/null 2>&1 ||
		t_fail "pg_ctl stop -m immediate failed"
}
server_start() {
	pg_ctl_ -l "$LOG" -w -t 120 -s start >/dev/null 2>&1 || {
		cat -- "$LOG" >&2
		t_fail "cannot restart the private server"
	}
}

# Background helper processes (psql sessions holding a gate, the runner),
# killed by id at exit.
BG=()
t_on_exit 'for p in "${BG[@]}"; do kill "$p" 2>/dev/null; done'

# wait_for URL SQL WHAT: poll until SQL returns a non-empty, non-"0",
# non-"f" value; fail after 60 s (the machine may be loaded).
wait_for() {
	local url=$1 sql=$2 what=$3 v t0=$SECONDS
	while ((SECONDS - t0 < 60)); do
		v=$(pg_q "$url" "$sql" 2>/dev/null || true)
		[[ -n $v && $v != 0 && $v != f ]] && return 0
		sleep 0.1
	done
	t_fail "timed out after 60 s waiting for $what"
}

# runner_in URL APP PATTERN: the runner's backend (application_name APP) is
# running a statement matching PATTERN and waiting on a lock.
runner_in() {
	wait_for "$1" "SELECT count(*) FROM pg_stat_activity WHERE application_name = '$2' AND state = 'active' AND query LIKE '$3' AND wait_event_type = 'Lock'" \
		"the runner ($2) to block in: $3"
}

# ledger URL: "version|state|dirty|statements_done" rows
ledger() {
	pg_q "$1" "SELECT version || '|' || state || '|' || CASE WHEN dirty THEN 't' ELSE 'f' END || '|' || coalesce(statements_done::text, '') FROM schema_migrations ORDER BY version"
}
tables() {
	pg_q "$1" "SELECT string_agg(tablename, ' ' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'"
}
indexes() {
	pg_q "$1" "SELECT string_agg(c.relname || ':' || CASE WHEN i.indisvalid THEN 'valid' ELSE 'INVALID' END, ' ' ORDER BY c.relname) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relname LIKE '%\_idx'"
}

# The migrations. 0002 waits on the gate: it takes a row lock on gate's
# only row, which a helper session holds while the fault is injected. With
# the helper gone the same file runs at once, so the rerun needs no edit.
# 0003 is no-transaction: its first CREATE INDEX CONCURRENTLY completes,
# the second waits for a helper that holds a lock on t2 (CIC waits for
# every transaction that can write the table), so its index exists INVALID.
m=$d/m
mig_sections "$m" 0001 base "CREATE TABLE gate (id int PRIMARY KEY);
INSERT INTO gate VALUES (1);
CREATE TABLE t1 (a int);
CREATE TABLE t2 (b int);
INSERT INTO t1 SELECT generate_series(1, 1000);
INSERT INTO t2 SELECT generate_series(1, 1000);" "DROP TABLE gate, t1, t2;"
mig_sections "$m" 0002 long "CREATE TABLE long_t (x int);
INSERT INTO long_t SELECT generate_series(1, 1000);
SELECT id FROM gate WHERE id = 1 FOR UPDATE;
ALTER TABLE t1 ADD COLUMN c int;" "ALTER TABLE t1 DROP COLUMN c;
DROP TABLE long_t;"
cat >"$m/0003_idx.sql" <<'EOF'
-- migrate:up
-- migrate:no-transaction
CREATE INDEX CONCURRENTLY t1_a_idx ON t1 (a);
CREATE INDEX CONCURRENTLY t2_b_idx ON t2 (b);

-- migrate:down
-- migrate:no-transaction
DROP INDEX CONCURRENTLY IF EXISTS t2_b_idx;
DROP INDEX CONCURRENTLY IF EXISTS t1_a_idx;
EOF
mig_sections "$m" 0004 after "CREATE TABLE after_t (x int);" "DROP TABLE after_t;"

# start_gate URL SQL: a helper session that runs SQL in a transaction and
# stays idle in it (holding its locks, but no snapshot, so CREATE INDEX
# CONCURRENTLY on other tables does not wait for it) until end_gate, a
# pg_terminate_backend or the server stops. psql reads from a FIFO that
# fd 7 keeps open.
start_gate() {
	local url=$1 sql=$2
	rm -f -- "$d/gate.fifo"
	mkfifo -- "$d/gate.fifo"
	pg_psql -d "$url" -f "$d/gate.fifo" >"$d/gate.out" 2>&1 &
	BG+=($!)
	GATE=$!
	exec 7>"$d/gate.fifo"
	printf "SET application_name = 'fault_gate';\nBEGIN;\n%s;\n" "$sql" >&7
	wait_for "$url" "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'fault_gate' AND state = 'idle in transaction'" "the gate session"
}
# end_gate: close the gate's input (psql ends, its transaction rolls back)
# and wait for it.
end_gate() {
	exec 7>&-
	wait "$GATE" 2>/dev/null || true
}

# start_up URL APP ARGS...: migrate up in the background; pid in $RUNNER.
start_up() {
	local url=$1 app=$2
	shift 2
	"$MIGRATE_BIN" up --dir "$m" --database-url "$url&application_name=$app" "$@" \
		>"$d/up.out" 2>"$d/up.err" &
	RUNNER=$!
	BG+=("$RUNNER")
}

# finish_up: wait for the runner (at most 60 s); its exit code in $RC and
# its output in $OUT / $ERR for the expect_* helpers.
finish_up() {
	local i
	for ((i = 0; i < 600; i++)); do
		kill -0 "$RUNNER" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$RUNNER" 2>/dev/null && t_fail "migrate up still running 60 s after the fault"
	RC=0
	wait "$RUNNER" || RC=$?
	cp -- "$d/up.out" "$OUT"
	cp -- "$d/up.err" "$ERR"
	t_log "migrate up exited $RC; stderr:"
	sed 's/^/#   /' -- "$ERR"
}

check_tx_fault() {
	local url=$1 what=$2
	expect_eq 3 "$RC" "$what: exit code"
	expect_contains "$ERR" "$m/0002_long.sql:4:1: lost the connection to the database during statement 3 of 4 of '0002_long.sql'"
	expect_contains "$ERR" "[connection-lost]"
	expect_contains "$ERR" "hint: the server rolled the transaction back: the schema and the ledger are as before; once the server is back, run 'migrate up' again"
	expect_eq "0001|applied|f|6" "$(ledger "$url")" "$what: ledger has no row for 0002"
	expect_eq "gate t1 t2" "$(tables "$url")" "$what: 0002's table is absent"
	expect_eq 0 "$(pg_q "$url" "SELECT count(*) FROM information_schema.columns WHERE table_name = 't1' AND column_name = 'c'")" "$what: t1.c absent"
}

check_notx_fault() {
	local url=$1 what=$2
	expect_eq 3 "$RC" "$what: exit code"
	expect_contains "$ERR" "$m/0003_idx.sql:4:1: lost the connection to the database during statement 2 of 2 of '0003_idx.sql'"
	expect_contains "$ERR" "[connection-lost]"
	expect_contains "$ERR" "stays dirty (running); once the server is back, 'migrate up' says what the interrupted statement may have left"
	expect_eq "0001|applied|f|6
0002|applied|f|4
0003|running|t|1" "$(ledger "$url")" "$what: ledger row dirty with progress"
	expect_eq "t1_a_idx:valid t2_b_idx:INVALID" "$(indexes "$url")" "$what: indexes"
	# up refuses, naming the statement, the INVALID index and the recovery
	expect_exit 1 M up --dir "$m" --database-url "$url"
	expect_contains "$ERR" "$m/0003_idx.sql:4:1: migration '0003_idx.sql' is dirty: its up (no transaction) failed or was interrupted at statement 2 of 2 [dirty-migration]"
	expect_contains "$ERR" "statement 1 completed; statement 2 may have partly run: CREATE INDEX CONCURRENTLY t2_b_idx ON t2 (b);"
	expect_contains "$ERR" "index \"t2_b_idx\" exists and is INVALID"
	expect_contains "$ERR" "migrate up --resume"
	expect_contains "$ERR" "migrate mark 0003 --applied"
}

###########################################################################
t_log "1. pg_ctl stop -m immediate during a transactional migration"
url=$(pg_new_db stop_tx)
expect_exit 0 M up --to 0001 --dir "$m" --database-url "$url"
start_gate "$url" "SELECT id FROM gate FOR UPDATE"
start_up "$url" fault_stop_tx
runner_in "$url" fault_stop_tx "SELECT id FROM gate%"
server_stop_immediate
finish_up
end_gate
server_start
check_tx_fault "$url" "immediate stop, transactional"
# rerun with the same file: completes
expect_exit 0 M up --to 0002 --dir "$m" --database-url "$url"
expect_contains "$OUT" "applied  0002_long.sql"
expect_eq "0001|applied|f|6
0002|applied|f|4" "$(ledger "$url")" "rerun: ledger"
expect_eq "gate long_t t1 t2" "$(tables "$url")" "rerun: schema"

t_log "2. pg_ctl stop -m immediate during a no-transaction migration (CREATE INDEX CONCURRENTLY)"
start_gate "$url" "LOCK TABLE t2 IN ROW EXCLUSIVE MODE"
start_up "$url" fault_stop_notx
runner_in "$url" fault_stop_notx "CREATE INDEX CONCURRENTLY t2_b_idx%"
server_stop_immediate
finish_up
end_gate
server_start
check_notx_fault "$url" "immediate stop, no transaction"
# recovery as the hint says: drop the INVALID index, then resume
pg_q "$url" "DROP INDEX CONCURRENTLY t2_b_idx" >/dev/null
expect_exit 0 M up --resume --dir "$m" --database-url "$url"
expect_contains "$OUT" "resuming at statement 2"
expect_contains "$OUT" "applied  0004_after.sql"
expect_eq "0001|applied|f|6
0002|applied|f|4
0003|applied|f|2
0004|applied|f|1" "$(ledger "$url")" "resume: ledger"
expect_eq "t1_a_idx:valid t2_b_idx:valid" "$(indexes "$url")" "resume: indexes"

###########################################################################
t_log "3. pg_terminate_backend of the runner during a transactional migration"
url=$(pg_new_db term_tx)
expect_exit 0 M up --to 0001 --dir "$m" --database-url "$url"
start_gate "$url" "SELECT id FROM gate FOR UPDATE"
start_up "$url" fault_term_tx
runner_in "$url" fault_term_tx "SELECT id FROM gate%"
expect_eq t "$(pg_q "$url" "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'fault_term_tx'")" "terminated"
finish_up
check_tx_fault "$url" "terminated backend, transactional"
expect_contains "$ERR" "terminating connection due to administrator command"
# the gate is still held: the rerun would wait on it, so end it first
end_gate
wait_for "$url" "SELECT count(*) = 0 FROM pg_stat_activity WHERE application_name = 'fault_gate'" "the gate session to end"
expect_exit 0 M up --to 0002 --dir "$m" --database-url "$url"
expect_eq "gate long_t t1 t2" "$(tables "$url")" "rerun: schema"

t_log "4. pg_terminate_backend of the runner during CREATE INDEX CONCURRENTLY"
start_gate "$url" "LOCK TABLE t2 IN ROW EXCLUSIVE MODE"
start_up "$url" fault_term_notx
runner_in "$url" fault_term_notx "CREATE INDEX CONCURRENTLY t2_b_idx%"
expect_eq t "$(pg_q "$url" "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'fault_term_notx'")" "terminated"
finish_up
end_gate
wait_for "$url" "SELECT count(*) = 0 FROM pg_stat_activity WHERE application_name = 'fault_gate'" "the gate session to end"
check_notx_fault "$url" "terminated backend, no transaction"
# recovery by hand, recorded with mark
pg_q "$url" "DROP INDEX CONCURRENTLY t2_b_idx" >/dev/null
pg_q "$url" "CREATE INDEX CONCURRENTLY t2_b_idx ON t2 (b)" >/dev/null
expect_exit 0 M mark 0003 --applied --dir "$m" --database-url "$url"
expect_contains "$OUT" "(was dirty)"
expect_exit 0 M up --dir "$m" --database-url "$url"
expect_contains "$OUT" "applied  0004_after.sql"
expect_eq "0001|applied|f|6
0002|applied|f|4
0003|applied|f|2
0004|applied|f|1" "$(ledger "$url")" "mark + up: ledger"
expect_eq "t1_a_idx:valid t2_b_idx:valid" "$(indexes "$url")" "mark + up: indexes"

t_done
