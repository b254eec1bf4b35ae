#!/usr/bin/env bash
# Bad-input sweep, part 2: inputs that are too big or too deep (docs/fuzzing.md,
# "Bad input"). Every input is generated here, in a temp dir. One part per
# ctest entry, so each has its own time budget and two run in parallel:
#
#   sqlite_badinput_big.sh [big]  a 100 MB migration (1 KiB string literals)
#   sqlite_badinput_many.sh       a million statements
#   sqlite_badinput_deep.sh       100k nested parentheses, a 2000-deep
#                                 expression, 100k nested block comments,
#                                 100k-character identifiers, quoted
#                                 identifiers, strings, dollar tags, comments
#
# The big inputs go through `migrate lint FILE`, `migrate status` and
# `migrate up --dry-run` (SQLite database); the deep ones through those and
# `migrate lint DIR`. Each must give the right answer or a positioned error
# with a hint and exit 2; never a crash, a sanitizer report or a timeout
# (MIGRATE_BADINPUT_TIMEOUT, default 240 s per command for the big inputs,
# 60 s for the deep ones). Peak memory (/usr/bin/time -f %M) of the big
# inputs must stay under MIGRATE_BADINPUT_MEM_RATIO (default 40) times the
# input size plus 64 MiB; each figure is logged as "# peak memory: ...".
#
# In a sanitizer build (MIGRATE_BUILD or MIGRATE_BIN path containing "asan",
# an ASan runtime in the binary, or MIGRATE_BADINPUT_SMALL=1) the big inputs
# are scaled down 10x and the memory bound is only logged (shadow memory).
# Pending commands ("not implemented yet") are logged; with
# MIGRATE_BADINPUT_STRICT=1 they fail.
part=${1:-big}
case $part in
big | many | deep) ;;
*) echo "usage: $0 [big|many|deep]" >&2; exit 2 ;;
esac
source "${MIGRATE_SRC:?}/tests/lib/common.sh"
t_begin "sqlite_badinput_$part"

[[ -x "${MIGRATE_BIN:-}" ]] || t_fail "MIGRATE_BIN is not set or not executable"
if [[ $part == deep ]]; then
	BI_TIMEOUT=${MIGRATE_BADINPUT_TIMEOUT:-60}
else
	BI_TIMEOUT=${MIGRATE_BADINPUT_TIMEOUT:-240}
fi
RATIO=${MIGRATE_BADINPUT_MEM_RATIO:-40}
BI_FAILED=()
BI_PENDING=()
BI_PASSED=0

small=0
if [[ "${MIGRATE_BADINPUT_SMALL:-0}" == 1 || "${MIGRATE_BUILD:-}" == *asan* ||
	"$MIGRATE_BIN" == *asan* ]] ||
	nm "$MIGRATE_BIN" 2>/dev/null | grep -q ' __asan_init' ||
	{ command -v ldd >/dev/null && ldd "$MIGRATE_BIN" 2>/dev/null | grep -q libasan; }; then
	small=1
fi
if ((small)); then
	BIG_MB=10
	NSTMT=100000
	DEPTH=100000
	t_log "sanitizer build: 10 MB file and 100k statements; memory bound logged only"
else
	BIG_MB=100
	NSTMT=1000000
	DEPTH=100000
fi

timecmd=()
if [[ -x /usr/bin/time ]]; then
	timecmd=(/usr/bin/time -f %M -o)
else
	t_log "no /usr/bin/time (apt-get install time): peak memory is not measured"
fi

# bi_run NAME EXPECT WHERE MEMFILE CMD...  (see sqlite_badinput_sweep.sh)
#   MEMFILE: input whose size bounds peak memory, or "" for no bound
bi_run() {
	local name=$1 expect=$2 where=$3 memfile=$4 rc=0 why='' kb size mb ratio
	shift 4
	local out=$T_BASE/case.out err=$T_BASE/case.err all=$T_BASE/case.all
	local mem=$T_BASE/case.mem
	rm -f "$mem"
	local start=$SECONDS
	if [[ -n "$memfile" && ${#timecmd[@]} -gt 0 ]]; then
		timeout -k 5 "$BI_TIMEOUT" "${timecmd[@]}" "$mem" "$@" >"$out" 2>"$err" </dev/null || rc=$?
	else
		timeout -k 5 "$BI_TIMEOUT" "$@" >"$out" 2>"$err" </dev/null || rc=$?
	fi
	cat "$out" "$err" >"$all"
	if grep -q 'is not implemented yet' "$err"; then
		BI_PENDING+=("$name")
		t_log "pending $name: '$2' is not implemented yet"
		return 0
	fi
	# /usr/bin/time reports a child killed by a signal as "Command terminated
	# by signal N" and exits 128+N like the shell.
	if ((rc == 124 || rc == 137)); then
		why="hung: no answer within ${BI_TIMEOUT}s (exit $rc)"
	elif ((rc >= 128)) || grep -q 'Command terminated by signal' "$mem" 2>/dev/null; then
		why="crashed: exit $rc"
	elif grep -Eq 'Sanitizer|runtime error:|[Ss]egmentation fault|Aborted' "$err"; then
		why="sanitizer or crash report on stderr"
	elif [[ "|$expect|" != *"|$rc|"* ]]; then
		why="exit $rc, expected $expect"
	elif ((rc == 2)); then
		if [[ -n "$where" ]] && ! grep -Eq -- "$where" "$all"; then
			why="error is not positioned: no match for /$where/"
		elif ! grep -Eq '(hint|help):' "$all"; then
			why="error has no hint"
		fi
	fi
	if [[ -z "$why" && -s "$mem" ]]; then
		kb=$(tail -n 1 "$mem")
		size=$(stat -c %s "$memfile")
		mb=$(((size + 524288) / 1048576))
		ratio=$(awk -v k="$kb" -v s="$size" 'BEGIN { printf "%.1f", k * 1024 / s }')
		t_log "peak memory: $name: $((kb / 1024)) MiB for $mb MiB of SQL (${ratio}x, $((SECONDS - start))s)"
		if ((!small)) && ((kb * 1024 > RATIO * size + 64 * 1048576)); then
			why="peak memory $((kb / 1024)) MiB exceeds ${RATIO}x the input ($mb MiB) + 64 MiB"
		fi
	fi
	if [[ -n "$why" ]]; then
		BI_FAILED+=("$name: $why")
		{
			echo "--- FAIL $name: $why"
			echo "--- command: $*"
			head -c 2000 "$out" | sed 's/^/    out: /'
			head -c 2000 "$err" | sed 's/^/    err: /'
		} >&2
	else
		BI_PASSED=$((BI_PASSED + 1))
		t_log "ok $name (exit $rc, $((SECONDS - start))s)"
	fi
}

# in_dir FILE: a migrations directory (sections layout) whose only migration
# is FILE after an up marker; prints its path.
in_dir() {
	local m
	m=$(mktemp -d "$d/dir.XXXXXX")
	{ printf -- '-- migrate:up\n'; cat "$1"; } >"$m/20240101000000_big.sql"
	printf '%s\n' "$m"
}

# all_commands NAME EXPECT WHERE MEMORY FILE: lint FILE, lint DIR (not for
# the big inputs: the same parse as lint FILE, and minutes), status,
# up --dry-run. MEMORY=1 bounds peak memory by the file's size.
all_commands() {
	local name=$1 expect=$2 where=$3 memory=$4 file=$5 m mf=''
	((memory)) && mf=$file
	bi_run "lint FILE $name" "$expect" "$where" "$mf" "$MIGRATE_BIN" lint "$file"
	m=$(in_dir "$file")
	((memory)) || bi_run "lint DIR $name" "$expect" "" "" "$MIGRATE_BIN" lint "$m"
	# status reads and checks every file, without parsing SQL.
	bi_run "status $name" "0" "" "$mf" \
		"$MIGRATE_BIN" status --dir "$m" --database-url "sqlite:$d/$name.db"
	bi_run "up --dry-run $name" "$expect" "" "$mf" \
		"$MIGRATE_BIN" up --dry-run --dir "$m" --database-url "sqlite:$d/$name.db"
	rm -rf -- "$m"
}

d=$(t_tmpdir)

if [[ $part == big ]]; then
# ---- a 100 MB migration: 1 KiB string literals ------------------------------------
pad=$(head -c 1000 /dev/zero | tr '\0' 'x')
{
	echo "CREATE TABLE big (id integer PRIMARY KEY, v text);"
	awk -v n=$((BIG_MB * 1048576 / 1040)) -v p="$pad" \
		'BEGIN { for (i = 0; i < n; i++) print "INSERT INTO big (v) VALUES (\047" p "\047);" }'
} >"$d/big.sql"
all_commands big "0|1" "" 1 "$d/big.sql"
rm -f -- "$d/big.sql"
fi

if [[ $part == many ]]; then
# ---- a million statements ------------------------------------------------------------
{
	echo "CREATE TABLE many (id integer PRIMARY KEY);"
	seq 1 "$NSTMT" | sed 's/.*/INSERT INTO many VALUES (&);/'
} >"$d/many.sql"
all_commands many "0|1" "" 1 "$d/many.sql"
rm -f -- "$d/many.sql"
fi

if [[ $part == deep ]]; then
# ---- too deep, too long ----------------------------------------------------------------
# Either a result or a positioned "nests too deeply"/syntax error; no stack
# overflow.
{
	printf 'SELECT '
	head -c "$DEPTH" /dev/zero | tr '\0' '('
	printf '1'
	head -c "$DEPTH" /dev/zero | tr '\0' ')'
	printf ';\n'
} >"$d/parens.sql"
all_commands parens "0|1|2" "parens\\.sql:1:[0-9]+" 0 "$d/parens.sql"

{
	printf 'SELECT 1 + '
	for ((i = 0; i < 2000; i++)); do printf '(1 + '; done
	printf '1'
	head -c 2000 /dev/zero | tr '\0' ')'
	printf ';\n'
} >"$d/expr.sql"
all_commands expr "0|1|2" "expr\\.sql:1:[0-9]+" 0 "$d/expr.sql"

# 30k, not 100k: PostgreSQL's scanner (libpg_query) rescans the rest of a
# run of "/*/*/*" at each level, so the time grows with the square of the
# depth (100k takes ~20 s of CPU in the bundled scanner; docs/fuzzing.md).
{
	printf 'SELECT 1;\n'
	for ((i = 0; i < 30000; i += 1000)); do
		head -c 1000 /dev/zero | sed 's/\x0/\/*/g'
	done
	printf 'x'
	for ((i = 0; i < 30000; i += 1000)); do
		head -c 1000 /dev/zero | sed 's/\x0/*\//g'
	done
	printf '\nSELECT 2;\n'
} >"$d/comments.sql"
all_commands comments "0|1" "" 0 "$d/comments.sql"

long=$(head -c 100000 /dev/zero | tr '\0' 'a')
printf 'CREATE TABLE %s (id integer);\nSELECT * FROM %s;\n' "$long" "$long" >"$d/ident.sql"
all_commands ident "0|1|2" "ident\\.sql:[0-9]+:[0-9]+" 0 "$d/ident.sql"
printf 'CREATE TABLE "%s" ("%s" integer);\n' "$long" "$long" >"$d/quoted.sql"
all_commands quoted "0|1|2" "quoted\\.sql:[0-9]+:[0-9]+" 0 "$d/quoted.sql"
printf "CREATE TABLE s (v text);\nINSERT INTO s VALUES ('%s');\n" "$long" >"$d/string.sql"
all_commands string "0|1" "" 0 "$d/string.sql"
printf 'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $%s$ SELECT 1 $%s$;\n' "$long" "$long" >"$d/dollar.sql"
# (SQLite has no CREATE FUNCTION: up --dry-run answers 2, positioned)
all_commands dollar "0|1|2" "dollar\\.sql:1:[0-9]+" 0 "$d/dollar.sql"
printf -- '-- %s\nSELECT 1;\n' "$long" >"$d/longcomment.sql"
all_commands longcomment "0|1" "" 0 "$d/longcomment.sql"
fi

# ---- verdict ---------------------------------------------------------------------
t_log "passed: $BI_PASSED, pending: ${#BI_PENDING[@]}, failed: ${#BI_FAILED[@]}"
for p in "${BI_PENDING[@]}"; do t_log "pending: $p"; done
if ((${#BI_FAILED[@]})); then
	printf 'FAIL: %s\n' "${BI_FAILED[@]}" >&2
	t_fail "${#BI_FAILED[@]} bad-input case(s) failed"
fi
if ((${#BI_PENDING[@]})) && [[ "${MIGRATE_BADINPUT_STRICT:-0}" == 1 ]]; then
	t_fail "${#BI_PENDING[@]} case(s) pending (MIGRATE_BADINPUT_STRICT=1)"
fi
t_done
