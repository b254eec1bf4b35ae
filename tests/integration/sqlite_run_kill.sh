#!/usr/bin/env bash
# kill -9 of `migrate up` / `migrate down` at random moments, 30 times, on
# a real SQLite file: a migration is never applied without its ledger row
# nor recorded without being applied (every migration creates a table: for
# each version, table exists <=> ledger row exists). Then a rerun completes.
# migrate writes in journal_mode=TRUNCATE (the -journal is kept, emptied at
# each commit). A kill mid-migration leaves a journal: hot once SQLite has
# synced it (its header then starts with the journal magic; the database
# file may have been written), which the next reader (status here) rolls
# back; before that its header is zeros and the database file untouched,
# and SQLite ignores it. A kill between commits leaves an empty one. After
# the final rerun no -journal is left.
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib/common.sh"
source "$here/run_helpers.bash"
t_begin sqlite_run_kill

ROUNDS=${MIGRATE_KILL_ROUNDS:-30}
N=6
d=$(t_tmpdir)
m=$d/m
db=$d/app.db
U="sqlite:$db"
for ((i = 1; i <= N; i++)); do
	# slow enough (a few hundred ms) to be hit mid-way
	mig_sections "$m" "000$i" "t$i" "CREATE TABLE t$i (x INTEGER);
INSERT INTO t$i WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 120000) SELECT i FROM c;
CREATE INDEX t${i}_x ON t$i (x);" "DROP TABLE t$i;"
done

check() {
	local i tab row rows
	rows=$(sqlite_q "$db" "SELECT version || ':' || coalesce(state, '') FROM schema_migrations ORDER BY 1" 2>/dev/null || true)
	for ((i = 1; i <= N; i++)); do
		tab=$(sqlite_q "$db" "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 't$i'")
		row=0
		[[ $'\n'$rows$'\n' == *$'\n'"000$i:applied"$'\n'* ]] && row=1
		[[ $'\n'$rows$'\n' == *$'\n'"000$i:"* && $row == 0 ]] &&
			t_fail "round $1: 000$i has a ledger row that is not 'applied': $rows"
		if [[ $tab != "$row" ]]; then
			t_fail "round $1: version 000$i: table exists=$tab but ledger row=$row (ledger: $rows)"
		fi
	done
}

# How long does one migration take on this machine? A full `up` on a
# scratch copy, so kills land mid-run on a fast idle machine as on a loaded
# one: each round sleeps a random time shorter than what remains to do.
t0=$(date +%s%N)
"$MIGRATE_BIN" up --dir "$m" --database-url "sqlite:$d/calibrate.db" >/dev/null 2>&1 ||
	t_fail "calibration up failed"
per_ms=$(( ($(date +%s%N) - t0) / 1000000 / N ))
((per_ms > 0)) || per_ms=1
t_log "one migration takes about $per_ms ms here"

# is_hot FILE: the journal exists and its first byte is not zero (SQLite's
# test for a hot journal)
is_hot() {
	[[ -s $1 ]] && [[ $(od -An -tx1 -N1 -- "$1" | tr -d ' \n') != 00 ]]
}
hits=0
hot=0    # kills that left a hot journal
cold=0   # ... a journal not synced yet (header zeros)
empty=0  # ... an empty one
for ((r = 1; r <= ROUNDS; r++)); do
	applied=$(sqlite_q "$db" "SELECT count(*) FROM schema_migrations" 2>/dev/null || echo 0)
	if ((applied == N)) || { ((applied > 0)) && ((RANDOM % 3 == 0)); }; then
		cmd=(down --all)
	else
		cmd=(up)
	fi
	# up: anywhere in the migrations still to apply; down is quick, so
	# at most one migration's time
	if [[ ${cmd[0]} == up ]]; then
		max_ms=$(( per_ms * (N - applied) * 9 / 10 ))
	else
		max_ms=$per_ms
	fi
	"$MIGRATE_BIN" "${cmd[@]}" --dir "$m" --database-url "$U" >"$d/out" 2>&1 &
	pid=$!
	sleep "$(awk -v m="$max_ms" -v r="$RANDOM" 'BEGIN { printf "%.3f", m * r / 32768 / 1000 }')"
	if kill -0 "$pid" 2>/dev/null; then
		kill -9 "$pid" 2>/dev/null || true
		hits=$((hits + 1))
	fi
	wait "$pid" 2>/dev/null || true
	if is_hot "$db-journal"; then
		hot=$((hot + 1))
	elif [[ -s $db-journal ]]; then
		cold=$((cold + 1))
	elif [[ -e $db-journal ]]; then
		empty=$((empty + 1))
	fi
	# status reads a database a writer died in (hot journal) before
	# anything else touches it
	"$MIGRATE_BIN" status --dir "$m" --database-url "$U" >"$d/status" 2>&1 ||
		t_fail "round $r: status after kill -9 failed: $(cat "$d/status")"
	! is_hot "$db-journal" || t_fail "round $r: a hot journal is still there after status"
	check "$r (${cmd[*]})"
done
t_log "$hits of $ROUNDS runs were killed mid-way; left behind: $hot hot journals, $cold not synced yet, $empty empty"
# downs often finish first; most ups are hit: a third is a real minimum
((hits >= ROUNDS / 3)) || t_fail "only $hits of $ROUNDS runs were killed while running"

# a rerun completes from whatever state the kills left
expect_exit 0 M up --dir "$m" --database-url "$U"
check final
expect_eq "$N" "$(sqlite_q "$db" "SELECT count(*) FROM schema_migrations WHERE state = 'applied' AND NOT dirty")" "all applied"
expect_eq 120000 "$(sqlite_q "$db" "SELECT count(*) FROM t$N")" "rows of the last one"
expect_eq ok "$(sqlite_q "$db" "PRAGMA integrity_check")" "integrity"
[[ ! -e $db-journal ]] || t_fail "a -journal is left after the rerun ($(stat -c %s -- "$db-journal") bytes)"

t_done
