#!/usr/bin/env bash
# Self-test of the PostgreSQL harness (tests/lib/pg.sh, pg_fixture.sh): the
# fixture's server is PostgreSQL 15, reachable only through its Unix socket,
# with default durability, and pg_new_db's URL works with libpq.
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/lib/common.sh
source "$here/../lib/common.sh"
t_begin pg_harness_selftest

[[ -n "${MIGRATE_PGDIR:-}" ]] || t_fail "MIGRATE_PGDIR is not set (needs the pg fixture)"
# shellcheck source=/dev/null
source "$MIGRATE_PGDIR/env.sh"
# shellcheck source=tests/lib/pg.sh
source "$here/../lib/pg.sh"

for v in PGHOST PGPORT PGUSER PGDATABASE MIGRATE_PG_BINDIR; do
	[[ -n "${!v:-}" ]] || t_fail "env.sh does not set $v"
done
expect_eq postgres "$PGDATABASE" PGDATABASE
[[ -S "$PGHOST/.s.PGSQL.$PGPORT" ]] || t_fail "no socket at $PGHOST/.s.PGSQL.$PGPORT"
((PGPORT >= 20000 && PGPORT <= 60000)) || t_fail "PGPORT $PGPORT outside 20000-60000"
if [[ $(id -u) -eq 0 ]]; then
	expect_eq postgres "$PGUSER" "PGUSER as root"
else
	expect_eq "$(id -un)" "$PGUSER" "PGUSER as non-root"
fi

# A database with an awkward name, to exercise quoting and URL encoding.
name="selftest_$$_Mixed Case"
t_on_exit "pg_drop_db '$name' >/dev/null 2>&1"
url=$(pg_new_db "$name")
expect_contains <(printf '%s\n' "$url") "postgresql:///selftest_$$_Mixed%20Case?host="
expect_contains <(printf '%s\n' "$url") "&port=$PGPORT&user=$PGUSER"

expect_exit 0 pg_psql -d "$url" -At -c 'SELECT version()'
expect_contains "$OUT" "PostgreSQL 15."
expect_exit 0 pg_psql -d "$url" -At -c 'SHOW server_version_num'
v=$(<"$OUT")
((v >= 150000 && v < 160000)) || t_fail "server_version_num $v is not 15"
expect_exit 0 pg_psql -d "$url" -At -c 'SELECT current_database()'
expect_eq "$name" "$(<"$OUT")" current_database
expect_exit 0 pg_psql -d "$url" -At -c 'SELECT current_user, inet_server_addr() IS NULL'
expect_eq "$PGUSER|t" "$(<"$OUT")" "user and socket connection"
expect_exit 0 pg_psql -d "$url" -At -c 'SHOW fsync'
expect_eq on "$(<"$OUT")" fsync
expect_exit 0 pg_psql -d "$url" -At -c 'SHOW listen_addresses'
expect_eq "" "$(<"$OUT")" listen_addresses

# DDL and DML round trip.
expect_exit 0 pg_psql -d "$url" -c 'CREATE TABLE harness_t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, note text NOT NULL)'
expect_exit 0 pg_psql -d "$url" -c "INSERT INTO harness_t (note) VALUES ('a'), ('b')"
expect_exit 0 pg_psql -d "$url" -At -c 'SELECT count(*) FROM harness_t'
expect_eq 2 "$(<"$OUT")" "row count"
expect_exit 0 pg_psql -d "$url" -c 'DROP TABLE harness_t'
expect_exit 0 pg_psql -d "$url" -At -c "SELECT to_regclass('public.harness_t') IS NULL"
expect_eq t "$(<"$OUT")" "table dropped"

# Errors surface as a non-zero exit.
expect_exit 1 pg_psql -d "$url" -c 'SELECT * FROM no_such_table'
expect_contains "$ERR" 'relation "no_such_table" does not exist'

# The database is isolated from the default one and can be dropped.
expect_exit 0 pg_drop_db "$name"
expect_exit 0 pg_psql -At -c "SELECT count(*) FROM pg_database WHERE datname = '$name'"
expect_eq 0 "$(<"$OUT")" "database dropped"

# t_pg_new_db works inside $(...) and names are unique.
u1=$(t_pg_new_db)
u2=$(t_pg_new_db)
[[ "$u1" != "$u2" ]] || t_fail "t_pg_new_db returned the same URL twice"
expect_exit 0 pg_psql -d "$u1" -At -c 'SELECT 1'

t_done
