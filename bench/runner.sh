#!/usr/bin/env bash
# Runner benchmark: `migrate up` of N one-table migrations and `migrate
# status`, on SQLite and PostgreSQL 15, against the stock clients running
# the same SQL with the same transaction boundaries (the floor), and
# dbmate when bench/node_modules has it (npm ci in bench/).
#
#   bash bench/runner.sh [N]          N migrations (default 500)
#
# Environment:
#   MIGRATE_BIN   binary to measure (default: a Release build made here,
#                 in build-bench/)
#   RUNS          runs per figure; the median is reported (default 5)
#   STATUS_BIG    applied migrations for the large status figure (10000)
#   SKIP_PG=1     SQLite only
#
# Every `up` run starts from a fresh database (not timed). The floor is
# one SQL file run by `sqlite3 DB .read` / `psql -X -q -v ON_ERROR_STOP=1 -f`:
# the same CREATE TABLE of the ledger, then per migration
#   BEGIN; CREATE TABLE tK (id int); INSERT INTO schema_migrations
#   (<the same 9 columns>) VALUES (...); COMMIT;
# For SQLite the file starts with PRAGMA journal_mode=TRUNCATE, as migrate
# sets it; a second SQLite floor row runs it without (sqlite3's default,
# DELETE: one directory sync more per transaction).
# `migrate status` keeps a checksum cache (docs/commands/migrate-status.md):
# here in $tmp/xdg, never in ~/.cache. The large status figures are given
# twice: cold (no cache file before each run, as in a fresh deploy
# container; the run writes it) and warm (the cache from the previous run),
# next to the floor of the database client alone reading the same ledger
# (sqlite3 / psql selecting the 9 columns, one process each).
# PostgreSQL is a throwaway server from tests/lib/pg.sh (default settings,
# fsync on, Unix socket only). Times are wall-clock seconds of the whole
# process (start, connect, work, exit). The table goes to stdout in
# Markdown; progress to stderr.
set -euo pipefail

root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
N=${1:-${N:-500}}
RUNS=${RUNS:-5}
STATUS_BIG=${STATUS_BIG:-10000}
DBMATE=$root/bench/node_modules/@dbmate/linux-x64/bin/dbmate
[[ -x $DBMATE ]] || DBMATE=

if [[ -z "${MIGRATE_BIN:-}" ]]; then
	echo "bench: building a Release binary in build-bench/" >&2
	cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release \
		-DMIGRATE_TESTS=OFF >/dev/null
	cmake --build "$root/build-bench" -j"$(nproc)" --target migrate >/dev/null
	MIGRATE_BIN=$root/build-bench/migrate
fi
M=$MIGRATE_BIN

tmp=$(mktemp -d "${TMPDIR:-/tmp}/migrate-bench.XXXXXX")
pgdir=$tmp/pg
cleanup() {
	if [[ -f "$pgdir/env.sh" ]] && declare -F pg_stop >/dev/null; then
		pg_stop "$pgdir" >/dev/null 2>&1 || true
	fi
	rm -rf -- "$tmp"
}
trap cleanup EXIT
export XDG_CACHE_HOME=$tmp/xdg
no_cache() { rm -rf -- "$XDG_CACHE_HOME/migrate"; }
LEDGER_COLS="version, name, checksum, applied_at, execution_ms, dirty, state, statements_done, applied_by"

# gen DIR COUNT: COUNT sections-layout migrations, one table each
gen() {
	local dir=$1 n=$2 i
	mkdir -p "$dir"
	for ((i = 1; i <= n; i++)); do
		printf -- '-- migrate:up\nCREATE TABLE t%d (id int);\n\n-- migrate:down\nDROP TABLE t%d;\n' \
			"$i" "$i" >"$dir/$((20240000000000 + i))_t$i.sql"
	done
}

# floor pg|sqlite COUNT: the same work as one SQL file for the stock client
floor() {
	local d=$1 n=$2 i now f
	if [[ $d == pg ]]; then
		echo 'CREATE TABLE schema_migrations (version text NOT NULL PRIMARY KEY, name text, checksum text, applied_at timestamptz, execution_ms bigint, dirty boolean, state text, statements_done integer, applied_by text);'
		now="now()"
		f=false
	else
		# what migrate's SQLite driver sets on a database in the default
		# DELETE mode (docs/internals/drivers.md): the same SQL. The
		# default itself is measured as a row of its own (floor-delete).
		[[ ${3:-} == delete ]] || echo 'PRAGMA journal_mode=TRUNCATE;'
		echo 'CREATE TABLE schema_migrations (version TEXT NOT NULL PRIMARY KEY, name TEXT, checksum TEXT, applied_at TEXT, execution_ms INTEGER, dirty INTEGER, state TEXT, statements_done INTEGER, applied_by TEXT);'
		now="strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
		f=0
	fi
	for ((i = 1; i <= n; i++)); do
		printf "BEGIN;\nCREATE TABLE t%d (id int);\nINSERT INTO schema_migrations (version, name, checksum, applied_at, execution_ms, dirty, state, statements_done, applied_by) VALUES ('%d', 't%d', '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', %s, 1, %s, 'applied', 1, 'bench@host');\nCOMMIT;\n" \
			"$i" "$((20240000000000 + i))" "$i" "$now" "$f"
	done
}

median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# the figures: R wall median, C CPU median, W each run's wall (by key)
declare -A R C W
ROWS=()
# children's user+sys seconds from a saved `times` output (line 2)
cpu_of() {
	awk 'NR == 2 { split($1, u, "m"); split($2, s, "m");
		printf "%.4f\n", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$1"
}
# measure KEY LABEL SETUP COMMAND: median wall time of RUNS runs of the
# eval'd COMMAND (so it sees variables SETUP sets), SETUP before each run;
# also the median CPU time (user + system) of the client process and its
# children, from bash's `times` (less sensitive to other load than wall
# time; it excludes the PostgreSQL server's CPU)
measure() { measure_rounds "$1|$2|$3|$4"; }
# measure_rounds "KEY|LABEL|SETUP|COMMAND"...: the same for several figures
# measured in rounds, each round running every figure once, the order
# rotated from round to round. A change in load or in the disk's flush
# latency (which `up` on SQLite waits on) then hits all of them alike,
# which figures measured one block after another do not: with blocks,
# `up` against the raw client moved between -36% and +32% from run to run
# on this machine. Each run's wall time goes to stderr as well.
measure_rounds() {
	local -a keys=() labels=() setups=() cmds=()
	local e k i j n t0 t1 c0 c1 key label setup cmd
	for e in "$@"; do
		IFS='|' read -r key label setup cmd <<<"$e"
		keys+=("$key") labels+=("$label") setups+=("$setup") cmds+=("$cmd")
	done
	n=${#keys[@]}
	for key in "${keys[@]}"; do
		: >"$tmp/times.$key"
		: >"$tmp/cpus.$key"
	done
	for ((k = 0; k < RUNS; k++)); do
		for ((j = 0; j < n; j++)); do
			i=$(((j + k) % n))
			key=${keys[i]}
			${setups[i]}
			times >"$tmp/c0" # no subshell: a subshell's children are not ours
			t0=$EPOCHREALTIME
			if ! eval "${cmds[i]}" >/dev/null 2>"$tmp/err"; then
				echo "bench: failed: ${cmds[i]}" >&2
				cat "$tmp/err" >&2
				exit 1
			fi
			t1=$EPOCHREALTIME
			times >"$tmp/c1"
			c0=$(cpu_of "$tmp/c0")
			c1=$(cpu_of "$tmp/c1")
			echo "$t0 $t1" | awk '{ printf "%.4f\n", $2 - $1 }' >>"$tmp/times.$key"
			echo "$c0 $c1" | awk '{ printf "%.4f\n", $2 - $1 }' >>"$tmp/cpus.$key"
		done
	done
	for ((i = 0; i < n; i++)); do
		key=${keys[i]}
		R[$key]=$(median <"$tmp/times.$key")
		C[$key]=$(median <"$tmp/cpus.$key")
		W[$key]=$(paste -sd, "$tmp/times.$key")
		ROWS+=("$key|${labels[i]}")
		printf '  %-52s %8.4f s wall %8.4f s cpu  (runs: %s)\n' "${labels[i]}" "${R[$key]}" "${C[$key]}" \
			"$(paste -sd' ' "$tmp/times.$key")" >&2
	done
}
noop() { :; }

m=$tmp/m$N
gen "$m" "$N"
floor sqlite "$N" >"$tmp/floor-sqlite.sql"
floor sqlite "$N" delete >"$tmp/floor-sqlite-delete.sql"
floor pg "$N" >"$tmp/floor-pg.sql"
big=$tmp/big
gen "$big" "$STATUS_BIG"
echo "bench: N=$N, RUNS=$RUNS, binary $M" >&2

# ---- SQLite
sq=$tmp/sq.db
fresh_sq() { rm -f "$sq" "$sq-journal" "$sq-wal" "$sq-shm"; }
dsq=$tmp/dm.sqlite3
fresh_dsq() { rm -f "$dsq"; }
up_sq=('sq_up|SQLite: migrate up ('"$N"' pending)|fresh_sq|"$M" up --dir "$m" --database-url "sqlite:$sq"'
	'sq_floor|SQLite: floor, sqlite3 .read (1 tx per migration)|fresh_sq|sqlite3 "$sq" ".read $tmp/floor-sqlite.sql"'
	'sq_floor_delete|SQLite: the same in sqlite3 default journal mode (DELETE)|fresh_sq|sqlite3 "$sq" ".read $tmp/floor-sqlite-delete.sql"'
	'sq_up1|SQLite: migrate up --single-transaction|fresh_sq|"$M" up --single-transaction --dir "$m" --database-url "sqlite:$sq"')
[[ -z $DBMATE ]] ||
	up_sq+=('sq_dbmate|SQLite: dbmate up --no-dump-schema|fresh_dsq|"$DBMATE" -u "sqlite:$dsq" -d "$m" --no-dump-schema up')
measure_rounds "${up_sq[@]}"
fresh_sq
"$M" up --dir "$m" --database-url "sqlite:$sq" >/dev/null
measure sq_status "SQLite: migrate status ($N applied, warm cache)" noop '"$M" status --dir "$m" --database-url "sqlite:$sq"'
measure sq_noop "SQLite: migrate up (nothing pending, $N applied)" noop '"$M" up --dir "$m" --database-url "sqlite:$sq"'
if [[ -n $DBMATE ]]; then
	"$DBMATE" -u "sqlite:$dsq" -d "$m" --no-dump-schema up >/dev/null
	measure sq_dbmate_status "SQLite: dbmate status ($N applied)" noop '"$DBMATE" -u "sqlite:$dsq" -d "$m" status'
fi
bsq=$tmp/big.db
"$M" up --single-transaction --dir "$big" --database-url "sqlite:$bsq" >/dev/null
measure sq_status_big_cold "SQLite: migrate status ($STATUS_BIG applied, cold cache)" no_cache '"$M" status --dir "$big" --database-url "sqlite:$bsq"'
measure sq_status_big "SQLite: migrate status ($STATUS_BIG applied, warm cache)" noop '"$M" status --dir "$big" --database-url "sqlite:$bsq"'
measure sq_status_big_json "SQLite: migrate status --format json ($STATUS_BIG applied, warm cache)" noop '"$M" status --format json --dir "$big" --database-url "sqlite:$bsq"'
measure sq_status_big_db "SQLite: floor, sqlite3 selecting the ledger ($STATUS_BIG rows)" noop 'sqlite3 "$bsq" "SELECT $LEDGER_COLS FROM schema_migrations"'

# ---- PostgreSQL
if [[ "${SKIP_PG:-0}" != 1 ]]; then
	# shellcheck source=tests/lib/pg.sh
	source "$root/tests/lib/pg.sh"
	pg_start "$pgdir" >/dev/null
	# shellcheck source=/dev/null
	source "$pgdir/env.sh"
	seq_db=0
	fresh_pg() {
		seq_db=$((seq_db + 1))
		PGURL=$(pg_new_db "bench_$seq_db")
	}
	dmurl() { # dbmate wants postgres://user@/db?socket=DIR&port=P
		printf 'postgres://%s@/%s?socket=%s&port=%s&sslmode=disable' \
			"$PGUSER" "bench_$seq_db" "$PGHOST" "$PGPORT"
	}
	up_pg=('pg_up|PostgreSQL: migrate up ('"$N"' pending)|fresh_pg|"$M" up --dir "$m" --database-url "$PGURL"'
		'pg_floor|PostgreSQL: floor, psql -f (1 tx per migration)|fresh_pg|pg_psql -d "$PGURL" -f "$tmp/floor-pg.sql"'
		'pg_up1|PostgreSQL: migrate up --single-transaction|fresh_pg|"$M" up --single-transaction --dir "$m" --database-url "$PGURL"')
	[[ -z $DBMATE ]] ||
		up_pg+=('pg_dbmate|PostgreSQL: dbmate up --no-dump-schema|fresh_pg|"$DBMATE" -u "$(dmurl)" -d "$m" --no-dump-schema up')
	measure_rounds "${up_pg[@]}"
	fresh_pg
	"$M" up --dir "$m" --database-url "$PGURL" >/dev/null
	measure pg_status "PostgreSQL: migrate status ($N applied, warm cache)" noop '"$M" status --dir "$m" --database-url "$PGURL"'
	measure pg_noop "PostgreSQL: migrate up (nothing pending, $N applied)" noop '"$M" up --dir "$m" --database-url "$PGURL"'
	if [[ -n $DBMATE ]]; then
		fresh_pg
		"$DBMATE" -u "$(dmurl)" -d "$m" --no-dump-schema up >/dev/null
		measure pg_dbmate_status "PostgreSQL: dbmate status ($N applied)" noop '"$DBMATE" -u "$(dmurl)" -d "$m" status'
	fi
	fresh_pg
	"$M" up --single-transaction --dir "$big" --database-url "$PGURL" >/dev/null
	measure pg_status_big_cold "PostgreSQL: migrate status ($STATUS_BIG applied, cold cache)" no_cache '"$M" status --dir "$big" --database-url "$PGURL"'
	measure pg_status_big "PostgreSQL: migrate status ($STATUS_BIG applied, warm cache)" noop '"$M" status --dir "$big" --database-url "$PGURL"'
	measure pg_status_big_db "PostgreSQL: floor, psql selecting the ledger ($STATUS_BIG rows)" noop 'pg_psql -d "$PGURL" -At -c "SELECT $LEDGER_COLS FROM schema_migrations"'
fi

# ---- the table
cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
echo
echo "Machine: $(nproc) CPUs, $cpu; $(uname -sr); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "Command: bash bench/runner.sh $N (RUNS=$RUNS, STATUS_BIG=$STATUS_BIG); median of $RUNS runs, wall seconds"
echo
echo "| figure | wall s | client CPU s | wall ms per migration | each run, wall s |"
echo "|---|---:|---:|---:|---|"
for row in "${ROWS[@]}"; do
	key=${row%%|*}
	label=${row#*|}
	per=""
	case $key in
	*_up | *_floor | *_floor_delete | *_up1 | *_dbmate) per=$(awk -v t="${R[$key]}" -v n="$N" 'BEGIN { printf "%.2f", t * 1000 / n }') ;;
	esac
	printf '| %s | %.4f | %.4f | %s | %s |\n' "$label" "${R[$key]}" "${C[$key]}" "$per" "${W[$key]}"
done
