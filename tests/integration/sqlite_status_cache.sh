#!/usr/bin/env bash
# `migrate status` and its checksum cache (docs/commands/migrate-status.md
# "Checksum cache"): output byte-identical cold, warm and disabled (text
# and JSON, every layout); drift found through the cache, also for an edit
# that keeps the size and restores the mtime (touch -r); a damaged cache
# file, an unusable cache directory and one others may write change
# nothing; --no-cache and MIGRATE_NO_CACHE=1 neither read nor write it.
# The set loaded on several threads and the ledger read during it: the
# first error stays the set's, as in a sequential run.
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib/common.sh"
source "$here/run_helpers.bash"
t_begin sqlite_status_cache

d=$(t_tmpdir)
export XDG_CACHE_HOME=$d/xdg
cdir=$XDG_CACHE_HOME/migrate

# three layouts, 150 migrations each (enough for the worker threads)
mk_set() {
	local layout=$1 dir=$2 i v
	for ((i = 1; i <= 150; i++)); do
		v=$((20240000000000 + i))
		case $layout in
		sections) mig_sections "$dir" "$v" "t$i" "CREATE TABLE t$i (x INTEGER);" "DROP TABLE t$i;" ;;
		pairs) mig_pairs "$dir" "$v" "t$i" "-- migrate:description table $i
CREATE TABLE t$i (x INTEGER);" "DROP TABLE t$i;" ;;
		dirs) mig_dirs "$dir" "$(date -d @$((1700000000 + i)) -u +%Y-%m-%d-%H%M%S)" "t$i" "CREATE TABLE t$i (x INTEGER);" "DROP TABLE t$i;" ;;
		esac
	done
}
for layout in sections pairs dirs; do
	mk_set "$layout" "$d/$layout"
	# 140 applied, 10 pending
	expect_exit 0 M up --dir "$d/$layout" --database-url "sqlite:$d/$layout.db" \
		--to "$(M status --no-cache --format json --dir "$d/$layout" --database-url "sqlite:$d/$layout.db" |
			python3 -c 'import json,sys; print(json.load(sys.stdin)["migrations"][139]["version"])')"
done
# entries of files changed in the last 2 s are neither stored nor trusted
sleep 3

# st NAME LAYOUT [ARGS]: status text and JSON into $d/NAME.{txt,json}
st() {
	local name=$1 layout=$2
	shift 2
	expect_exit 0 M status "$@" --dir "$d/$layout" --database-url "sqlite:$d/$layout.db"
	cp "$OUT" "$d/$name.txt"
	expect_exit 0 M status --format json "$@" --dir "$d/$layout" --database-url "sqlite:$d/$layout.db"
	cp "$OUT" "$d/$name.json"
}
same() { # same A B: byte-identical text and JSON
	cmp -s "$d/$1.txt" "$d/$2.txt" || { diff "$d/$1.txt" "$d/$2.txt" | head >&2; t_fail "$1 and $2 differ (text)"; }
	cmp -s "$d/$1.json" "$d/$2.json" || { diff "$d/$1.json" "$d/$2.json" | head >&2; t_fail "$1 and $2 differ (json)"; }
}

for layout in sections pairs dirs; do
	st "$layout-off" "$layout" --no-cache
	MIGRATE_NO_CACHE=1 st "$layout-env" "$layout"
	same "$layout-off" "$layout-env"
done
[[ ! -e $cdir ]] || t_fail "--no-cache or MIGRATE_NO_CACHE=1 created $cdir"
for layout in sections pairs dirs; do
	st "$layout-cold" "$layout"
	st "$layout-warm" "$layout"
	same "$layout-off" "$layout-cold"
	same "$layout-off" "$layout-warm"
	MIGRATE_THREADS=1 st "$layout-one-thread" "$layout" --no-cache
	same "$layout-off" "$layout-one-thread"
	expect_contains "$d/$layout-warm.txt" "140 applied, 10 pending"
done
expect_contains "$d/pairs-warm.json" '"description": "table 7"'
# private: 0700 directory, 0600 files
expect_eq 700 "$(stat -c %a "$cdir")" "cache directory mode"
for f in "$cdir"/*; do
	expect_eq 600 "$(stat -c %a "$f")" "cache file mode"
done
expect_eq 3 "$(find "$cdir" -type f | wc -l)" "one cache file per directory"

# The warm run reads no migration file (when strace is there to see it;
# LeakSanitizer cannot run under ptrace).
if command -v strace >/dev/null 2>&1; then
	asan_was=${ASAN_OPTIONS-}
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	strace -f -qq -e trace=openat -o "$d/trace" "$MIGRATE_BIN" status \
		--dir "$d/sections" --database-url "sqlite:$d/sections.db" >/dev/null
	if grep -q '_t[0-9]*\.sql"' "$d/trace"; then
		grep '_t[0-9]*\.sql"' "$d/trace" | head -3 >&2
		t_fail "the warm status opened migration files"
	fi
	strace -f -qq -e trace=openat -o "$d/trace" "$MIGRATE_BIN" status --no-cache \
		--dir "$d/sections" --database-url "sqlite:$d/sections.db" >/dev/null
	expect_eq 150 "$(grep -c '_t[0-9]*\.sql"' "$d/trace")" "--no-cache opens every file"
	ASAN_OPTIONS=$asan_was
fi

# Drift through a warm cache: an edit that keeps the size and restores
# the mtime, checked after the racy window (so only ctime can tell).
f=$d/sections/20240000000005_t5.sql
cp -p "$f" "$d/ref"
sed -i 's/(x INTEGER)/(y INTEGER)/' "$f"
touch -r "$d/ref" "$f"
expect_eq "$(stat -c '%s %Y' "$d/ref")" "$(stat -c '%s %Y' "$f")" "size and mtime restored"
sleep 3
expect_exit 1 M status --check --dir "$d/sections" --database-url "sqlite:$d/sections.db"
expect_contains "$OUT" "DRIFTED"
expect_contains "$OUT" "1 drifted"
cp "$OUT" "$d/drift-warm.txt"
expect_exit 1 M status --check --dir "$d/sections" --database-url "sqlite:$d/sections.db"
cmp -s "$OUT" "$d/drift-warm.txt" || t_fail "drift output changed on the next (warm) run"
expect_exit 1 M status --check --no-cache --dir "$d/sections" --database-url "sqlite:$d/sections.db"
cmp -s "$OUT" "$d/drift-warm.txt" || t_fail "drift output differs with --no-cache"
# an edit right before the run (within the racy window) is seen too
cp -p "$d/ref" "$f"
expect_exit 1 M status --check --dir "$d/sections" --database-url "sqlite:$d/sections.db"
expect_not_contains "$OUT" "DRIFTED"
sed -i 's/(x INTEGER)/(z INTEGER)/' "$f"
expect_exit 1 M status --check --dir "$d/sections" --database-url "sqlite:$d/sections.db"
expect_contains "$OUT" "DRIFTED"
cp -p "$d/ref" "$f"
sleep 3
st sections-restored sections
same sections-off sections-restored

# A damaged cache file is ignored (and replaced); the result never changes.
st sections-warm2 sections
for damage in truncate flip garbage empty dir; do
	for c in "$cdir"/sums-*; do
		case $damage in
		truncate) head -c 300 "$c" >"$d/x" && cat "$d/x" >"$c" ;;
		flip) printf 'Z' | dd of="$c" bs=1 seek=200 conv=notrunc status=none ;;
		garbage) head -c 5000 /dev/urandom >"$c" ;;
		empty) : >"$c" ;;
		dir) rm -f "$c" && mkdir "$c" ;;
		esac
	done
	st "sections-$damage" sections
	same sections-off "sections-$damage"
	[[ $damage == dir ]] && for c in "$cdir"/sums-*; do [[ -d $c ]] && rmdir "$c"; done
done

# A cache directory others may write is not used (nor written).
st sections-again sections
chmod 777 "$cdir"
for c in "$cdir"/sums-*; do printf 'junk' >"$c"; done
st sections-shared sections
same sections-off sections-shared
[[ $(cat "$cdir"/sums-* | head -c 4) == junk ]] || t_fail "a shared cache directory was written"
chmod 700 "$cdir"

# An unusable cache location changes nothing.
: >"$d/file"
XDG_CACHE_HOME=$d/file/sub st sections-nodir sections
same sections-off sections-nodir
XDG_CACHE_HOME= HOME=$d/file st sections-nohome sections
same sections-off sections-nohome
XDG_CACHE_HOME=relative/path HOME= st sections-relative sections
same sections-off sections-relative

# The set's errors come first (exit 2), before the database's, as in a
# sequential run; then the database's (exit 3).
printf 'not a database, not at all, just some text that is long enough\n' >"$d/bad.db"
mkdir -p "$d/badset"
cp "$d/sections/"*.sql "$d/badset/"
printf 'SELECT 1;\n' >"$d/badset/20240000000077_t77.sql"
for cache in --no-cache ""; do
	expect_exit 2 M status $cache --dir "$d/badset" --database-url "sqlite:$d/bad.db"
	expect_contains "$ERR" "no '-- migrate:up' section marker [missing-up-section]"
	expect_contains "$ERR" "20240000000077_t77.sql"
	expect_not_contains "$ERR" "cannot open SQLite"
	expect_exit 3 M status $cache --dir "$d/sections" --database-url "sqlite:$d/bad.db"
	expect_contains "$ERR" "cannot open SQLite database"
	expect_exit 2 M status $cache --dir "$d/nonexistent" --database-url "sqlite:$d/bad.db"
	expect_contains "$ERR" "cannot-read-dir"
done

t_done
