#!/usr/bin/env bash
# A password never appears in any output: URLs and conninfo strings with
# the password s3cr3t-pass against a wrong host/port (connection errors
# that libpq may echo) and against the fixture (trust auth ignores it), in
# every command, --dry-run, status --format json, migration failures and
# configuration errors.
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib/common.sh"
source "$here/run_helpers.bash"
t_begin pg_run_password
t_pg_setup

PW=s3cr3t-pass
d=$(t_tmpdir)
m=$d/m
all=$d/all-output
: >"$all"
run() { # run EXPECTED_EXIT ARGS...: run migrate, keep everything it printed
	local want=$1
	shift
	expect_exit "$want" M "$@"
	cat "$OUT" "$ERR" >>"$all"
}
mig_sections "$m" 0001 a "CREATE TABLE a (x int);" "DROP TABLE a;"

# ---- wrong host / port: connection errors
run 3 status --dir "$m" --database-url "postgres://app:$PW@127.0.0.1:1/nodb"
expect_contains "$ERR" "[cannot-connect]"
expect_contains "$ERR" "postgres://app:****@127.0.0.1:1/nodb"
run 3 up --dir "$m" --database-url "postgresql://app:$PW@no-such-host.invalid:5432/nodb?connect_timeout=2"
run 3 up --dir "$m" --database-url "host=127.0.0.1 port=1 user=app password=$PW dbname=nodb"
expect_contains "$ERR" "password=****"
run 3 up --dir "$m" --database-url "host=127.0.0.1 port=1 user=app password='$PW' dbname=nodb"
run 3 up --dir "$m" --database-url "postgresql:///nodb?host=127.0.0.1&port=1&password=$PW"
run 3 status --dir "$m" --database-url "postgres://app:s3cr3t%2Dpass@127.0.0.1:1/nodb"
# libpq rejects this URL and its message would quote it
run 3 status --dir "$m" --database-url "postgres://app:$PW@127.0.0.1:1/nodb?bogus_option=1"
# password in the socket path position, in a config file, in env
run 3 status --dir "$m" --database-url "postgres://app:$PW@%2Fno%2Fsuch%2Fdir/nodb"
printf '{"database_url": "postgres://app:%s@127.0.0.1:1/nodb", "dir": "%s"}\n' "$PW" "$m" >"$d/cfg.json"
run 3 up --config "$d/cfg.json"
DATABASE_URL="postgres://app:$PW@127.0.0.1:1/nodb" run 3 status --dir "$m"
# configuration errors that happen before the URL is parsed
printf '{"database_url": "postgres://app:%s@127.0.0.1:1/nodb", "dir": "%s", "lock_timeout": "x"}\n' "$PW" "$m" >"$d/cfg.json"
run 2 up --config "$d/cfg.json"
run 2 up --config "$d/cfg.json" --database-url "mysql://root:$PW@h/db"
run 2 up --database-url "postgres://app:$PW@127.0.0.1:1/nodb" --dir "$d/nope"

# ---- against the fixture: trust auth accepts any password
db=$(t_pg_new_db password)
name=${db#postgresql:///}
name=${name%%\?*}
url="postgresql://$PGUSER:$PW@/$name?host=$(printf '%s' "$PGHOST" | sed 's|/|%2F|g')&port=$PGPORT"
run 0 up --dry-run --dir "$m" --database-url "$url"
run 0 up --dir "$m" --database-url "$url"
run 0 status --dir "$m" --database-url "$url"
expect_contains "$OUT" "postgresql://$PGUSER:****@/$name"
run 0 status --format json --dir "$m" --database-url "$url"
expect_contains "$OUT" "\"database\": \"postgresql://$PGUSER:****@/$name"
run 0 down --dry-run --dir "$m" --database-url "$url"
mig_sections "$m" 0002 b "SELECT '$PW is not in the SQL either, but this fails' + 1;"
run 3 up --dir "$m" --database-url "$url" || true
rm "$m/0002_b.sql"
mig_sections "$m" 0002 b "CREATE TABLE b (x int);"
run 0 up --dir "$m" --database-url "$url" --lock-wait 1s
run 0 mark 0002 --rolled-back --dir "$m" --database-url "$url"
run 0 down --dir "$m" --database-url "$url"
run 1 status --check --dir "$m" --database-url "$url"
conninfo="host=$PGHOST port=$PGPORT user=$PGUSER password=$PW dbname=$name"
run 0 status --dir "$m" --database-url "$conninfo"
expect_contains "$OUT" "password=****"

# the SQL of the failing migration mentions the password on purpose: that
# text is the user's, printed nowhere but in the error position; check
# everything else
grep -v "is not in the SQL either" "$all" >"$d/filtered"
if grep -n -e "$PW" -e "s3cr3t%2Dpass" "$d/filtered" >&2; then
	t_fail "the password appears in migrate's output (above)"
fi
[[ $(wc -l <"$all") -gt 30 ]] || t_fail "too little output collected to mean anything"

t_done
