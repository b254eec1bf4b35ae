#!/usr/bin/env bash
# kill -9 of `migrate up` / `down` at random moments, 20 times, against
# PostgreSQL 15: for every version, table exists <=> ledger row exists
# (never one without the other); then a rerun completes.
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib/common.sh"
source "$here/run_helpers.bash"
t_begin pg_run_kill
t_pg_setup

ROUNDS=${MIGRATE_KILL_ROUNDS:-20}
N=6
d=$(t_tmpdir)
m=$d/m
url=$(t_pg_new_db kill)
for ((i = 1; i <= N; i++)); do
	mig_sections "$m" "000$i" "t$i" "CREATE TABLE t$i (x int);
SELECT pg_sleep(0.12);
INSERT INTO t$i SELECT generate_series(1, 20000);" "DROP TABLE t$i;
SELECT pg_sleep(0.05);"
done

check() {
	local rows tabs i tab row
	rows=$(pg_q "$url" "SELECT string_agg(version || ':' || state || ':' || CASE WHEN dirty THEN 't' ELSE 'f' END, ' ' ORDER BY version) FROM schema_migrations" 2>/dev/null || true)
	tabs=" $(pg_q "$url" "SELECT string_agg(tablename, ' ') FROM pg_tables WHERE schemaname = 'public'") "
	for ((i = 1; i <= N; i++)); do
		tab=0
		[[ $tabs == *" t$i "* ]] && tab=1
		row=0
		[[ " $rows " == *" 000$i:applied:f "* ]] && row=1
		[[ " $rows " == *" 000$i:"* && $row == 0 ]] && t_fail "round $1: 000$i has a ledger row that is not clean: $rows"
		[[ $tab == "$row" ]] || t_fail "round $1: version 000$i: table=$tab ledger row=$row (ledger: $rows)"
	done
}

hits=0
for ((r = 1; r <= ROUNDS; r++)); do
	applied=$(pg_q "$url" "SELECT count(*) FROM schema_migrations" 2>/dev/null || echo 0)
	if ((applied == N)) || { ((applied > 0)) && ((RANDOM % 3 == 0)); }; then
		cmd=(down --all)
	else
		cmd=(up)
	fi
	# each up sleeps 0.12 s in the server and each down 0.05 s: wait a
	# random time shorter than what remains, so the kill lands mid-run
	# however fast the machine
	if [[ ${cmd[0]} == up ]]; then
		max_ms=$(( 110 * (N - applied) ))
	else
		max_ms=$(( 45 * applied ))
	fi
	"$MIGRATE_BIN" "${cmd[@]}" --dir "$m" --database-url "$url" >"$d/out" 2>&1 &
	pid=$!
	sleep "$(awk -v m="$max_ms" -v r="$RANDOM" 'BEGIN { printf "%.3f", m * r / 32768 / 1000 }')"
	if kill -0 "$pid" 2>/dev/null; then
		kill -9 "$pid" 2>/dev/null || true
		hits=$((hits + 1))
	fi
	wait "$pid" 2>/dev/null || true
	check "$r (${cmd[*]})"
done
t_log "$hits of $ROUNDS runs were killed mid-way"
((hits >= ROUNDS / 2)) || t_fail "only $hits of $ROUNDS runs were killed while running"

# the killed sessions' backends roll back and let go of the lock; a rerun
# waits for that if needed and completes
expect_exit 0 M up --dir "$m" --database-url "$url"
check final
expect_eq "$N" "$(pg_q "$url" "SELECT count(*) FROM schema_migrations WHERE state = 'applied' AND NOT dirty")" "all applied"
expect_eq 20000 "$(pg_q "$url" "SELECT count(*) FROM t$N")" "rows of the last one"

# a runner killed in the middle of a long statement: its session notices
# within about a second (client_connection_check_interval), rolls back and
# frees the lock, instead of holding it until the statement ends
mig_sections "$d/long" 0001 long "CREATE TABLE long_t (x int);
SELECT pg_sleep(30);" "DROP TABLE long_t;"
url2=$(t_pg_new_db kill_long)
"$MIGRATE_BIN" up --dir "$d/long" --database-url "$url2" >/dev/null 2>&1 &
pid=$!
for ((i = 0; i < 200; i++)); do
	[[ -n $(pg_q "$url2" "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()") ]] && break
	sleep 0.05
done
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
t0=$SECONDS
while [[ $(pg_q "$url2" "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())") != 0 ]]; do
	((SECONDS - t0 < 10)) || t_fail "the killed runner's lock was still held after 10 s"
	sleep 0.1
done
t_log "lock freed $((SECONDS - t0)) s after kill -9 in a 30 s statement"
expect_eq 0 "$(pg_q "$url2" "SELECT count(*) FROM pg_tables WHERE tablename = 'long_t'")" "rolled back"

t_done
