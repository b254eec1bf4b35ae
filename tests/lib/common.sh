# shellcheck shell=bash
#
# tests/lib/common.sh: helpers for the shell integration tests.
#
# A test is `bash tests/integration/NAME.sh`, run by ctest with:
#   MIGRATE_BIN    path of the built `migrate` executable
#   MIGRATE_SRC    the repository root
#   MIGRATE_PGDIR  (pg_* tests) the fixture directory; source its env.sh
#
#   source "$MIGRATE_SRC/tests/lib/common.sh"   # or relative to the test
#   t_begin sqlite_up_down
#   d=$(t_tmpdir)
#   expect_exit 0 "$MIGRATE_BIN" --dir "$d/m" --database-url "sqlite:$d/db" up
#   expect_contains "$OUT" "applied"
#   t_done
#
# Sourcing turns on `set -euo pipefail` and an ERR trap that names the
# failing command and line. Every assertion that fails prints its context
# and exits 1. Temporary directories are removed at exit unless
# MIGRATE_KEEP_TMP=1 (their path is printed on failure).
#
# Functions:
#   t_begin NAME             start test NAME (sets T_NAME, OUT, ERR)
#   t_tmpdir                 print a new empty directory (under TMPDIR)
#   t_on_exit CMD            run CMD (a string, eval'd) at exit, before cleanup
#   t_fail MSG...            fail the test with MSG
#   t_log MSG...             print a "# "-prefixed note
#   expect_exit CODE CMD...  run CMD, stdout -> $OUT, stderr -> $ERR; fail
#                            unless it exits CODE
#   expect_contains FILE TEXT / expect_not_contains FILE TEXT
#   expect_eq EXPECTED ACTUAL [WHAT]
#   sqlite_q DB SQL          sqlite3 -batch -noheader DB SQL
#   t_pg_setup               source $MIGRATE_PGDIR/env.sh and tests/lib/pg.sh
#   t_pg_new_db [PREFIX]     create a uniquely named database, dropped at
#                            exit; print its URL
#   t_done                   print "ok NAME"

set -euo pipefail
set -E
shopt -s inherit_errexit

T_LIB_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
: "${MIGRATE_SRC:=$(cd -- "$T_LIB_DIR/../.." && pwd)}"
if [[ -z "${MIGRATE_BIN:-}" && -x "$MIGRATE_SRC/build/migrate" ]]; then
	MIGRATE_BIN=$MIGRATE_SRC/build/migrate
fi
export MIGRATE_SRC
[[ -z "${MIGRATE_BIN:-}" ]] || export MIGRATE_BIN

T_NAME=${T_NAME:-$(basename -- "${0%.sh}")}
T_STATUS=running
T_EXIT_HOOKS=()

# One base directory per test process; t_tmpdir makes directories inside it
# so that they are all removed at exit, even when made in a $(subshell).
T_BASE=$(mktemp -d "${TMPDIR:-/tmp}/migrate-test.XXXXXX")
OUT=$T_BASE/stdout
ERR=$T_BASE/stderr
: >"$OUT"
: >"$ERR"
# migrate status keeps a checksum cache under $XDG_CACHE_HOME: tests keep it
# in their own directory instead of the home directory of whoever runs them
export XDG_CACHE_HOME=$T_BASE/cache

t__cleanup() {
	local rc=$? h
	trap - ERR
	set +e
	for h in "${T_EXIT_HOOKS[@]}"; do
		eval "$h"
	done
	if [[ -s "$T_BASE/pg_dbs" ]] && declare -F pg_drop_db >/dev/null; then
		while IFS= read -r h; do
			pg_drop_db "$h" >/dev/null 2>&1
		done <"$T_BASE/pg_dbs"
	fi
	if [[ "${MIGRATE_KEEP_TMP:-0}" == 1 ]]; then
		echo "# kept temporary files in $T_BASE" >&2
	else
		rm -rf -- "$T_BASE"
	fi
	if ((rc != 0)) && [[ $T_STATUS == running ]]; then
		echo "not ok $T_NAME (exit $rc)" >&2
	fi
	exit "$rc"
}
trap t__cleanup EXIT

t__on_err() {
	local rc=$? line=$1 cmd=$2
	# Only report once, from the outermost shell that sees it.
	if [[ $BASH_SUBSHELL -eq 0 ]]; then
		echo "FAIL $T_NAME: command failed (exit $rc) at ${BASH_SOURCE[1]:-?}:$line: $cmd" >&2
	fi
}
trap 't__on_err "$LINENO" "$BASH_COMMAND"' ERR

t_begin() {
	T_NAME=${1:?t_begin NAME}
	T_STATUS=running
	echo "# test $T_NAME"
}

t_log() {
	echo "# $*"
}

t_on_exit() {
	T_EXIT_HOOKS+=("$1")
}

t_tmpdir() {
	mktemp -d "$T_BASE/tmp.XXXXXX"
}

t_fail() {
	trap - ERR
	T_STATUS=failed
	{
		echo "FAIL $T_NAME: $*"
		[[ "${MIGRATE_KEEP_TMP:-0}" == 1 ]] || echo "(set MIGRATE_KEEP_TMP=1 to keep $T_BASE)"
	} >&2
	exit 1
}

# Print a file's contents indented, for failure messages.
t__show() {
	local label=$1 file=$2
	echo "--- $label ($file):"
	if [[ -s "$file" ]]; then
		sed 's/^/    /' -- "$file"
	else
		echo "    (empty)"
	fi
}

t__quote_cmd() {
	local out='' a
	for a in "$@"; do
		printf -v a '%q' "$a"
		out+=" $a"
	done
	printf '%s' "${out# }"
}

expect_exit() {
	if (($# < 2)); then
		t_fail "usage: expect_exit CODE CMD..."
	fi
	local want=$1 rc=0
	shift
	"$@" >"$OUT" 2>"$ERR" || rc=$?
	if [[ "$rc" != "$want" ]]; then
		{
			echo "--- command: $(t__quote_cmd "$@")"
			echo "--- expected exit $want, got $rc"
			t__show stdout "$OUT"
			t__show stderr "$ERR"
		} >&2
		t_fail "expected exit $want, got $rc from: $(t__quote_cmd "$@")"
	fi
	return 0
}

expect_contains() {
	local file=${1:?expect_contains FILE TEXT} text=${2?expect_contains FILE TEXT}
	[[ -r "$file" ]] || t_fail "expect_contains: cannot read: $file"
	local content
	content=$(<"$file")
	if [[ "$content" != *"$text"* ]]; then
		t__show "$(basename -- "$file")" "$file" >&2
		t_fail "expected $(basename -- "$file") to contain: $text"
	fi
	return 0
}

expect_not_contains() {
	local file=${1:?expect_not_contains FILE TEXT} text=${2?expect_not_contains FILE TEXT}
	[[ -r "$file" ]] || t_fail "expect_not_contains: cannot read: $file"
	local content
	content=$(<"$file")
	if [[ "$content" == *"$text"* ]]; then
		t__show "$(basename -- "$file")" "$file" >&2
		t_fail "expected $(basename -- "$file") not to contain: $text"
	fi
	return 0
}

expect_eq() {
	local want=$1 got=$2 what=${3:-value}
	if [[ "$want" != "$got" ]]; then
		t_fail "$what: expected [$want], got [$got]"
	fi
	return 0
}

sqlite_q() {
	if (($# != 2)); then
		t_fail "usage: sqlite_q DB SQL"
	fi
	sqlite3 -batch -noheader "$1" "$2"
}

t_pg_setup() {
	[[ -n "${MIGRATE_PGDIR:-}" ]] || t_fail "MIGRATE_PGDIR is not set (this test needs the pg fixture)"
	[[ -f "$MIGRATE_PGDIR/env.sh" ]] || t_fail "no PostgreSQL server: $MIGRATE_PGDIR/env.sh is missing"
	# shellcheck source=/dev/null
	source "$MIGRATE_PGDIR/env.sh"
	# shellcheck source=tests/lib/pg.sh
	source "$T_LIB_DIR/pg.sh"
}

# A database with a name unique to this test process; print its URL. It is
# dropped at exit (recorded in a file, so this works inside $(...) too).
t_pg_new_db() {
	local prefix=${1:-$T_NAME} name
	name=$(printf '%s' "$prefix" | tr -c 'A-Za-z0-9_' '_' | tr 'A-Z' 'a-z')
	name="${name:0:40}_$$_${RANDOM}"
	printf '%s\n' "$name" >>"$T_BASE/pg_dbs"
	pg_new_db "$name"
}

t_done() {
	T_STATUS=passed
	echo "ok $T_NAME"
}
