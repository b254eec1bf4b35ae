#!/usr/bin/env bash
# ctest fixture for the throwaway PostgreSQL 15 server (tests/lib/pg.sh).
#
#   pg_fixture.sh start DIR   FIXTURES_SETUP: stop any stale server left in
#                             DIR, then start a fresh one (DIR/env.sh)
#   pg_fixture.sh stop DIR    FIXTURES_CLEANUP: stop it and remove DIR
set -euo pipefail

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/lib/pg.sh
source "$here/pg.sh"

if (($# != 2)); then
	echo "usage: $0 start|stop DIR" >&2
	exit 2
fi

case $1 in
start)
	pg_stop "$2"
	t0=$(date +%s%N)
	pg_start "$2"
	t1=$(date +%s%N)
	# shellcheck source=/dev/null
	source "$2/env.sh"
	echo "pg_fixture: PostgreSQL up in $(((t1 - t0) / 1000000)) ms" \
		"(PGHOST=$PGHOST PGPORT=$PGPORT PGUSER=$PGUSER)"
	;;
stop)
	pg_stop "$2"
	echo "pg_fixture: stopped, $2 removed"
	;;
*)
	echo "usage: $0 start|stop DIR" >&2
	exit 2
	;;
esac
