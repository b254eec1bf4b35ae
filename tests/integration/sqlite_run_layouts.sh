#!/usr/bin/env bash
# up / status / down round trips on real SQLite files in every layout
# (sections, pairs, dirs, releases), and `migrate new` in each layout.
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib/common.sh"
source "$here/run_helpers.bash"
t_begin sqlite_run_layouts

round_trip() {
	local layout=$1 m=$2 db=$3 empty full
	empty=$(sq_schema "$db")
	expect_exit 0 M up --dir "$m" --database-url "sqlite:$db"
	expect_contains "$OUT" "migrate: 3 migrations applied"
	for t in a b c; do
		expect_eq 1 "$(sqlite_q "$db" "SELECT count(*) FROM sqlite_schema WHERE name = 't_$t'")" "$layout: table t_$t"
	done
	expect_eq 3 "$(sqlite_q "$db" "SELECT count(*) FROM schema_migrations WHERE state = 'applied' AND NOT dirty AND checksum IS NOT NULL")" "$layout: ledger rows"
	full=$(sq_schema "$db")

	expect_exit 0 M status --dir "$m" --database-url "sqlite:$db" --check
	expect_contains "$OUT" "3 applied, 0 pending"
	expect_contains "$OUT" "($layout, 3)"

	# down one: the newest
	expect_exit 0 M down --dir "$m" --database-url "sqlite:$db"
	expect_contains "$OUT" "reverted"
	expect_contains "$OUT" "1 migration rolled back"
	expect_eq 0 "$(sqlite_q "$db" "SELECT count(*) FROM sqlite_schema WHERE name = 't_c'")" "$layout: t_c dropped"
	expect_exit 1 M status --dir "$m" --database-url "sqlite:$db" --check
	expect_contains "$OUT" "2 applied, 1 pending"

	# up again restores exactly the same schema
	expect_exit 0 M up --dir "$m" --database-url "sqlite:$db"
	expect_eq "$full" "$(sq_schema "$db")" "$layout: schema after down+up"

	# down everything, in two steps: 2 then the rest
	expect_exit 0 M down 2 --dir "$m" --database-url "sqlite:$db"
	expect_contains "$OUT" "2 migrations rolled back"
	expect_exit 0 M down --all --dir "$m" --database-url "sqlite:$db"
	expect_eq 0 "$(sqlite_q "$db" "SELECT count(*) FROM schema_migrations")" "$layout: ledger empty"
	expect_exit 0 M down --dir "$m" --database-url "sqlite:$db"
	expect_contains "$OUT" "nothing to roll back"
	# the schema is what it was, plus the ledger table
	expect_eq "$empty" "$(sq_schema "$db" | grep -v -i 'schema_migrations' || true)" "$layout: schema after down --all"
}

d=$(t_tmpdir)

# sections
m=$d/sections
mig_sections "$m" 20240101000001 a "CREATE TABLE t_a (x INTEGER);" "DROP TABLE t_a;"
mig_sections "$m" 20240101000002 b "CREATE TABLE t_b (x INTEGER);
CREATE INDEX t_b_x ON t_b (x);" "DROP TABLE t_b;"
mig_sections "$m" 20240101000003 c "CREATE TABLE t_c (x INTEGER);" "DROP TABLE t_c;"
round_trip sections "$m" "$d/sections.db"

# pairs
m=$d/pairs
mig_pairs "$m" 0001 a "CREATE TABLE t_a (x INTEGER);" "DROP TABLE t_a;"
mig_pairs "$m" 0002 b "CREATE TABLE t_b (x INTEGER);" "DROP TABLE t_b;"
mig_pairs "$m" 0003 c "CREATE TABLE t_c (x INTEGER);" "DROP TABLE t_c;"
round_trip pairs "$m" "$d/pairs.db"

# dirs (diesel style)
m=$d/dirs
mig_dirs "$m" 2024-01-01-000001 a "CREATE TABLE t_a (x INTEGER);" "DROP TABLE t_a;"
mig_dirs "$m" 2024-01-01-000002 b "CREATE TABLE t_b (x INTEGER);" "DROP TABLE t_b;"
mig_dirs "$m" 2024-01-01-000003 c "CREATE TABLE t_c (x INTEGER);" "DROP TABLE t_c;"
round_trip dirs "$m" "$d/dirs.db"

# releases, ordered by value (1.10.0 after 1.9.0)
m=$d/releases
mig_release "$m" "" 1.9.0 "CREATE TABLE t_a (x INTEGER);" "DROP TABLE t_a;"
mig_release "$m" 1.9.0 1.10.0 "CREATE TABLE t_b (x INTEGER);" "DROP TABLE t_b;"
mig_release "$m" 1.10.0 2.0.0 "CREATE TABLE t_c (x INTEGER);" "DROP TABLE t_c;"
round_trip releases "$m" "$d/releases.db"
expect_exit 0 M up --dir "$m" --database-url "sqlite:$d/releases.db" --to v1.10.0
expect_contains "$OUT" "2 migrations applied"
expect_eq "1.10.0
1.9.0" "$(sqlite_q "$d/releases.db" "SELECT version FROM schema_migrations ORDER BY version")" "--to v1.10.0"

# migrate new: one per layout, and it round-trips as a pending migration
expect_exit 0 M new add_users --dir "$d/fresh"
expect_contains "$OUT" "created $d/fresh/"
f=$(ls "$d/fresh")
[[ $f =~ ^[0-9]{14}_add_users\.sql$ ]] || t_fail "new in an empty dir made '$f'"
expect_contains "$d/fresh/$f" "-- migrate:up"
expect_contains "$d/fresh/$f" "-- migrate:down"

expect_exit 0 M new add_d --dir "$d/pairs"
expect_contains "$OUT" "$d/pairs/0004_add_d.up.sql"
expect_contains "$OUT" "$d/pairs/0004_add_d.down.sql"

expect_exit 0 M new add_d --dir "$d/dirs"
ls "$d/dirs" | grep -E -q '^[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{6}_add_d$' || t_fail "new in dirs layout"

expect_exit 2 M new add_d --dir "$d/releases"
expect_contains "$ERR" "--version X.Y.Z"
expect_exit 2 M new add_d --dir "$d/releases" --version 1.5.0
expect_contains "$ERR" "not newer"
expect_exit 0 M new add_d --dir "$d/releases" --version 2.1.0
[[ -f "$d/releases/v2.0.0_to_v2.1.0/upgrade.sql" && -f "$d/releases/v2.0.0_to_v2.1.0/downgrade.sql" ]] ||
	t_fail "new release dir"
expect_exit 0 M status --dir "$d/releases" --database-url "sqlite:$d/releases.db"
expect_contains "$OUT" "pending  2.1.0"

# names that would not round-trip are refused, and nothing is written
for bad in "a b" "x.up" "../x" "-x" ""; do
	expect_exit 2 M new --dir "$d/pairs" -- "$bad"
	expect_contains "$ERR" "[bad-"
done
expect_eq 8 "$(ls "$d/pairs" | wc -l)" "files in pairs after refused names"

t_done
