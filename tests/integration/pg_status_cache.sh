#!/usr/bin/env bash
# `migrate status` on PostgreSQL: the ledger is read on its own thread
# while the set loads, with the checksum cache. Output byte-identical
# cold, warm and without the cache (text and JSON; applied, pending,
# drifted, missing, dirty rows); the set's error comes before a connection
# error (exit 2, nothing about the server), a connection error alone is
# exit 3 without the password; a ledger error (a custom schema that does
# not exist) is reported as before.
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib/common.sh"
source "$here/run_helpers.bash"
t_begin pg_status_cache
t_pg_setup

d=$(t_tmpdir)
export XDG_CACHE_HOME=$d/xdg
m=$d/m
U=$(t_pg_new_db)
for ((i = 1; i <= 200; i++)); do
	mig_sections "$m" $((20240000000000 + i)) "t$i" "CREATE TABLE t$i (x int);" "DROP TABLE t$i;"
done
mig_sections "$m" 20240000000999 notx "-- migrate:no-transaction
CREATE INDEX CONCURRENTLY i1 ON t1 (x);" "DROP INDEX i1;"
expect_exit 0 M up --dir "$m" --database-url "$U" --to 20240000000190
# drifted, missing and dirty rows
sed -i 's/(x int)/(y int)/' "$m/20240000000003_t3.sql"
mv "$m/20240000000004_t4.sql" "$d/"
pg_q "$U" "UPDATE schema_migrations SET dirty = true, state = 'running', statements_done = 0 WHERE version = '20240000000005'" >/dev/null
sleep 3

st() { # st NAME [ARGS]: text and JSON of status --check (exit 1: drift etc.)
	local name=$1
	shift
	expect_exit 1 M status --check "$@" --dir "$m" --database-url "$U"
	cp "$OUT" "$d/$name.txt"
	expect_exit 1 M status --check --format json "$@" --dir "$m" --database-url "$U"
	cp "$OUT" "$d/$name.json"
}
st off --no-cache
st cold
st warm
for n in cold warm; do
	cmp -s "$d/off.txt" "$d/$n.txt" || t_fail "$n text differs from --no-cache"
	cmp -s "$d/off.json" "$d/$n.json" || t_fail "$n JSON differs from --no-cache"
done
expect_contains "$d/warm.txt" "DRIFTED"
expect_contains "$d/warm.txt" "MISSING: no file"
expect_contains "$d/warm.txt" "DIRTY: running"
expect_contains "$d/warm.txt" "188 applied, 11 pending, 1 dirty, 1 drifted, 1 missing"

# errors: the set's first, then the connection's, then the ledger's
printf 'SELECT 1;\n' >"$d/bad.sql"
mkdir -p "$d/badset" && cp "$m"/*.sql "$d/badset/" && cp "$d/bad.sql" "$d/badset/20240000000050_t50.sql"
PW=s3cr3t-pass
bad="postgres://app:$PW@127.0.0.1:1/nodb"
for c in --no-cache ""; do
	expect_exit 2 M status $c --dir "$d/badset" --database-url "$bad"
	expect_contains "$ERR" "[missing-up-section]"
	expect_not_contains "$ERR" "cannot-connect"
	expect_exit 3 M status $c --dir "$m" --database-url "$bad"
	expect_contains "$ERR" "[cannot-connect]"
	expect_not_contains "$ERR" "$PW"
	expect_exit 2 M status $c --dir "$d/badset" --database-url "$U" --migrations-schema nosuch
	expect_contains "$ERR" "[missing-up-section]"
done
expect_exit 0 M status --no-cache --dir "$m" --database-url "$U" --migrations-schema nosuch
cp "$OUT" "$d/noschema-off.txt"
cp "$ERR" "$d/noschema-off.err"
expect_exit 0 M status --dir "$m" --database-url "$U" --migrations-schema nosuch
cmp -s "$OUT" "$d/noschema-off.txt" || t_fail "status in another schema differs with the cache"
cmp -s "$ERR" "$d/noschema-off.err" || t_fail "stderr differs with the cache"

t_done
