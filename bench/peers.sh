# shellcheck shell=bash
#
# bench/peers.sh: the peer tools for side-by-side figures, sourced by
# bench/run.sh.
#
#   peers_setup          find squawk and dbmate, installing them once with
#                        `npm ci` in bench/ (package-lock.json pins
#                        squawk-cli and dbmate) when they are missing; sets
#                        SQUAWK and DBMATE to the native binaries (never the
#                        node wrappers in node_modules/.bin, which add a Node
#                        start to every run), or to "" with a reason in
#                        PEERS_NOTE. Needs the network only for that first
#                        install.
#   peers_versions       print "squawk X, dbmate Y" for the results.
#   dbmate_pg_url DB     dbmate's URL for database DB on the tests/lib/pg.sh
#                        server described by PGHOST/PGPORT/PGUSER (Unix
#                        socket, as in /work/shared/anchors/runners.md s. 4).
#   dbmate_seed URL DIR LEDGER_CMD...
#                        make the database at URL look as if dbmate had
#                        applied every migration in DIR: `dbmate up` of the
#                        first one (dbmate creates its own schema_migrations
#                        table), then one INSERT of the other versions,
#                        piped to LEDGER_CMD (sqlite3 DB or psql ...). Used
#                        for `status` with 10,000 applied, where running
#                        10,000 migrations through dbmate would only add
#                        minutes to the run, not change what status reads.

bench_dir=${bench_dir:-$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)}

peers__find() {
	# $1 = package scope dir (@squawk-cli, @dbmate), $2 = binary name
	local f
	for f in "$bench_dir/node_modules/$1"/*/bin/"$2"; do
		if [[ -x $f ]]; then
			printf '%s\n' "$f"
			return 0
		fi
	done
	return 1
}

peers_setup() {
	SQUAWK=
	DBMATE=
	PEERS_NOTE=
	if ! SQUAWK=$(peers__find @squawk-cli squawk) ||
		! DBMATE=$(peers__find @dbmate dbmate); then
		if ! command -v npm >/dev/null 2>&1; then
			SQUAWK=
			DBMATE=
			PEERS_NOTE="squawk/dbmate not installed and npm not found: peer figures skipped (install Node.js + npm, then rerun: bench/run.sh runs 'npm ci' in bench/)"
			return 0
		fi
		echo "bench: installing squawk-cli and dbmate once (npm ci in bench/)" >&2
		if ! (cd -- "$bench_dir" && timeout 600 npm ci --no-audit --no-fund \
			--loglevel=error) >"$bench_dir/results/npm.log" 2>&1; then
			SQUAWK=
			DBMATE=
			PEERS_NOTE="npm ci in bench/ failed (no network?), see bench/results/npm.log: peer figures skipped"
			return 0
		fi
		SQUAWK=$(peers__find @squawk-cli squawk) || SQUAWK=
		DBMATE=$(peers__find @dbmate dbmate) || DBMATE=
		if [[ -z $SQUAWK || -z $DBMATE ]]; then
			PEERS_NOTE="npm ci ran but no native squawk/dbmate binary for this platform was found under bench/node_modules: peer figures skipped"
			SQUAWK=
			DBMATE=
		fi
	fi
	return 0
}

peers_versions() {
	local s d
	s=$("$SQUAWK" --version 2>/dev/null | awk '{ print $NF }')
	d=$("$DBMATE" --version 2>/dev/null | awk '{ print $NF }')
	printf 'squawk %s, dbmate %s\n' "$s" "$d"
}

dbmate_pg_url() {
	printf 'postgres://%s@/%s?socket=%s&port=%s&sslmode=disable\n' \
		"$PGUSER" "$1" "$PGHOST" "$PGPORT"
}

dbmate_seed() {
	local url=$1 dir=$2 one rest all=()
	shift 2
	# (No `| head` here: callers run with pipefail, and SIGPIPE would count.)
	mapfile -t all < <(find "$dir" -maxdepth 1 -name '*.sql' -printf '%f\n' | LC_ALL=C sort)
	((${#all[@]})) || return 1
	one=$(mktemp -d "${TMPDIR:-/tmp}/bench-dbmate-one.XXXXXX")
	cp -- "$dir/${all[0]}" "$one/"
	if ! "$DBMATE" -u "$url" -d "$one" --no-dump-schema up >/dev/null; then
		rm -rf -- "$one"
		return 1
	fi
	rm -rf -- "$one"
	# The other versions: the digits before the first "_" of each name.
	((${#all[@]} > 1)) || return 0
	rest=$(printf '%s\n' "${all[@]:1}" | sed 's/_.*//' |
		awk '{ printf "%s('\''%s'\'')", (NR > 1 ? "," : ""), $0 }')
	printf 'INSERT INTO schema_migrations (version) VALUES %s;\n' "$rest" | "$@" >/dev/null
}
