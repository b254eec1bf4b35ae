#!/usr/bin/env bash
# Apply the example migrations by hand (without migrate), to check that every
# up works and every down restores exactly the schema before it:
#
#   bash migrations-example/verify.sh sqlite      # needs sqlite3
#   bash migrations-example/verify.sh postgres    # starts a throwaway PG 15
#                                                 # with tests/lib/pg.sh
#
# For each migration in order: run up, record the schema, run down and
# compare with the schema before it, run up again and compare. Sample rows
# are inserted along the way so downs and validations run against data.
# At the end every down runs in reverse order and the schema must be empty.
set -euo pipefail

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
root=$(cd -- "$here/.." && pwd)
engine=${1:-}
case $engine in
sqlite | postgres) ;;
*)
	echo "usage: $0 sqlite|postgres" >&2
	exit 2
	;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/migrate-example.XXXXXX")
cleanup() {
	if [[ $engine == postgres ]]; then
		pg_stop "$tmp/pg" || true
	fi
	rm -rf -- "$tmp"
}
trap cleanup EXIT

# section FILE up|down: print that section of a dbmate-layout file.
section() {
	awk -v want="$2" '
		/^[ \t]*--[ \t]*migrate:up([ \t]|$)/   { cur = "up"; next }
		/^[ \t]*--[ \t]*migrate:down([ \t]|$)/ { cur = "down"; next }
		cur == want { print }
	' "$1"
}

no_tx() {
	section "$1" "$2" | grep -Eq '^[[:space:]]*--[[:space:]]*migrate:no-transaction[[:space:]]*$'
}

if [[ $engine == sqlite ]]; then
	db=$tmp/example.db
	run_sql() { # FILE SECTION
		{
			echo "PRAGMA foreign_keys = ON;"
			echo "BEGIN;"
			section "$1" "$2"
			echo "COMMIT;"
		} | sqlite3 -batch -bail "$db"
	}
	exec_sql() { sqlite3 -batch -bail "$db" "$1"; }
	# A normalized schema: columns, indexes, foreign keys and CHECKs per
	# table, independent of how ALTER TABLE rewrote the stored SQL text.
	schema() {
		sqlite3 -batch -noheader "$db" "
			SELECT 'table ' || m.name || ' col ' || p.cid || ' ' || p.name || ' ' ||
			       p.type || ' notnull=' || p.\"notnull\" || ' dflt=' || ifnull(p.dflt_value, '-') ||
			       ' pk=' || p.pk
			  FROM sqlite_schema m, pragma_table_info(m.name) p
			 WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
			UNION ALL
			SELECT 'index ' || m.tbl_name || ' ' || m.name || ' ' || ifnull(m.sql, '(auto)')
			  FROM sqlite_schema m WHERE m.type = 'index'
			UNION ALL
			SELECT 'fk ' || m.name || ' ' || f.\"from\" || ' -> ' || f.\"table\" || '(' || f.\"to\" || ') on delete ' || f.on_delete
			  FROM sqlite_schema m, pragma_foreign_key_list(m.name) f
			 WHERE m.type = 'table'
			ORDER BY 1;"
		# CHECK constraints live only in the CREATE TABLE text.
		sqlite3 -batch -noheader "$db" \
			"SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%CHECK%' ORDER BY 1" |
			sed 's/^/check-in /'
	}
else
	# shellcheck source=tests/lib/pg.sh
	source "$root/tests/lib/pg.sh"
	pg_start "$tmp/pg"
	# shellcheck source=/dev/null
	source "$tmp/pg/env.sh"
	url=$(pg_new_db example)
	run_sql() { # FILE SECTION
		if no_tx "$1" "$2"; then
			section "$1" "$2" | pg_psql -d "$url" -f -
		else
			section "$1" "$2" | pg_psql -d "$url" --single-transaction -f -
		fi
	}
	exec_sql() { pg_psql -d "$url" -c "$1"; }
	schema() {
		"$MIGRATE_PG_BINDIR/pg_dump" --schema-only --no-owner --no-privileges \
			-d "$url" | grep -v -E '^(--|SET |SELECT pg_catalog.set_config|\\)' |
			sed '/^$/d'
	}
fi

# Sample data, inserted right after the migration named.
seed() {
	case "$engine:$1" in
	*:20240112093000_create_orders.sql)
		exec_sql "INSERT INTO users (email, name) VALUES ('ada@example.com', 'Ada'), ('bob@example.com', 'Bob')"
		exec_sql "INSERT INTO orders (user_id, status, total_cents) VALUES (1, 'paid', 1250), (1, 'pending', 990), (2, 'shipped', 4200)"
		;;
	*:20240420140000_create_shipments.sql)
		exec_sql "INSERT INTO shipments (order_id, carrier, tracking_number) VALUES (3, 'DHL', 'JD0001')"
		;;
	esac
}

dir=$here/$engine
mapfile -t files < <(cd "$dir" && ls -1 -- *.sql | sort)
((${#files[@]} > 0)) || {
	echo "no migrations in $dir" >&2
	exit 1
}

fail() {
	echo "verify($engine): FAIL: $*" >&2
	exit 1
}

initial=$(schema) # empty, up to what pg_dump prints for a fresh database
before=$initial
for f in "${files[@]}"; do
	echo "== $f"
	grep -q -- '-- migrate:up' "$dir/$f" || fail "$f: no up section"
	grep -q -- '-- migrate:down' "$dir/$f" || fail "$f: no down section"
	run_sql "$dir/$f" up >/dev/null || fail "$f: up failed"
	after=$(schema)
	[[ "$after" != "$before" ]] || fail "$f: up changed nothing"
	run_sql "$dir/$f" down >/dev/null || fail "$f: down failed"
	back=$(schema)
	if [[ "$back" != "$before" ]]; then
		diff <(printf '%s\n' "$before") <(printf '%s\n' "$back") >&2 || true
		fail "$f: down did not restore the previous schema"
	fi
	run_sql "$dir/$f" up >/dev/null || fail "$f: up after down failed"
	again=$(schema)
	if [[ "$again" != "$after" ]]; then
		diff <(printf '%s\n' "$after") <(printf '%s\n' "$again") >&2 || true
		fail "$f: up after down gave a different schema"
	fi
	seed "$f" >/dev/null
	before=$after
done

echo "== all down, newest first"
for ((i = ${#files[@]} - 1; i >= 0; i--)); do
	run_sql "$dir/${files[i]}" down >/dev/null || fail "${files[i]}: down failed"
done
end=$(schema)
if [[ "$end" != "$initial" ]]; then
	diff <(printf '%s\n' "$initial") <(printf '%s\n' "$end") >&2 || true
	fail "schema not back to empty after all downs"
fi
echo "verify($engine): ${#files[@]} migrations: up, down, up and full rollback OK"
