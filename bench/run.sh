#!/usr/bin/env bash
# bench/run.sh: the benchmark command (bench/README.md, docs/performance.md).
#
#   bash bench/run.sh [--quick] [--no-peers] [--only lint|up|status]
#                     [--runs N] [--bin PATH] [lint DIR...]
#
# Builds a Release binary in build-bench/ (unless --bin or MIGRATE_BIN names
# one) and measures, with squawk and dbmate side by side when installed:
#   lint    `migrate lint` on a generated corpus (gen_corpus.py: 3,000 files
#           of mixed DDL, fixed seed) and on ../shared/corpora when that
#           directory sits beside the repository: MB/s, statements/s, peak
#           RSS; `bench/run.sh lint DIR...` lints only the DIRs given.
#   up      bench/runner.sh (the runner's own benchmark) with N=1000:
#           `migrate up` on SQLite and PostgreSQL next to the raw sqlite3 /
#           psql client running the same SQL with the same transactions, and
#           dbmate.
#   status  `migrate status` with 10,000 applied migrations, SQLite and
#           PostgreSQL, next to dbmate status on the same files; each with
#           a cold checksum cache (none before the run: a fresh deploy
#           container) and a warm one, reported and compared with the
#           target separately. Then the same 10,000 migrations shaped
#           like a real project's schema: 100 tables, every later
#           migration adding a column (the database has 100 tables to load,
#           not 10,000), migrate only.
# Every timing is the median of 5 runs; --quick makes N small
# and runs once (a smoke test, not a measurement). PostgreSQL is a
# throwaway server started here with tests/lib/pg.sh (Unix socket only,
# default settings) and stopped on exit. The table goes to stdout; the same
# figures to bench/results/latest.json. Needs the network only for the
# one-time `npm ci` of the peers (skipped with a note when it fails).
#
# Exit status: 0 when every figure was measured (targets met or not; they
# are reported, not enforced); 1 when a measurement failed (bench/runner.sh
# failing still leaves the other figures in the table); 2 usage.
set -euo pipefail

bench_dir=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
root=$(cd -- "$bench_dir/.." && pwd)

usage() {
	sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
}

QUICK=0
FAILED=0
PEERS=1
ONLY=
RUNS_OPT=
BIN=${MIGRATE_BIN:-}
LINT_DIRS=()
while (($#)); do
	case $1 in
	--quick) QUICK=1 ;;
	--no-peers) PEERS=0 ;;
	--only)
		(($# >= 2)) || { echo "bench: --only needs lint, up or status" >&2; exit 2; }
		ONLY=$2
		shift
		;;
	--only=*) ONLY=${1#--only=} ;;
	--runs)
		(($# >= 2)) || { echo "bench: --runs needs a number" >&2; exit 2; }
		RUNS_OPT=$2
		shift
		;;
	--runs=*) RUNS_OPT=${1#--runs=} ;;
	--bin)
		(($# >= 2)) || { echo "bench: --bin needs a path" >&2; exit 2; }
		BIN=$2
		shift
		;;
	--bin=*) BIN=${1#--bin=} ;;
	-h | --help)
		usage
		exit 0
		;;
	lint)
		ONLY=lint
		shift
		LINT_DIRS=("$@")
		if ((${#LINT_DIRS[@]} == 0)); then
			echo "bench: 'lint' takes one or more directories" >&2
			exit 2
		fi
		break
		;;
	*)
		echo "bench: unknown argument '$1' (see bench/run.sh --help)" >&2
		exit 2
		;;
	esac
	shift
done
case $ONLY in
'' | lint | up | status) ;;
*)
	echo "bench: --only takes lint, up or status, not '$ONLY'" >&2
	exit 2
	;;
esac
if [[ -n $RUNS_OPT && ! $RUNS_OPT =~ ^[1-9][0-9]*$ ]]; then
	echo "bench: --runs takes a positive number, not '$RUNS_OPT'" >&2
	exit 2
fi
for d in "${LINT_DIRS[@]}"; do
	[[ -e $d ]] || { echo "bench: no such file or directory: $d" >&2; exit 2; }
done
want() { [[ -z $ONLY || $ONLY == "$1" ]]; }

# Sizes and run counts.
if ((QUICK)); then
	LINT_FILES=300 UP_N=100 STATUS_N=1000
	RUNS=1
else
	LINT_FILES=3000 UP_N=1000 STATUS_N=10000
	# 5 for every figure; up needs them most: it waits on the disk's
	# flushes, whose latency on a virtual disk jumps between two levels
	# from one minute to the next
	RUNS=5
fi
STATUS_TABLES=100
if [[ -n $RUNS_OPT ]]; then
	RUNS=$RUNS_OPT
fi
SEED=20240101

# ---- tools -----------------------------------------------------------------
need=()
for t in python3 sqlite3 cmake; do
	command -v "$t" >/dev/null 2>&1 || need+=("$t")
done
[[ -x /usr/bin/time ]] || need+=("time (Debian package 'time', for /usr/bin/time)")
if ((${#need[@]})); then
	echo "bench: missing: ${need[*]}; run scripts/install-deps.sh and apt-get install time" >&2
	exit 1
fi

results=$bench_dir/results
logs=$results/logs
mkdir -p -- "$logs"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/migrate-bench-run.XXXXXX")
pgdir=$tmp/pg
rows=$results/rows.tsv
notes=$results/notes.txt
: >"$rows"
: >"$notes"

cleanup() {
	if [[ -f "$pgdir/env.sh" ]] && declare -F pg_stop >/dev/null; then
		pg_stop "$pgdir" >/dev/null 2>&1 || true
	fi
	rm -rf -- "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

note() {
	printf '%s\n' "$*" >>"$notes"
	echo "bench: note: $*" >&2
}
slug() { printf '%s' "$1" | tr -c 'A-Za-z0-9._-' '_'; }

# ---- timing ----------------------------------------------------------------
# bench_time RUNS OKRCS OUTFILE CMD...
#   Run CMD RUNS times (stdout to OUTFILE, stderr to OUTFILE.err), each
#   under /usr/bin/time -f '%e %U %S %M'. Sets BT_WALL and BT_CPU (median
#   wall and user+system seconds; wall from bash's EPOCHREALTIME, so in
#   microseconds rather than time's 10 ms steps), BT_RSS (largest peak RSS,
#   KB), BT_WALLS (every wall time) and BT_RC (last exit status). An exit
#   status outside OKRCS is a failed measurement: exit 1.
# BENCH_SETUP, when set, names a function run before each run (not timed).
# BENCH_BARE=1 runs CMD without /usr/bin/time (for figures of a few ms,
# where its extra exec would count): then BT_CPU and BT_RSS are empty.
bench_time() {
	local runs=$1 okrcs=$2 out=$3 k t0 t1 rc walls=() cpus=() rss=0 line
	shift 3
	for ((k = 0; k < runs; k++)); do
		[[ -n ${BENCH_SETUP:-} ]] && "$BENCH_SETUP"
		rc=0
		if [[ ${BENCH_BARE:-0} == 1 ]]; then
			t0=$EPOCHREALTIME
			"$@" >"$out" 2>"$out.err" || rc=$?
			t1=$EPOCHREALTIME
		else
			t0=$EPOCHREALTIME
			/usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$@" >"$out" 2>"$out.err" || rc=$?
			t1=$EPOCHREALTIME
			line=$(tail -n 1 "$tmp/time")
			cpus+=("$(awk '{ printf "%.3f", $2 + $3 }' <<<"$line")")
			rss=$(awk -v a="$rss" '{ print ($4 > a ? $4 : a) }' <<<"$line")
		fi
		if [[ " $okrcs " != *" $rc "* ]]; then
			echo "bench: failed (exit $rc): $*" >&2
			tail -n 20 "$out.err" >&2
			exit 1
		fi
		walls+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')")
	done
	BT_RC=$rc
	BT_WALLS=$(IFS=,; echo "${walls[*]}")
	BT_WALL=$(printf '%s\n' "${walls[@]}" | median)
	if ((${#cpus[@]})); then
		BT_CPU=$(printf '%s\n' "${cpus[@]}" | median)
		BT_RSS=$rss
	else
		BT_CPU=
		BT_RSS=
	fi
}
# bt_push KEY / bt_pop KEY: accumulate single runs of bench_time under KEY
# (so two tools can be run alternately, run by run, and a change in the
# machine's load during the measurement hits both alike), then set BT_*
# from everything accumulated.
declare -A BTA_W BTA_C BTA_R BTA_RC
bt_push() {
	BTA_W[$1]+="${BTA_W[$1]:+,}$BT_WALLS"
	[[ -n $BT_CPU ]] && BTA_C[$1]+="${BTA_C[$1]:+ }$BT_CPU"
	BTA_R[$1]=$(( ${BT_RSS:-0} > ${BTA_R[$1]:-0} ? ${BT_RSS:-0} : ${BTA_R[$1]:-0} ))
	BTA_RC[$1]=$BT_RC
}
bt_pop() {
	BT_WALLS=${BTA_W[$1]}
	BT_WALL=$(tr ',' '\n' <<<"$BT_WALLS" | median)
	if [[ -n ${BTA_C[$1]:-} ]]; then
		BT_CPU=$(tr ' ' '\n' <<<"${BTA_C[$1]}" | median)
		BT_RSS=${BTA_R[$1]}
	else
		BT_CPU=
		BT_RSS=
	fi
	BT_RC=${BTA_RC[$1]}
	unset "BTA_W[$1]" "BTA_C[$1]" "BTA_R[$1]" "BTA_RC[$1]"
}
median() {
	sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) printf "%.6f\n", v[(NR + 1) / 2];
		else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# record SECTION CASE TOOL [KEY=VALUE...]: one row of the last bench_time
record() {
	local IFS=$'\t'
	printf '%s\n' "$1	$2	$3	wall=$BT_WALL	cpu=$BT_CPU	rss_kb=$BT_RSS	walls=$BT_WALLS	runs=$(tr ',' '\n' <<<"$BT_WALLS" | wc -l)	${*:4}" >>"$rows"
}

# ---- the binary --------------------------------------------------------------
if [[ -n $BIN ]]; then
	M=$(cd -- "$(dirname -- "$BIN")" && pwd)/$(basename -- "$BIN")
	[[ -x $M ]] || { echo "bench: not an executable: $BIN" >&2; exit 2; }
else
	echo "bench: building a Release binary in build-bench/" >&2
	build() { # build [C_FLAGS]
		cmake -S "$root" -B "$root/build-bench" -DCMAKE_BUILD_TYPE=Release \
			-DMIGRATE_TESTS=OFF "-DCMAKE_C_FLAGS=${1:-}" &&
			cmake --build "$root/build-bench" -j"$(nproc)" --target migrate
	}
	if ! build >"$logs/build.log" 2>&1; then
		# -O3 finds warnings the everyday -O2 builds do not, and -Werror
		# makes them fatal. They do not change the code, so measure anyway
		# with exactly those demoted, and say so.
		mv -f -- "$logs/build.log" "$logs/build-werror.log"
		demote=$(grep -o -- '-Werror=[a-z0-9-]*' "$logs/build-werror.log" | sort -u |
			sed 's/^-Werror=/-Wno-error=/' | paste -sd ' ')
		if [[ -z $demote ]] || ! build "$demote" >"$logs/build.log" 2>&1; then
			echo "bench: the Release build failed; see bench/results/logs/build*.log:" >&2
			grep -h -E 'error' "$logs/build-werror.log" "$logs/build.log" | head -n 10 >&2
			exit 1
		fi
		where=$(grep -E 'error: .*\[-Werror=' "$logs/build-werror.log" |
			sed -E "s|^$root/||; s|^([^:]+:[0-9]+):.*\[(-Werror=[a-z0-9-]*)=?\]$|\1 \2|" |
			sort -u | paste -sd ',' | sed 's/,/, /g')
		note "the Release (-O3) build stops on warnings that -Werror makes fatal and the -O2 builds do not show ($where); measured a build with $demote (same code, warnings not fatal); see bench/results/logs/build-werror.log"
	fi
	M=$root/build-bench/migrate
fi

# ---- peers -------------------------------------------------------------------
SQUAWK=
DBMATE=
PEER_VERSIONS=
# shellcheck source=bench/peers.sh
source "$bench_dir/peers.sh"
if ((PEERS)); then
	peers_setup
	[[ -n $PEERS_NOTE ]] && note "$PEERS_NOTE"
	[[ -n $SQUAWK ]] && PEER_VERSIONS=$(peers_versions)
else
	note "--no-peers: squawk and dbmate not run"
fi

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench: binary $M; runs $RUNS; load average $load_start" >&2

# ---- lint --------------------------------------------------------------------
if want lint; then
	# shellcheck source=bench/lint.sh
	source "$bench_dir/lint.sh"
	if ((${#LINT_DIRS[@]})); then
		for d in "${LINT_DIRS[@]}"; do
			lint_case "$d" "$d"
		done
	else
		gen=$tmp/lint-corpus
		python3 "$bench_dir/gen_corpus.py" lint "$gen" --files "$LINT_FILES" \
			--seed "$SEED" >/dev/null
		lint_case "generated ($LINT_FILES files, seed $SEED)" "$gen"
		corpora=$root/../shared/corpora
		if [[ -d $corpora ]]; then
			corpora=$(cd -- "$corpora" && pwd)
			mapfile -t projects < <(find "$corpora" -mindepth 1 -maxdepth 1 -type d \
				! -name '.*' | LC_ALL=C sort)
			if ((${#projects[@]})); then
				lint_case "real corpora (../shared/corpora, ${#projects[@]} projects)" \
					"${projects[@]}"
			fi
		else
			note "../shared/corpora not found beside the repository: real-corpus lint figures skipped"
		fi
	fi
fi

# ---- PostgreSQL (for status) -------------------------------------------------
start_pg() {
	[[ -f "$pgdir/env.sh" ]] && return 0
	command -v psql >/dev/null 2>&1 || { echo "bench: psql not found" >&2; exit 1; }
	# shellcheck source=tests/lib/pg.sh
	source "$root/tests/lib/pg.sh"
	if ! pg_start "$pgdir" >/dev/null; then
		echo "bench: could not start PostgreSQL (tests/lib/pg.sh)" >&2
		exit 1
	fi
	# shellcheck source=/dev/null
	source "$pgdir/env.sh"
	PG_SETTINGS=$(pg_psql -d postgres -At -F '=' -c "SELECT name, setting ||
		coalesce(unit, '') FROM pg_settings WHERE name IN ('server_version',
		'fsync', 'synchronous_commit', 'full_page_writes', 'wal_level',
		'shared_buffers', 'max_wal_size', 'checkpoint_timeout', 'wal_sync_method')
		ORDER BY name" | paste -sd ' ')
}
PG_SETTINGS=

# ---- up (bench/runner.sh) -----------------------------------------------------
if want up; then
	if [[ -f $bench_dir/runner.sh ]]; then
		echo "bench: up: bash bench/runner.sh $UP_N (RUNS=$RUNS)" >&2
		if ! MIGRATE_BIN=$M RUNS=$RUNS STATUS_BIG=$STATUS_N \
			bash "$bench_dir/runner.sh" "$UP_N" >"$logs/runner.md" 2>"$logs/runner.err"; then
			echo "bench: bench/runner.sh failed; see bench/results/logs/runner.err:" >&2
			tail -n 20 "$logs/runner.err" >&2
			note "bench/runner.sh failed, so there are no up figures: $(tail -n 1 "$logs/runner.err" | sed "s|$root/||g")"
			FAILED=1
		fi
		# Its Markdown table: | figure | wall s | [client CPU s |] ... |
		awk -F'|' -v n="$UP_N" -v runs="$RUNS" '
			/^\| *figure/ { cpucol = 0; runcol = 0
				for (i = 3; i < NF; i++) { if ($i ~ /CPU/) cpucol = i; if ($i ~ /each run/) runcol = i }
				next }
			/^\| / && $3 ~ /[0-9]/ {
				gsub(/^ +| +$/, "", $2); gsub(/ /, "", $3)
				c = cpucol ? $cpucol : ""; gsub(/ /, "", c)
				w = runcol ? $runcol : ""; gsub(/ /, "", w)
				printf "up\t%s\trunner.sh\twall=%s\tcpu=%s\trss_kb=\twalls=%s\truns=%s\tn=%s\n", $2, $3, c, w, runs, n
			}' "$logs/runner.md" >>"$rows"
		if ((!PEERS)); then
			note "--no-peers: bench/runner.sh runs dbmate by itself when bench/node_modules has it; its dbmate rows are left out here"
		fi
	else
		note "bench/runner.sh not found: the up figures are skipped"
	fi
fi

# ---- status with STATUS_N applied -------------------------------------------
if want status; then
	# status_case LABEL TAG: cmd_m (and cmd_d when dbmate is there), run
	# alternately RUNS times; without /usr/bin/time (a few ms matter here).
	# Twice per database: cold (no cache file before each run, as in a
	# fresh deploy container; the run writes it) next to dbmate, then warm
	# (the cache of the previous run). The cache lives in $tmp/xdg.
	export XDG_CACHE_HOME=$tmp/xdg
	no_cache() { rm -rf -- "$XDG_CACHE_HOME/migrate"; }
	status_case() {
		local k
		for ((k = 0; k < RUNS; k++)); do
			BENCH_SETUP=no_cache BENCH_BARE=1 bench_time 1 "0" "$logs/status-$2-migrate.txt" "${cmd_m[@]}"
			bt_push m
			if ((${#cmd_d[@]})); then
				BENCH_BARE=1 bench_time 1 "0" "$logs/status-$2-dbmate.txt" "${cmd_d[@]}"
				bt_push d
			fi
		done
		bt_pop m
		record status "$1, cold cache" migrate "n=$STATUS_N"
		if ((${#cmd_d[@]})); then
			bt_pop d
			record status "$1, cold cache" dbmate "n=$STATUS_N"
			grep -q "Applied: $STATUS_N" "$logs/status-$2-dbmate.txt" ||
				note "dbmate status ($1) did not report 'Applied: $STATUS_N'; see bench/results/logs/status-$2-dbmate.txt"
		fi
		"${cmd_m[@]}" >/dev/null # the cache, for certain
		BENCH_BARE=1 bench_time "$RUNS" "0" "$logs/status-$2-migrate-warm.txt" "${cmd_m[@]}"
		cmp -s "$logs/status-$2-migrate.txt" "$logs/status-$2-migrate-warm.txt" ||
			note "migrate status ($1) printed something else with a warm cache; see bench/results/logs/status-$2-migrate*.txt"
		record status "$1, warm cache" migrate "n=$STATUS_N"
	}
	big=$tmp/status-corpus
	python3 "$bench_dir/gen_corpus.py" up "$big" --n "$STATUS_N" >/dev/null
	# the same number of migrations with a schema shaped like a real
	# project's: STATUS_TABLES tables, every later migration adds a column
	# (the ledger is as large; the database has far fewer tables to load)
	wide=$tmp/status-corpus-wide
	python3 "$bench_dir/gen_corpus.py" up "$wide" --n "$STATUS_N" --tables "$STATUS_TABLES" >/dev/null
	echo "bench: status: $STATUS_N applied migrations" >&2
	# seed TAG DIR URL: apply DIR's migrations to URL (not timed)
	seed() {
		"$M" up --single-transaction --dir "$2" --database-url "$3" \
			>"$logs/status-seed-$1.txt" 2>&1 || {
			echo "bench: seeding the $1 ledger failed:" >&2
			tail "$logs/status-seed-$1.txt" >&2
			exit 1
		}
	}
	# wide_case TAG URL: status over $wide, migrate only, in URL's database
	wide_case() {
		seed "$1-wide" "$wide" "$2"
		cmd_m=("$M" status --dir "$wide" --database-url "$2")
		cmd_d=()
	}

	# SQLite
	sq=$tmp/status.sqlite3
	seed sqlite "$big" "sqlite:$sq"
	cmd_m=("$M" status --dir "$big" --database-url "sqlite:$sq")
	cmd_d=()
	if [[ -n $DBMATE ]]; then
		dsq=$tmp/status-dbmate.sqlite3
		if dbmate_seed "sqlite:$dsq" "$big" sqlite3 "$dsq"; then
			cmd_d=("$DBMATE" -u "sqlite:$dsq" -d "$big" status)
		else
			note "could not prepare dbmate's SQLite ledger: no dbmate status figure for SQLite"
			FAILED=1
		fi
	fi
	# files changed in the last 2 s are never cached (racily clean): let
	# the corpus age, or the warm figure would be a cold one
	sleep 3
	status_case "SQLite, $STATUS_N applied" sqlite
	wide_case sqlite "sqlite:$tmp/status-wide.sqlite3"
	status_case "SQLite, $STATUS_N applied, $STATUS_TABLES tables" sqlite-wide

	# PostgreSQL
	start_pg
	pg_url=$(pg_new_db status_migrate)
	seed pg "$big" "$pg_url"
	cmd_m=("$M" status --dir "$big" --database-url "$pg_url")
	cmd_d=()
	if [[ -n $DBMATE ]]; then
		pg_new_db status_dbmate >/dev/null
		durl=$(dbmate_pg_url status_dbmate)
		if dbmate_seed "$durl" "$big" pg_psql -d status_dbmate -f -; then
			cmd_d=("$DBMATE" -u "$durl" -d "$big" status)
		else
			note "could not prepare dbmate's PostgreSQL ledger: no dbmate status figure for PostgreSQL"
			FAILED=1
		fi
	fi
	status_case "PostgreSQL, $STATUS_N applied" pg
	wide_case pg "$(pg_new_db status_wide)"
	status_case "PostgreSQL, $STATUS_N applied, $STATUS_TABLES tables" pg-wide
fi

# Process start floor: what any command pays here before doing work.
BENCH_BARE=1 bench_time "$RUNS" "0" "$tmp/true.txt" /bin/true
record floor "process start (/bin/true)" none

# PostgreSQL settings, also when only runner.sh used a server.
if [[ -z $PG_SETTINGS ]] && { want up || want status; }; then
	start_pg
fi
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- report ------------------------------------------------------------------
tmpfs=$(df -P "${TMPDIR:-/tmp}" | awk 'NR == 2 { print $1 }')
cmdline="bash bench/run.sh"
((QUICK)) && cmdline+=" --quick"
((PEERS)) || cmdline+=" --no-peers"
[[ -n $RUNS_OPT ]] && cmdline+=" --runs $RUNS_OPT"
if ((${#LINT_DIRS[@]})); then
	cmdline+=" lint ${LINT_DIRS[*]}"
elif [[ -n $ONLY ]]; then
	cmdline+=" --only $ONLY"
fi
export B_CMD=$cmdline
export B_QUICK=$QUICK B_RUNS=$RUNS B_UP_N=$UP_N B_STATUS_N=$STATUS_N
export B_LINT_FILES=$LINT_FILES B_SEED=$SEED B_BIN=$M
export B_PEERS=$PEER_VERSIONS B_LOAD_START=$load_start B_LOAD_END=$load_end
export B_PG_SETTINGS=$PG_SETTINGS
export B_NPROC=$(nproc)
export B_CPU=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
export B_MEM=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
export B_DISK="$(df -PT "${TMPDIR:-/tmp}" | awk 'NR == 2 { print $2 " on " $1 }')$(
	dev=$(basename "$tmpfs"); dev=${dev%%[0-9]*}
	[[ -r /sys/block/$dev/queue/rotational ]] &&
		{ [[ $(cat "/sys/block/$dev/queue/rotational") == 1 ]] && echo ' (rotational)' || echo ' (non-rotational)'; })"
export B_KERNEL=$(uname -sr)
export B_OS=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")
export B_CC=$(cc --version 2>/dev/null | head -n 1)
export B_SQLITE=$(sqlite3 --version | awk '{ print $1 }')
export B_GIT=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
export B_DIRTY=$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo yes || echo no)
python3 - "$rows" "$notes" "$results/latest.json" <<'PY'
import json, os, re, sys, time

rows_path, notes_path, out_path = sys.argv[1:4]
E = os.environ
rows = []
for line in open(rows_path, encoding="utf-8"):
    f = line.rstrip("\n").split("\t")
    r = {"section": f[0], "case": f[1], "tool": f[2]}
    for kv in f[3:]:
        if "=" in kv:
            k, v = kv.split("=", 1)
            r[k] = v
    for k in ("wall", "cpu"):
        r[k] = float(r[k]) if r.get(k) else None
    for k in ("rss_kb", "runs", "files", "bytes", "statements", "findings", "rc", "n"):
        if r.get(k):
            r[k] = int(float(r[k]))
        else:
            r.pop(k, None)
    r["walls"] = [float(x) for x in r.get("walls", "").split(",") if x]
    rows.append(r)
notes = [l.rstrip("\n") for l in open(notes_path, encoding="utf-8") if l.strip()]

def fmt(x, nd=3):
    return "-" if x is None else ("%.*f" % (nd, x))

res = {
    "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    "command": E["B_CMD"],
    "quick": E["B_QUICK"] == "1",
    "git": {"commit": E["B_GIT"], "dirty_tracked_files": E["B_DIRTY"] == "yes"},
    "binary": E["B_BIN"],
    "runs": int(E["B_RUNS"]),
    "machine": {
        "nproc": int(E["B_NPROC"]), "cpu": E["B_CPU"], "memory": E["B_MEM"],
        "disk": E["B_DISK"], "os": E["B_OS"], "kernel": E["B_KERNEL"],
        "compiler": E["B_CC"], "sqlite": E["B_SQLITE"],
        "postgres_settings": E["B_PG_SETTINGS"],
        "load_average_start": E["B_LOAD_START"], "load_average_end": E["B_LOAD_END"],
    },
    "peers": E["B_PEERS"] or None,
    "lint": [], "up": {}, "status": [], "targets": [], "notes": notes,
}
out = []
P = out.append
m = res["machine"]
P("migrate benchmarks  %s  commit %s%s" % (res["generated_at"], res["git"]["commit"],
                                            " (tracked files modified)" if res["git"]["dirty_tracked_files"] else ""))
P("machine: %s CPUs, %s, %s RAM, %s; %s; %s" % (m["nproc"], m["cpu"], m["memory"], m["disk"], m["os"], m["kernel"]))
P("load average: %s at start, %s at end" % (m["load_average_start"], m["load_average_end"]))
if m["postgres_settings"]:
    P("PostgreSQL: %s" % m["postgres_settings"])
P("command: %s%s" % (res["command"], "   [QUICK: smoke test, not a measurement]" if res["quick"] else ""))
if res["peers"]:
    P("peers: %s" % res["peers"])

# ---- lint
lint = [r for r in rows if r["section"] == "lint"]
cases = []
for r in lint:
    if r["case"] not in cases:
        cases.append(r["case"])
if cases:
    P("")
    P("LINT  (median of %d runs; MB = 10^6 bytes; CPU = user+system)" % res["runs"])
    hdr = "%-44s %-8s %6s %7s %7s %8s %8s %8s %8s %10s %8s %8s" % (
        "corpus", "tool", "files", "MB", "stmts", "wall s", "CPU s", "MB/s", "MB/CPU-s",
        "stmts/s", "peak MB", "findings")
    P(hdr)
    P("-" * len(hdr))
for c in cases:
    entry = {"corpus": c}
    for r in lint:
        if r["case"] != c:
            continue
        mb = r["bytes"] / 1e6
        d = {
            "wall_s": r["wall"], "cpu_s": r["cpu"], "peak_rss_kb": r.get("rss_kb"),
            "mb_per_s": mb / r["wall"], "mb_per_cpu_s": mb / r["cpu"] if r["cpu"] else None,
            "statements_per_s": r["statements"] / r["wall"], "findings": r.get("findings"),
            "exit_status": r.get("rc"), "runs": r.get("runs"), "walls_s": r["walls"],
        }
        entry.update({"files": r["files"], "bytes": r["bytes"], "statements": r["statements"]})
        entry[r["tool"]] = d
        P("%-44s %-8s %6d %7.2f %7d %8.3f %8s %8.2f %8s %10.0f %8.1f %8s" % (
            c[:44], r["tool"], r["files"], mb, r["statements"], r["wall"], fmt(r["cpu"]),
            d["mb_per_s"], fmt(d["mb_per_cpu_s"], 2), d["statements_per_s"],
            (r.get("rss_kb") or 0) / 1024, r.get("findings", "-")))
    if "migrate" in entry and "squawk" in entry:
        a, b = entry["migrate"], entry["squawk"]
        entry["speedup_vs_squawk_wall"] = b["wall_s"] / a["wall_s"]
        entry["speedup_vs_squawk_cpu"] = (b["cpu_s"] / a["cpu_s"]) if a["cpu_s"] and b["cpu_s"] else None
        P("%-44s migrate throughput / squawk's: %.2fx wall, %sx CPU" % (
            "", entry["speedup_vs_squawk_wall"], fmt(entry["speedup_vs_squawk_cpu"], 2)))
    res["lint"].append(entry)

# ---- up (runner.sh rows)
up = [r for r in rows if r["section"] == "up"]
if up:
    peers_ok = bool(res["peers"])
    n = up[0].get("n")
    P("")
    P("UP  (bench/runner.sh %s, median of %d runs; each run starts from a fresh database;" % (n, res["runs"]))
    P("     client CPU = user+system of the client process, not the PostgreSQL server's)")
    P("     best = the fastest of the runs: the disk's flush latency only ever adds)")
    P("  %-62s %9s %9s %8s %9s" % ("figure", "wall s", "CPU s", "ms/migr.", "best s"))
    rows_up = []
    for r in up:
        if not peers_ok and "dbmate" in r["case"]:
            continue
        per = ""
        if re.search(r"migrate up \(\d+ pending\)|floor, (sqlite3 \.read|psql -f)|default journal mode|single-transaction|dbmate up", r["case"]):
            per = "%.2f" % (r["wall"] * 1000 / n)
        best = min(r["walls"]) if r["walls"] else None
        rows_up.append({"figure": r["case"], "wall_s": r["wall"], "client_cpu_s": r["cpu"],
                        "ms_per_migration": float(per) if per else None,
                        "walls_s": r["walls"], "best_wall_s": best})
        P("  %-62s %9.4f %9s %8s %9s" % (r["case"], r["wall"], fmt(r["cpu"], 4), per, fmt(best, 4)))
    res["up"] = {"n": n, "runs": res["runs"], "source": "bench/runner.sh", "figures": rows_up}

    def find(db, pat, field="wall_s"):
        for x in rows_up:
            if x["figure"].startswith(db + ":") and re.search(pat, x["figure"]):
                return x[field]
        return None
    for db in ("SQLite", "PostgreSQL"):
        mu = find(db, r"migrate up \(\d+ pending\)")
        fl = find(db, r"floor, (sqlite3 \.read|psql -f)")
        dm = find(db, r"dbmate up")
        d = {"migrate_s": mu, "raw_client_s": fl, "dbmate_s": dm}
        if mu and fl:
            d["migrate_over_raw"] = mu / fl
        if mu and dm:
            d["dbmate_over_migrate"] = dm / mu
        res["up"][db] = d
        if mu and fl:
            P("  %s: migrate up = %.2fx the raw client (%+.1f%%)%s" % (
                db, mu / fl, (mu / fl - 1) * 100,
                ("; dbmate takes %.2fx migrate's time" % (dm / mu)) if dm else ""))
        bmu = find(db, r"migrate up \(\d+ pending\)", "best_wall_s")
        bfl = find(db, r"floor, (sqlite3 \.read|psql -f)", "best_wall_s")
        bdm = find(db, r"dbmate up", "best_wall_s")
        if bmu and bfl:
            d["best_migrate_over_raw"] = bmu / bfl
            P("  %s, fastest runs: migrate up = %.2fx the raw client (%+.1f%%)%s" % (
                db, bmu / bfl, (bmu / bfl - 1) * 100,
                ("; dbmate takes %.2fx migrate's time" % (bdm / bmu)) if bdm else ""))
        if mu and fl:
            res["targets"].append({"target": "up within 10%% of the raw client, %s" % db,
                                   "value": "%+.1f%%" % ((mu / fl - 1) * 100), "met": mu <= fl * 1.10})
        if mu and dm:
            # within 2% either way is a tie, not a win: the medians of
            # this disk move more than that from run to run
            ratio = dm / mu
            res["targets"].append({"target": "up faster than dbmate, %s" % db,
                                   "value": "dbmate %.3fx migrate's time" % ratio,
                                   "met": ratio > 1.02,
                                   "verdict": "tie" if abs(ratio - 1) <= 0.02 else None})

# ---- status
st = [r for r in rows if r["section"] == "status"]
if st:
    P("")
    P("STATUS  (median of %d runs, wall ms, whole process: start, connect, read, print, exit)" % res["runs"])
    for c in [x for i, x in enumerate([r["case"] for r in st]) if x not in [r["case"] for r in st][:i]]:
        e = {"case": c}
        for r in st:
            if r["case"] == c:
                e[r["tool"] + "_ms"] = r["wall"] * 1000
                e[r["tool"] + "_walls_ms"] = [w * 1000 for w in r["walls"]]
        line = "  %-46s migrate %7.1f ms" % (c, e["migrate_ms"])
        if "dbmate_ms" in e:
            e["dbmate_over_migrate"] = e["dbmate_ms"] / e["migrate_ms"]
            line += "   dbmate %7.1f ms   (dbmate %.2fx migrate's time)" % (e["dbmate_ms"], e["dbmate_over_migrate"])
        P(line)
        res["status"].append(e)
        res["targets"].append({"target": "status under 50 ms, %s" % c,
                               "value": "%.1f ms" % e["migrate_ms"], "met": e["migrate_ms"] < 50})

fl = [r for r in rows if r["section"] == "floor"]
if fl:
    res["process_start_ms"] = fl[0]["wall"] * 1000
    P("")
    P("process start floor here: %.1f ms (/bin/true from bash, median)" % res["process_start_ms"])

for e in res["lint"]:
    if e.get("speedup_vs_squawk_wall") and e["corpus"].startswith("generated"):
        res["targets"].insert(0, {"target": "lint at least 4x squawk's throughput (generated corpus)",
                                  "value": "%.2fx wall, %sx CPU" % (e["speedup_vs_squawk_wall"], fmt(e["speedup_vs_squawk_cpu"], 2)),
                                  "met": e["speedup_vs_squawk_wall"] >= 4})
if res["targets"]:
    P("")
    P("TARGETS")
    for t in res["targets"]:
        P("  %-7s %-60s %s" % (t.get("verdict") or ("met" if t["met"] else "MISSED"), t["target"], t["value"]))
if notes:
    P("")
    P("NOTES")
    for n_ in notes:
        P("  - " + n_)
print("\n".join(out))
res["table"] = out
with open(out_path, "w", encoding="utf-8") as f:
    json.dump(res, f, indent=2)
    f.write("\n")
PY
echo "bench: results in bench/results/latest.json; logs in bench/results/logs/" >&2
exit "$FAILED"
