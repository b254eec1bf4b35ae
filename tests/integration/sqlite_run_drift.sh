#!/usr/bin/env bash
# Drift (an applied file changed), missing files, out-of-order pending
# files: `status` shows them, `status --check` exits 1, `up` refuses (exit
# 1) unless allowed. CRLF and a BOM are not drift. A dbmate-style ledger
# (only `version`) is adopted without loss. status --format json.
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib/common.sh"
source "$here/run_helpers.bash"
t_begin sqlite_run_drift

d=$(t_tmpdir)
m=$d/m
db=$d/app.db
U="sqlite:$db"
mig_sections "$m" 20240101000001 a "CREATE TABLE a (x INTEGER);" "DROP TABLE a;"
mig_sections "$m" 20240101000002 b "CREATE TABLE b (x INTEGER);" "DROP TABLE b;"
expect_exit 0 M up --dir "$m" --database-url "$U"

# CRLF line endings and a BOM do not count as a change
printf '\xef\xbb\xbf' >"$d/bom"
{ cat "$d/bom"; sed 's/$/\r/' "$m/20240101000001_a.sql"; } >"$d/crlf"
mv "$d/crlf" "$m/20240101000001_a.sql"
expect_exit 0 M status --check --dir "$m" --database-url "$U"
expect_contains "$OUT" "2 applied, 0 pending"

# drift
mig_sections "$m" 20240101000001 a "CREATE TABLE a (x INTEGER, y TEXT);" "DROP TABLE a;"
mig_sections "$m" 20240101000003 c "CREATE TABLE c (x INTEGER);" "DROP TABLE c;"
expect_exit 1 M status --check --dir "$m" --database-url "$U"
expect_contains "$OUT" "DRIFTED"
expect_contains "$OUT" "1 drifted"
expect_exit 1 M up --dir "$m" --database-url "$U"
expect_contains "$ERR" "applied migration '20240101000001_a.sql' changed since it was applied [checksum-mismatch]"
expect_contains "$ERR" "--allow-drift"
expect_eq 0 "$(sqlite_q "$db" "SELECT count(*) FROM sqlite_schema WHERE name = 'c'")" "refused: c not applied"
expect_exit 0 M up --allow-drift --dir "$m" --database-url "$U"
expect_contains "$OUT" "20240101000003_c.sql"
# mark --applied records the new checksum: no drift any more
expect_exit 0 M mark 20240101000001 --applied --dir "$m" --database-url "$U"
expect_contains "$OUT" "marked   20240101000001_a.sql as applied"
expect_exit 0 M status --check --dir "$m" --database-url "$U"

# missing file
mv "$m/20240101000002_b.sql" "$d/"
expect_exit 1 M status --check --dir "$m" --database-url "$U"
expect_contains "$OUT" "missing  20240101000002"
expect_contains "$OUT" "MISSING: no file"
mig_sections "$m" 20240101000004 d "CREATE TABLE d (x INTEGER);" "DROP TABLE d;"
expect_exit 1 M up --dir "$m" --database-url "$U"
expect_contains "$ERR" "version 20240101000002 is recorded as applied but its file is not in $m [missing-migration-file]"
expect_exit 0 M up --allow-missing --dir "$m" --database-url "$U"
expect_contains "$OUT" "20240101000004_d.sql"
mv "$d/20240101000002_b.sql" "$m/"

# out of order: an older file arrives after newer ones were applied
mig_sections "$m" 20240101000000 early "CREATE TABLE early (x INTEGER);" "DROP TABLE early;"
expect_exit 1 M status --check --dir "$m" --database-url "$U"
expect_contains "$OUT" "OUT OF ORDER"
expect_exit 1 M up --dir "$m" --database-url "$U"
expect_contains "$ERR" "pending migration '20240101000000_early.sql' is older than the newest applied version 20240101000004 [out-of-order]"
expect_exit 0 M up --allow-out-of-order --dir "$m" --database-url "$U"
expect_contains "$OUT" "20240101000000_early.sql"
expect_exit 0 M status --check --dir "$m" --database-url "$U"

# rollback goes by apply order: the out-of-order one was applied last
expect_exit 0 M down --dir "$m" --database-url "$U"
expect_contains "$OUT" "reverted 20240101000000_early.sql"

# status --format json
expect_exit 0 M status --format json --dir "$m" --database-url "$U"
python3 - "$OUT" <<'EOF' || t_fail "status JSON"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["version"] == 1 and doc["dialect"] == "sqlite", doc
assert doc["summary"] == {"applied": 4, "pending": 1, "dirty": 0, "drifted": 0,
                          "missing": 0, "out_of_order": 1}, doc["summary"]
ms = doc["migrations"]
assert [x["version"] for x in ms] == ["20240101000000", "20240101000001",
        "20240101000002", "20240101000003", "20240101000004"], ms
assert ms[0]["state"] == "pending" and ms[0]["out_of_order"] is True
assert ms[1]["state"] == "applied" and ms[1]["applied_at"].endswith("Z")
assert ms[1]["checksum"] == ms[1]["applied_checksum"]
assert isinstance(ms[1]["execution_ms"], int) or ms[1]["execution_ms"] is None
assert "@" in ms[2]["applied_by"]
EOF

# ---- a dbmate ledger: schema_migrations(version) only, rows kept
a=$d/adopt.db
sqlite_q "$a" "CREATE TABLE schema_migrations (version varchar(128) primary key);
INSERT INTO schema_migrations VALUES ('20240101000001'), ('20240101000002');
CREATE TABLE a (x INTEGER); CREATE TABLE b (x INTEGER);"
rm "$m/20240101000000_early.sql"
expect_exit 1 M status --check --dir "$m" --database-url "sqlite:$a"
expect_contains "$OUT" "2 applied, 2 pending"
expect_not_contains "$OUT" "DRIFTED"
expect_exit 0 M up --dir "$m" --database-url "sqlite:$a"
expect_contains "$OUT" "2 migrations applied"
expect_eq "20240101000001||applied
20240101000002||applied
20240101000003|create|applied
20240101000004|create|applied" \
	"$(sqlite_q "$a" "SELECT version, substr(coalesce(applied_by,''),1,0) || CASE WHEN checksum IS NULL THEN '' ELSE 'create' END, coalesce(state,'applied') FROM schema_migrations ORDER BY version")" \
	"adopted ledger rows"
expect_eq 9 "$(sqlite_q "$a" "SELECT count(*) FROM pragma_table_info('schema_migrations')")" "columns after adoption"
expect_exit 0 M status --check --dir "$m" --database-url "sqlite:$a"

# a custom ledger table name
expect_exit 0 M up --dir "$m" --database-url "sqlite:$d/custom.db" --migrations-table "my ledger"
expect_eq 4 "$(sqlite_q "$d/custom.db" 'SELECT count(*) FROM "my ledger"')" "custom ledger table"

# an adopted ledger whose every cell of a row is NULL (SQLite lets a TEXT
# PRIMARY KEY hold NULL): read, reported as missing, nothing freed twice
sqlite3 "$d/nullrow.db" "CREATE TABLE schema_migrations (version TEXT PRIMARY KEY); INSERT INTO schema_migrations VALUES (NULL);"
expect_exit 0 M status --dir "$m" --database-url "sqlite:$d/nullrow.db"
expect_contains "$OUT" "1 missing"
expect_exit 1 M up --dir "$m" --database-url "sqlite:$d/nullrow.db"
expect_contains "$ERR" "[missing-migration-file]"
expect_contains "$ERR" "version '' is recorded as applied"

# versions an adopted ledger may hold that are not numbers: '', text with a
# quote, text with no digits. Each is shown as one shell word, and the
# hint's command, pasted as printed, removes that row and no other (all
# three compare equal as versions: they have no digit groups)
e=$d/oddrows.db
sqlite3 "$e" "CREATE TABLE schema_migrations (version TEXT PRIMARY KEY);
INSERT INTO schema_migrations VALUES (''), ('it''s x'), ('init');"
expect_exit 0 M status --dir "$m" --database-url "sqlite:$e"
expect_contains "$OUT" "missing  ''  "
expect_contains "$OUT" "missing  'it'\\''s x'  "
expect_contains "$OUT" "missing  init  "
expect_contains "$OUT" "3 missing"
expect_exit 1 M up --dir "$m" --database-url "sqlite:$e"
expect_contains "$ERR" "version '' is recorded as applied but its file is not in"
hint=$(sed -n "s/.*remove the record with '\(migrate mark .* --rolled-back\)'\$/\1/p" "$ERR")
expect_eq "migrate mark '' --rolled-back" "$hint" "hint for the empty version"
expect_exit 0 M mark '' --rolled-back --dir "$m" --database-url "sqlite:$e"
expect_contains "$OUT" "marked   '' as rolled back"
expect_eq "init
it's x" "$(sqlite_q "$e" "SELECT version FROM schema_migrations ORDER BY version")" "only the empty version removed"
# the next refusal names the next odd row, quoted so the shell keeps it whole
expect_exit 1 M up --dir "$m" --database-url "sqlite:$e"
hint=$(sed -n "s/.*remove the record with '\(migrate mark .* --rolled-back\)'\$/\1/p" "$ERR")
eval "set -- $hint"
expect_eq "migrate|mark|it's x|--rolled-back" "$1|$2|$3|$4" "hint's words"
expect_exit 0 M mark "$3" --rolled-back --dir "$m" --database-url "sqlite:$e"
expect_exit 2 M mark '' --rolled-back --dir "$m" --database-url "sqlite:$e"
expect_contains "$ERR" "[not-in-ledger]"
expect_eq "init" "$(sqlite_q "$e" "SELECT version FROM schema_migrations")" "'' matched no other text"

t_done
