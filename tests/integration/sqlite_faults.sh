#!/usr/bin/env bash
# Fault injection on real SQLite files: a read-only database, a full disk,
# and WAL mode with a concurrent reader (also with --backup). After each
# fault: exit 3, a message saying what happened and what to do, ledger and
# schema agree, and a rerun completes. docs/faults.md describes it.
#
# Root-proofing (CI runs as root, where file modes do not stop writes):
#  - read-only: as a normal user, chmod 444 on the file. As root, the same
#    chmod with migrate run as an unprivileged user (setpriv to uid 65534),
#    plus chattr +i (immutable stops root too) when the file system
#    supports it. A read-only directory (no journal can be created) is
#    tested the same way. Each variant that cannot run says so.
#  - disk full: PRAGMA max_page_count is per connection (SQLite does not
#    store it in the file), so a migration sets it, which always works; a
#    real full disk is a tiny tmpfs mounted directly (root) or in a user
#    namespace (unshare -Urm, non-root), when mounting works. Each variant
#    that cannot run says so.
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib/common.sh"
source "$here/run_helpers.bash"
t_begin sqlite_faults

ROOT=0
[[ $(id -u) == 0 ]] && ROOT=1
ran=()   # variants that ran, for the summary line
skip=()  # variants that could not run here, with why

d=$(t_tmpdir)
m=$d/m
mig_sections "$m" 0001 base "CREATE TABLE a (x int);
INSERT INTO a VALUES (1), (2), (3);" "DROP TABLE a;"
mig_sections "$m" 0002 b "CREATE TABLE b (y int);
INSERT INTO b SELECT x FROM a;" "DROP TABLE b;"

# A fresh database with 0001 applied; prints its path.
fresh() {
	local dir db
	dir=$(t_tmpdir)
	db=$dir/db
	M up --to 0001 --dir "$m" --database-url "sqlite:$db" >/dev/null
	printf '%s\n' "$db"
}

# ledger and schema after a failed 0002: only 0001, and no table b
check_unchanged() {
	local db=$1 what=$2
	expect_eq "0001|applied|0" "$(sq_ledger "$db")" "$what: ledger"
	expect_eq "0" "$(sqlite_q "$db" "SELECT count(*) FROM sqlite_schema WHERE name = 'b'")" "$what: table b absent"
	expect_eq "ok" "$(sqlite_q "$db" "PRAGMA integrity_check")" "$what: integrity"
}
check_done() {
	local db=$1 what=$2
	expect_eq "0001|applied|0
0002|applied|0" "$(sq_ledger "$db")" "$what: ledger after the rerun"
	expect_eq 3 "$(sqlite_q "$db" "SELECT count(*) FROM b")" "$what: rows of b"
	no_journal "$db" "$what: after the rerun"
}
# migrate's connection runs in journal_mode=TRUNCATE and switches back to
# DELETE as it closes, which removes the empty -journal: none is left
no_journal() {
	[[ ! -e $1-journal ]] || t_fail "$2: $1-journal was left ($(stat -c %s -- "$1-journal") bytes)"
}

###########################################################################
t_log "1. read-only database"

# as_user CMD...: run CMD as an unprivileged user (root) or as is.
NOBODY=65534
as_user() {
	if ((ROOT)); then
		setpriv --reuid="$NOBODY" --regid="$NOBODY" --clear-groups -- "$@"
	else
		"$@"
	fi
}
can_drop=1
asuser=
if ((ROOT)); then
	asuser=", as uid $NOBODY"
	# the unprivileged user must reach the binary, the migrations and the
	# temp dirs (mktemp makes them 0700)
	chmod o+x -- "$T_BASE" "$d"
	chmod -R o+rX -- "$m"
	if ! command -v setpriv >/dev/null ||
		! setpriv --reuid="$NOBODY" --regid="$NOBODY" --clear-groups -- \
			"$MIGRATE_BIN" --version >/dev/null 2>&1; then
		can_drop=0
		skip+=("read-only as uid $NOBODY: setpriv unavailable or $MIGRATE_BIN not executable for uid $NOBODY")
	fi
fi

ro_expect() {
	local what=$1 db=$2
	expect_contains "$ERR" "failed at statement 1 of 2: attempt to write a readonly database [migration-failed]"
	expect_contains "$ERR" "hint: it was rolled back, the schema and the ledger are as before; the database '$db' (or its directory, where SQLite creates the journal) is read-only for this process"
	expect_contains "$ERR" "then run 'migrate up' again"
}

if ((can_drop)); then
	# 1a. file mode 444 (as root: migrate runs as an unprivileged user)
	db=$(fresh)
	chmod 777 -- "$(dirname -- "$db")"
	chmod 444 -- "$db"
	expect_exit 3 as_user "$MIGRATE_BIN" up --dir "$m" --database-url "sqlite:$db"
	ro_expect "chmod 444" "$db"
	check_unchanged "$db" "chmod 444"
	no_journal "$db" "chmod 444"
	chmod 666 -- "$db"
	expect_exit 0 as_user "$MIGRATE_BIN" up --dir "$m" --database-url "sqlite:$db"
	check_done "$db" "chmod 444"
	ran+=("read-only file (chmod 444$asuser)")

	# 1b. writable file in a read-only directory: no journal can be made
	db=$(fresh)
	dir=$(dirname -- "$db")
	chmod 666 -- "$db"
	chmod 555 -- "$dir"
	t_on_exit "chmod 755 '$dir'"
	expect_exit 3 as_user "$MIGRATE_BIN" up --dir "$m" --database-url "sqlite:$db"
	expect_contains "$ERR" "0002_b.sql:2:1: migration '0002_b.sql' failed at statement 1 of 2"
	expect_contains "$ERR" "it was rolled back, the schema and the ledger are as before"
	expect_contains "$ERR" "its directory"
	chmod 777 -- "$dir"
	check_unchanged "$db" "read-only directory"
	no_journal "$db" "read-only directory"
	expect_exit 0 as_user "$MIGRATE_BIN" up --dir "$m" --database-url "sqlite:$db"
	check_done "$db" "read-only directory"
	ran+=("read-only directory (chmod 555$asuser)")
fi

if ((ROOT)); then
	# 1c. chattr +i: immutable even for root, where the file system has it
	db=$(fresh)
	if chattr +i -- "$db" 2>/dev/null; then
		t_on_exit "chattr -i '$db' 2>/dev/null"
		expect_exit 3 M up --dir "$m" --database-url "sqlite:$db"
		ro_expect "chattr +i" "$db"
		check_unchanged "$db" "chattr +i"
		no_journal "$db" "chattr +i"
		chattr -i -- "$db"
		expect_exit 0 M up --dir "$m" --database-url "sqlite:$db"
		check_done "$db" "chattr +i"
		ran+=("read-only file (chattr +i, as root)")
	else
		skip+=("chattr +i: not supported on $(df -PT "$db" | awk 'NR == 2 { print $2 }')")
	fi
fi

###########################################################################
t_log "2. disk full"

full_expect() {
	local db=$1
	expect_contains "$ERR" "0003_big.sql:3:1: migration '0003_big.sql' failed at statement 2 of 2: database or disk is full [migration-failed]"
	expect_contains "$ERR" "SQLite result code 13"
	expect_contains "$ERR" "hint: it was rolled back, the schema and the ledger are as before; the disk holding '$db' is full"
	expect_contains "$ERR" "do not delete it"
}
big_sql="CREATE TABLE big (id int, b blob);
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000)
INSERT INTO big SELECT x, randomblob(1024) FROM c;"

# 2a. max_page_count (per connection: set by an earlier migration of the
# same run), always
db=$(fresh)
mf=$d/mfull
cp -r -- "$m" "$mf"
mig_sections "$mf" 0002 b "PRAGMA max_page_count = 64;
CREATE TABLE b (y int);
INSERT INTO b SELECT x FROM a;" "DROP TABLE b;"
mig_sections "$mf" 0003 big "$big_sql" "DROP TABLE big;"
expect_exit 3 M up --dir "$mf" --database-url "sqlite:$db"
expect_contains "$OUT" "applied  0002_b.sql"
full_expect "$db"
expect_eq "0001|applied|0
0002|applied|0" "$(sq_ledger "$db")" "max_page_count: ledger"
expect_eq 0 "$(sqlite_q "$db" "SELECT count(*) FROM sqlite_schema WHERE name = 'big'")" "max_page_count: big absent"
expect_eq ok "$(sqlite_q "$db" "PRAGMA integrity_check")" "max_page_count: integrity"
no_journal "$db" "max_page_count"
# the limit lives only in that connection: a rerun has the room
expect_exit 0 M up --dir "$mf" --database-url "sqlite:$db"
expect_contains "$OUT" "applied  0003_big.sql"
expect_eq 2000 "$(sqlite_q "$db" "SELECT count(*) FROM big")" "max_page_count: rerun"
ran+=("disk full (max_page_count)")

# 2b. a real full disk: a 4 MiB tmpfs filled up to 256 KiB free, then
# the filler removed for the rerun. The
# scenario runs in a child script so that, in a user namespace, mount and
# migrate share the namespace.
cat >"$d/tmpfs_full.sh" <<'EOF'
set -euo pipefail
mnt=$1 m=$2 bin=$3
mount -t tmpfs -o size=4m,mode=0755 migrate-test "$mnt"
trap 'umount "$mnt" 2>/dev/null || umount -l "$mnt"' EXIT
db=$mnt/db
"$bin" up --to 0002 --dir "$m" --database-url "sqlite:$db" >/dev/null
# fill the file system, then leave 256 KiB free
dd if=/dev/zero of="$mnt/filler" bs=64k 2>/dev/null || true
truncate -s -256K "$mnt/filler"
rc=0
"$bin" up --dir "$m" --database-url "sqlite:$db" >"$mnt.out" 2>"$mnt.err" || rc=$?
echo "rc=$rc"
# the I/O error leaves a hot journal (SQLite leaves the rollback to the
# next open), but migrate's connection switches journal_mode back from
# TRUNCATE to DELETE as it closes, and SQLite rolls the hot journal back
# before it removes it; were one left, status opens read-write and rolls
# it back
[[ -e $db-journal ]] && echo "journal-left"
"$bin" status --dir "$m" --database-url "sqlite:$db" >"$mnt.status" 2>&1 || true
[[ -e $db-journal ]] && echo "journal-after-status"
echo "ledger=$(sqlite3 -batch -noheader "$db" "SELECT group_concat(version, ',') FROM schema_migrations")"
echo "big=$(sqlite3 -batch -noheader "$db" "SELECT count(*) FROM sqlite_schema WHERE name = 'big'")"
echo "integrity=$(sqlite3 -batch -noheader "$db" "PRAGMA integrity_check")"
rm -f "$mnt/filler"
"$bin" up --dir "$m" --database-url "sqlite:$db" >/dev/null
echo "rerun=$(sqlite3 -batch -noheader "$db" "SELECT count(*) FROM big")"
if [[ -e $db-journal ]]; then echo "journal-after-rerun"; fi
EOF
mt=$d/mt
cp -r -- "$m" "$mt"
mig_sections "$mt" 0003 big "$big_sql" "DROP TABLE big;"
mkdir -p -- "$d/mnt"
how=
if ((ROOT)) && mount -t tmpfs -o size=64k migrate-probe "$d/mnt" 2>/dev/null; then
	umount "$d/mnt"
	how=mount
elif ! ((ROOT)) && unshare -Urm true 2>/dev/null; then
	how=unshare
fi
if [[ -n $how ]]; then
	cmd=(bash "$d/tmpfs_full.sh" "$d/mnt" "$mt" "$MIGRATE_BIN")
	[[ $how == unshare ]] && cmd=(unshare -Urm "${cmd[@]}")
	expect_exit 0 "${cmd[@]}"
	t_log "tmpfs ($how): $(tr '\n' ' ' <"$OUT")"
	cp -- "$d/mnt.err" "$ERR"
	expect_contains "$OUT" "rc=3"
	full_expect "$d/mnt/db"
	expect_not_contains "$OUT" "journal-left"
	expect_not_contains "$OUT" "journal-after-status"
	expect_not_contains "$OUT" "journal-after-rerun"
	expect_contains "$OUT" "ledger=0001,0002"
	expect_contains "$OUT" "big=0"
	expect_contains "$OUT" "integrity=ok"
	expect_contains "$OUT" "rerun=2000"
	ran+=("disk full (tmpfs, $how)")
else
	skip+=("disk full on a real tmpfs: cannot mount here (neither as root nor in a user namespace)")
fi

###########################################################################
t_log "3. WAL mode with a concurrent reader"

# A reader: sqlite3 reading from a FIFO that fd 8 keeps open; it holds a
# read transaction (a snapshot) until told to commit.
start_reader() {
	local db=$1
	rm -f -- "$d/reader.fifo"
	mkfifo -- "$d/reader.fifo"
	sqlite3 -batch -noheader "$db" <"$d/reader.fifo" >"$d/reader.out" 2>&1 &
	READER=$!
	t_on_exit "kill $READER 2>/dev/null"
	exec 8>"$d/reader.fifo"
	printf "BEGIN;\nSELECT 'snap', count(*) FROM a;\n" >&8
	reader_wait "snap|3"
}
# reader_wait TEXT: wait (up to 30 s) until the reader printed TEXT
reader_wait() {
	local t0=$SECONDS
	until grep -qxF -- "$1" "$d/reader.out" 2>/dev/null; do
		((SECONDS - t0 < 30)) || {
			cat -- "$d/reader.out" >&2
			t_fail "the reader did not print: $1"
		}
		sleep 0.05
	done
}

db=$(fresh)
expect_eq wal "$(sqlite_q "$db" "PRAGMA journal_mode = WAL")" "journal_mode"
start_reader "$db"
expect_exit 0 M up --dir "$m" --database-url "sqlite:$db" --lock-wait 5s
expect_contains "$OUT" "applied  0002_b.sql"
check_done "$db" "WAL"
# the reader still sees its snapshot: no table b, no 0002 row
printf "SELECT 'b', count(*) FROM sqlite_schema WHERE name = 'b';\nSELECT 'rows', count(*) FROM schema_migrations;\n" >&8
reader_wait "b|0"
reader_wait "rows|1"
# with the reader at its old snapshot the WAL cannot be reset
busy=$(sqlite_q "$db" "PRAGMA wal_checkpoint(TRUNCATE)")
t_log "checkpoint while the reader holds its snapshot: $busy (busy|log|checkpointed)"
[[ $busy == 1\|* ]] || t_fail "expected the checkpoint to be blocked by the reader, got $busy"
printf "COMMIT;\nSELECT 'b', count(*) FROM sqlite_schema WHERE name = 'b';\n" >&8
reader_wait "b|1"
exec 8>&-
wait "$READER" || t_fail "the reader failed: $(cat "$d/reader.out")"
expect_eq "0|0|0" "$(sqlite_q "$db" "PRAGMA wal_checkpoint(TRUNCATE)")" "checkpoint after the reader ends"
expect_eq ok "$(sqlite_q "$db" "PRAGMA integrity_check")" "WAL: integrity"
expect_eq wal "$(sqlite_q "$db" "PRAGMA journal_mode")" "WAL: still WAL after up"
no_journal "$db" "WAL"
ran+=("WAL with a concurrent reader")

t_log "4. --backup in WAL mode with a concurrent reader"
db=$(fresh)
expect_eq wal "$(sqlite_q "$db" "PRAGMA journal_mode = WAL")" "journal_mode"
# the reader first (its snapshot: 3 rows in a), then a row that is only in
# the WAL (the reader's open connection keeps it from being checkpointed
# away): the backup must include it
start_reader "$db"
sqlite_q "$db" "INSERT INTO a VALUES (4)" >/dev/null
[[ -s $db-wal ]] || t_fail "expected a non-empty WAL before the backup"
expect_exit 0 M up --dir "$m" --database-url "sqlite:$db" --backup "$d/backup.db"
expect_contains "$OUT" "backup   $d/backup.db"
expect_contains "$OUT" "applied  0002_b.sql"
expect_eq ok "$(sqlite_q "$d/backup.db" "PRAGMA integrity_check")" "backup: integrity"
expect_eq "0001|applied|0" "$(sq_ledger "$d/backup.db")" "backup: the ledger before up"
expect_eq 4 "$(sqlite_q "$d/backup.db" "SELECT count(*) FROM a")" "backup: the WAL's rows are in it"
expect_eq 0 "$(sqlite_q "$d/backup.db" "SELECT count(*) FROM sqlite_schema WHERE name = 'b'")" "backup: before 0002"
expect_eq 4 "$(sqlite_q "$db" "SELECT count(*) FROM b")" "after up: b"
expect_eq wal "$(sqlite_q "$db" "PRAGMA journal_mode")" "--backup: still WAL after up"
no_journal "$db" "--backup in WAL mode"
printf "SELECT 'b', count(*) FROM sqlite_schema WHERE name = 'b';\nSELECT 'a', count(*) FROM a;\nCOMMIT;\n" >&8
reader_wait "b|0"
reader_wait "a|3"
exec 8>&-
wait "$READER" || t_fail "the reader failed: $(cat "$d/reader.out")"
expect_eq "0|0|0" "$(sqlite_q "$db" "PRAGMA wal_checkpoint(TRUNCATE)")" "checkpoint after the reader ends"
ran+=("--backup in WAL mode with a concurrent reader")

for x in "${ran[@]}"; do t_log "ran: $x"; done
for x in "${skip[@]}"; do t_log "NOT RUN here: $x"; done
t_done
