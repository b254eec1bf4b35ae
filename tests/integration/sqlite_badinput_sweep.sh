#!/usr/bin/env bash
# Bad-input sweep, part 1: hostile files and hostile migrations directories
# (docs/fuzzing.md, "Bad input"). Every input is generated here, in a temp
# dir: binary files, invalid UTF-8, NUL bytes, UTF-16, CRLF with a UTF-8 BOM,
# syntax errors, unterminated strings, unknown directives, dangling and
# looping symbolic links, a FIFO, an unreadable file (only when not root:
# chmod 000 does not stop root), an empty and a missing directory.
#
# Each input goes through `migrate lint FILE`, `migrate lint DIR`,
# `migrate status` and `migrate up --dry-run` (SQLite database). Each must
# give the right answer, or a clear error - positioned as file:line:col when
# it is about a place in a file - with a hint and exit code 2; never a crash
# (exit >= 128, a sanitizer report) nor a hang (timeout).
#
# A command that still answers "not implemented yet" is reported as pending
# (one "# pending" line per case) instead of failing; set
# MIGRATE_BADINPUT_STRICT=1 to make pending cases fail.
source "${MIGRATE_SRC:?}/tests/lib/common.sh"
t_begin sqlite_badinput_sweep

[[ -x "${MIGRATE_BIN:-}" ]] || t_fail "MIGRATE_BIN is not set or not executable"
BI_TIMEOUT=${MIGRATE_BADINPUT_TIMEOUT:-30}
BI_HINT=1
BI_FAILED=()
BI_PENDING=()
BI_PASSED=0

# bi_run NAME EXPECT WHERE CMD...
#   EXPECT  allowed exit codes, "|"-separated (e.g. "2", "0|1")
#   WHERE   when the exit is 2: an extended regex the output (stdout and
#           stderr) must match, naming the file and position; "" = none.
#           A hint ("hint:", or "help:" in lint reports) is required for
#           every exit 2 unless BI_HINT=0 (a file that cannot be opened:
#           the system's message is the explanation).
bi_run() {
	local name=$1 expect=$2 where=$3 rc=0 why=''
	shift 3
	local out=$T_BASE/case.out err=$T_BASE/case.err all=$T_BASE/case.all
	timeout -k 5 "$BI_TIMEOUT" "$@" >"$out" 2>"$err" </dev/null || rc=$?
	cat "$out" "$err" >"$all"
	if grep -q 'is not implemented yet' "$err"; then
		BI_PENDING+=("$name")
		t_log "pending $name: '$2' is not implemented yet"
		return 0
	fi
	if ((rc == 124 || rc == 137)); then
		why="hung: no answer within ${BI_TIMEOUT}s (exit $rc)"
	elif ((rc >= 128)); then
		why="crashed: killed by signal $((rc - 128))"
	elif grep -Eq 'Sanitizer|runtime error:|[Ss]egmentation fault|Aborted' "$err"; then
		why="sanitizer or crash report on stderr"
	elif [[ "|$expect|" != *"|$rc|"* ]]; then
		why="exit $rc, expected $expect"
	elif ((rc == 2)); then
		if [[ -n "$where" ]] && ! grep -Eq -- "$where" "$all"; then
			why="error is not positioned: no match for /$where/"
		elif ((BI_HINT)) && ! grep -Eq '(hint|help):' "$all"; then
			why="error has no hint"
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
		t_log "ok $name (exit $rc)"
	fi
}

d=$(t_tmpdir)
db=$d/db.sqlite
f=$d/files
mkdir -p "$f"

# ---- the hostile files -------------------------------------------------------
# Each is a whole SQL file; each also becomes the upgrade of the second
# migration of a sections-layout directory (after a good first one).
head -c 4096 /dev/urandom >"$f/binary.sql"
printf '\x7fELF\x02\x01\x01\x00\x00\x00' >>"$f/binary.sql"
printf 'CREATE TABLE t (id int);\nINSERT INTO t VALUES (1); -- caf\xe9\n' >"$f/latin1.sql"
printf 'CREATE TABLE t (id int);\n-- ok\nSELECT 1;\x00SELECT 2;\n' >"$f/nul.sql"
printf '\xff\xfeC\x00R\x00E\x00A\x00T\x00E\x00 \x00T\x00A\x00B\x00L\x00E\x00' >"$f/utf16.sql"
printf 'SELECT 1;\n\xed\xa0\x80\n' >"$f/surrogate.sql"
printf 'CREATE TABLE a (x int);\nCREATE TABLE b (x int,);\n' >"$f/syntax.sql"
printf 'CREATE TABLE a (x int);\nINSERT INTO a VALUES (1);\nSELECT '"'"'never closed;\n' >"$f/unterminated.sql"
printf 'SELECT 1;\nDO $body$ BEGIN PERFORM 1; END\n' >"$f/dollar.sql"
# SQLite comments do not nest and may run to the end of the input, so both
# are valid SQLite (up --dry-run: 0) but not valid PostgreSQL (lint: 2).
printf 'SELECT 1;\n/* open /* nested */\n' >"$f/comment.sql"
printf 'SELECT 1;\n/* never closed\n' >"$f/comment2.sql"
# A statement that starts with a misspelt keyword must not vanish.
printf 'SELECT 1;\nSELEC 2;\n' >"$f/typo.sql"

# name|allowed exit|position regex for `lint FILE`|exit of `status`
# (status reads and checks the files but does not parse SQL)|exit of
# `up --dry-run` on SQLite
cases=(
	"binary.sql|2|binary\\.sql:[0-9]+:[0-9]+|2|2"
	"latin1.sql|2|latin1\\.sql:2:33|2|2"
	"nul.sql|2|nul\\.sql:3:10|2|2"
	"utf16.sql|2|utf16\\.sql:1:[0-9]+|2|2"
	"surrogate.sql|2|surrogate\\.sql:2:1|2|2"
	"syntax.sql|2|syntax\\.sql:2:[0-9]+|0|2"
	"unterminated.sql|2|unterminated\\.sql:3:[0-9]+|0|2"
	"dollar.sql|2|dollar\\.sql:2:[0-9]+|0|2"
	"comment.sql|2|comment\\.sql:2:[0-9]+|0|0"
	"comment2.sql|2|comment2\\.sql:2:[0-9]+|0|0"
	"typo.sql|2|typo\\.sql:2:1|0|2"
)
for c in "${cases[@]}"; do
	IFS='|' read -r name want where _ <<<"$c"
	bi_run "lint FILE $name" "$want" "$where" "$MIGRATE_BIN" lint "$f/$name"
done

# CRLF and a BOM are fine; positions count neither the BOM nor the CR.
printf '\xef\xbb\xbfCREATE TABLE crlf (id int);\r\nSELECT 1;\r\n' >"$f/bom-crlf.sql"
bi_run "lint FILE bom-crlf.sql" "0" "" "$MIGRATE_BIN" lint "$f/bom-crlf.sql"
printf '\xef\xbb\xbfSELECT 1;\r\nCREATE TABLE b (x int,);\r\n' >"$f/bom-crlf-error.sql"
bi_run "lint FILE bom-crlf-error.sql (position after BOM+CRLF)" "2" \
	"bom-crlf-error\\.sql:2:23([^0-9]|$)" "$MIGRATE_BIN" lint "$f/bom-crlf-error.sql"
# The same through a pipe (process substitution is a FIFO with a writer).
bi_run "lint FILE from a pipe" "0" "" \
	"$MIGRATE_BIN" lint <(printf 'CREATE TABLE p (id int);\n')
BI_HINT=0 bi_run "lint missing FILE" "2" "nope\\.sql" "$MIGRATE_BIN" lint "$d/nope.sql"

# ---- the same files inside a migrations directory ------------------------------
good='-- migrate:up\nCREATE TABLE base (id int PRIMARY KEY);\n-- migrate:down\nDROP TABLE base;\n'
n=0
for c in "${cases[@]}"; do
	IFS='|' read -r name want where st_want up_want <<<"$c"
	n=$((n + 1))
	m=$d/dir-$n
	mkdir -p "$m"
	printf -- "$good" >"$m/20240101000000_base.sql"
	# binary/UTF-16 files as they are; text ones after the up marker
	case $name in
	binary.sql | utf16.sql) cp "$f/$name" "$m/20240102000000_bad.sql" ;;
	*) { printf -- '-- migrate:up\n'; cat "$f/$name"; } >"$m/20240102000000_bad.sql" ;;
	esac
	# a text file's position moves down one line (the marker)
	pos="20240102000000_bad\\.sql:[0-9]+:[0-9]+"
	bi_run "lint DIR with $name" "2" "$pos" "$MIGRATE_BIN" lint "$m"
	bi_run "status with $name" "$st_want" "$pos" \
		"$MIGRATE_BIN" status --dir "$m" --database-url "sqlite:$db"
	bi_run "up --dry-run with $name" "$up_want" "$pos" \
		"$MIGRATE_BIN" up --dry-run --dir "$m" --database-url "sqlite:$db"
done

# Unknown and malformed directives: positioned, with a did-you-mean hint.
m=$d/dir-directive
mkdir -p "$m"
printf -- '-- migrate:upp\nCREATE TABLE x (id int);\n' >"$m/20240101000000_x.sql"
bi_run "lint DIR unknown directive" "2" "20240101000000_x\\.sql:1:[0-9]+" "$MIGRATE_BIN" lint "$m"
bi_run "status unknown directive" "2" "20240101000000_x\\.sql:1:[0-9]+" \
	"$MIGRATE_BIN" status --dir "$m" --database-url "sqlite:$db"
grep -q "did you mean" "$T_BASE/case.all" || [[ " ${BI_PENDING[*]} " == *"status unknown directive"* ]] ||
	BI_FAILED+=("status unknown directive: no 'did you mean' hint")

# ---- hostile directory entries -----------------------------------------------
# dir_case NAME LINT_EXIT SETUP ENTRY: a good migration plus whatever SETUP
# adds. status and up --dry-run must answer 2 naming ENTRY, with a hint,
# without hanging. `lint DIR` answers LINT_EXIT: a folder that is not a valid
# migration set is linted as a plain folder of .sql files (lint.h), so a
# structural problem may give 0 there.
dir_case() {
	local name=$1 lint_want=$2 setup=$3 entry=$4 m
	m=$(mktemp -d "$d/case.XXXXXX")
	printf -- "$good" >"$m/20240101000000_base.sql"
	(cd "$m" && eval "$setup")
	BI_HINT=0 bi_run "lint DIR $name" "$lint_want" "$entry" "$MIGRATE_BIN" lint "$m"
	bi_run "status $name" "2" "$entry" \
		"$MIGRATE_BIN" status --dir "$m" --database-url "sqlite:$db"
	bi_run "up --dry-run $name" "2" "$entry" \
		"$MIGRATE_BIN" up --dry-run --dir "$m" --database-url "sqlite:$db"
}
dir_case "dangling symlink" 2 'ln -s missing.sql 20240102000000_gone.sql' '20240102000000_gone\.sql'
dir_case "symlink loop" 2 'ln -s 20240103000000_b.sql 20240102000000_a.sql; ln -s 20240102000000_a.sql 20240103000000_b.sql' '2024010[23]000000_[ab]\.sql'
dir_case "directory symlink loop" "0|2" 'ln -s . 20240102000000_loop' '20240102000000_loop'
# A FIFO blocks open() until a writer appears: it must be refused, not read.
BI_TIMEOUT=10 dir_case "FIFO named .sql" 2 'mkfifo 20240102000000_fifo.sql' '20240102000000_fifo\.sql'
dir_case "directory named .sql" "0|2" 'mkdir 20240102000000_dir.sql' '20240102000000_dir\.sql'
dir_case "name without a version" "0|2" 'printf -- "-- migrate:up\nSELECT 1;\n" >create_users.sql' 'create_users\.sql'
dir_case "duplicate version" "0|2" 'printf -- "-- migrate:up\nSELECT 1;\n" >20240101000000_again.sql' '20240101000000_'
if [[ $(id -u) != 0 ]]; then
	dir_case "unreadable file" 2 'printf -- "-- migrate:up\nSELECT 1;\n" >20240102000000_secret.sql; chmod 000 20240102000000_secret.sql' '20240102000000_secret\.sql'
else
	t_log "root: the chmod 000 case is covered by the dangling symlink, the symlink loop and the FIFO"
fi

# An empty and a missing migrations directory.
m=$d/empty
mkdir -p "$m"
bi_run "status empty dir" "0" "" "$MIGRATE_BIN" status --dir "$m" --database-url "sqlite:$db"
bi_run "up --dry-run empty dir" "0" "" \
	"$MIGRATE_BIN" up --dry-run --dir "$m" --database-url "sqlite:$db"
bi_run "lint empty dir" "0|2" "" "$MIGRATE_BIN" lint "$m"
bi_run "status missing dir" "2" "nowhere" \
	"$MIGRATE_BIN" status --dir "$d/nowhere" --database-url "sqlite:$db"

# A database file that is not SQLite.
m=$d/dir-good
mkdir -p "$m"
printf -- "$good" >"$m/20240101000000_base.sql"
head -c 8192 /dev/urandom >"$d/garbage.db"
bi_run "status on a garbage database file" "2|3" "" \
	"$MIGRATE_BIN" status --dir "$m" --database-url "sqlite:$d/garbage.db"

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
