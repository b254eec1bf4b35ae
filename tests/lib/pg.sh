# shellcheck shell=bash
#
# tests/lib/pg.sh: start and stop a throwaway PostgreSQL 15 server.
#
# Source this file, then:
#
#   pg_start DIR     initdb + start a server whose files live in DIR; writes
#                    DIR/env.sh exporting PGHOST PGPORT PGUSER PGDATABASE
#                    MIGRATE_PG_BINDIR. Unix socket only, trust auth.
#   pg_stop DIR      stop it (fast, then immediate, then SIGKILL of the
#                    postmaster it started) and remove DIR. A no-op when
#                    there is nothing in DIR.
#   pg_new_db NAME   (after sourcing DIR/env.sh) create database NAME and
#                    print a libpq URL for it.
#   pg_drop_db NAME  drop database NAME (WITH (FORCE)).
#   pg_url NAME      print the libpq URL for database NAME.
#   pg_psql ARGS...  psql -X -q -v ON_ERROR_STOP=1 with the env.sh settings.
#
# Works as root and as a normal user. initdb refuses to run as root, so as
# root every server command runs as the `postgres` system user (created by
# Debian's postgresql package) through `runuser -u postgres --`, and DIR is
# made accessible to it. When DIR cannot be reached by that user (e.g. it is
# under /root) or its socket path would be too long for a Unix socket, the
# server files go to a fresh directory under /tmp instead, recorded in
# DIR/pg.run, and pg_stop removes that too.
#
# fsync and every other durability setting keep their defaults: benchmarks
# run against this server measure the default configuration. Only initdb
# itself runs with --no-sync (it affects nothing after the server starts).

# The directory holding the PostgreSQL server binaries (initdb, pg_ctl, ...).
pg__bindir() {
	if [[ -n "${MIGRATE_PG_BINDIR:-}" && -x "${MIGRATE_PG_BINDIR}/pg_ctl" ]]; then
		printf '%s\n' "$MIGRATE_PG_BINDIR"
		return 0
	fi
	if [[ -x /usr/lib/postgresql/15/bin/pg_ctl ]]; then
		printf '%s\n' /usr/lib/postgresql/15/bin
		return 0
	fi
	local d
	if command -v pg_config >/dev/null 2>&1; then
		d=$(pg_config --bindir 2>/dev/null || true)
		if [[ -n "$d" && -x "$d/pg_ctl" && -x "$d/initdb" ]]; then
			printf '%s\n' "$d"
			return 0
		fi
	fi
	if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
		d=$(dirname -- "$(command -v pg_ctl)")
		printf '%s\n' "$d"
		return 0
	fi
	echo "pg.sh: cannot find PostgreSQL server binaries (initdb, pg_ctl):" \
		"install the postgresql package (scripts/install-deps.sh)" >&2
	return 1
}

pg__is_root() { [[ $(id -u) -eq 0 ]]; }

# Run a server command as the server's user, from a directory it can read.
pg__as_server() {
	if pg__is_root; then
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

# An absolute, normalized path (the directory need not exist yet).
pg__abspath() {
	local p=$1
	[[ $p == /* ]] || p="$PWD/$p"
	# Drop trailing slashes (keep "/").
	while [[ $p == */ && $p != / ]]; do p=${p%/}; done
	printf '%s\n' "$p"
}

# Percent-encode a string for a libpq URL component (keeps unreserved and /).
pg__urlencode() {
	local s=$1 out='' c i hex
	local LC_ALL=C
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case $c in
		[A-Za-z0-9._~/-]) out+=$c ;;
		*)
			printf -v hex '%%%02X' "'$c"
			out+=$hex
			;;
		esac
	done
	printf '%s\n' "$out"
}

# Can the server user reach (search + write) directory $1?
pg__server_can_use() {
	if pg__is_root; then
		(cd / && runuser -u postgres -- test -x "$1" -a -w "$1") 2>/dev/null
	else
		test -x "$1" -a -w "$1"
	fi
}

# As root: give the postgres user search permission on the directories
# between $1's parent and the temp root that we own (e.g. mktemp -d dirs,
# which are created 0700). Never touches anything outside the temp root.
pg__open_tmp_ancestors() {
	local d tmproot
	for tmproot in "${TMPDIR:-/tmp}" /tmp; do
		tmproot=$(pg__abspath "$tmproot")
		d=$(dirname -- "$1")
		while [[ $d == "$tmproot"/* ]]; do
			if [[ -O $d ]]; then
				chmod o+x -- "$d" 2>/dev/null || true
			fi
			d=$(dirname -- "$d")
		done
	done
}

# The directory the server files live in for DIR (DIR itself, or the
# fallback recorded in DIR/pg.run).
pg__rundir() {
	local dir=$1
	if [[ -f "$dir/pg.run" ]]; then
		cat -- "$dir/pg.run"
	else
		printf '%s\n' "$dir"
	fi
}

pg_start() {
	if (($# != 1)); then
		echo "usage: pg_start DIR" >&2
		return 2
	fi
	local dir bindir run user port sock i
	dir=$(pg__abspath "$1")
	bindir=$(pg__bindir) || return 1

	if [[ -e "$dir/pg.run" || -e "$dir/data" ]]; then
		echo "pg_start: $dir already holds a server; pg_stop it first" >&2
		return 1
	fi
	if pg__is_root && ! id -u postgres >/dev/null 2>&1; then
		echo "pg_start: running as root needs the 'postgres' system user" \
			"(install the postgresql package)" >&2
		return 1
	fi
	mkdir -p -- "$dir" || return 1

	if pg__is_root; then
		user=postgres
		chmod 0755 -- "$dir"
		pg__open_tmp_ancestors "$dir"
	else
		user=$(id -un)
	fi

	# Where the server files go: DIR, unless the server user cannot reach
	# it or the socket path would exceed sun_path (107 bytes with the
	# "/.s.PGSQL.NNNNN.lock" suffix).
	run=$dir
	local probe_ok=1
	if pg__is_root; then
		mkdir -p -- "$dir/sock"
		chown postgres: -- "$dir/sock"
		pg__server_can_use "$dir/sock" || probe_ok=0
	fi
	if ((probe_ok == 0 || ${#dir} + 5 + 20 > 100)); then
		run=$(mktemp -d /tmp/migrate-pg.XXXXXX) || return 1
		chmod 0755 -- "$run"
	fi
	printf '%s\n' "$run" >"$dir/pg.run"

	mkdir -p -- "$run/data" "$run/sock" "$run/log" || return 1
	chmod 0700 -- "$run/data"
	if pg__is_root; then
		chown postgres: -- "$run/data" "$run/sock" "$run/log"
	fi
	sock=$run/sock

	# A port whose socket (and lock) file does not exist yet.
	for ((i = 0; i < 100; i++)); do
		port=$((20000 + (RANDOM * 32768 + RANDOM) % 40001))
		[[ -e "$sock/.s.PGSQL.$port" || -e "$sock/.s.PGSQL.$port.lock" ]] || break
	done

	if ! pg__as_server "$bindir/initdb" -D "$run/data" -U "$user" \
		--auth=trust -E UTF8 --locale=C --no-sync --no-instructions \
		>"$dir/initdb.log" 2>&1; then
		echo "pg_start: initdb failed:" >&2
		cat -- "$dir/initdb.log" >&2
		return 1
	fi

	# Our settings, appended to initdb's postgresql.conf (later lines win).
	{
		echo "# written by tests/lib/pg.sh"
		echo "listen_addresses = ''"
		echo "unix_socket_directories = '$sock'"
		echo "port = $port"
		echo "logging_collector = off"
		echo "log_min_messages = warning"
		echo "max_connections = 100"
	} >"$dir/pg.conf.tmp"
	cat -- "$dir/pg.conf.tmp" >>"$run/data/postgresql.conf" || return 1
	rm -f -- "$dir/pg.conf.tmp"

	if ! pg__as_server "$bindir/pg_ctl" -D "$run/data" -l "$run/log/postgres.log" \
		-w -t 120 -s start </dev/null >"$dir/pg_ctl.log" 2>&1; then
		echo "pg_start: server failed to start; log:" >&2
		cat -- "$dir/pg_ctl.log" "$run/log/postgres.log" >&2 2>/dev/null
		pg_stop "$dir" >/dev/null 2>&1 || true
		return 1
	fi

	{
		echo "# PostgreSQL test server started by tests/lib/pg.sh"
		printf 'export PGHOST=%q\n' "$sock"
		printf 'export PGPORT=%q\n' "$port"
		printf 'export PGUSER=%q\n' "$user"
		printf 'export PGDATABASE=postgres\n'
		printf 'export MIGRATE_PG_BINDIR=%q\n' "$bindir"
		printf 'export MIGRATE_PG_RUNDIR=%q\n' "$run"
		printf 'export MIGRATE_PGDIR=%q\n' "$dir"
	} >"$dir/env.sh.tmp" && mv -f -- "$dir/env.sh.tmp" "$dir/env.sh"
	chmod 0644 -- "$dir/env.sh"
	return 0
}

# Is PID a live postmaster for data directory $2?
pg__is_our_postmaster() {
	local pid=$1 data=$2 cmd
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	[[ -r /proc/$pid/cmdline ]] || return 1
	cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
	[[ $cmd == *postgres* && $cmd == *"$data"* ]]
}

pg_stop() {
	if (($# != 1)); then
		echo "usage: pg_stop DIR" >&2
		return 2
	fi
	local dir run data bindir pid i rc=0
	dir=$(pg__abspath "$1")
	[[ -e "$dir" ]] || return 0
	run=$(pg__rundir "$dir")
	data=$run/data

	if [[ -f "$data/postmaster.pid" ]]; then
		pid=$(head -n 1 -- "$data/postmaster.pid" 2>/dev/null || true)
		bindir=$(pg__bindir) || bindir=
		if [[ -n "$bindir" ]]; then
			pg__as_server "$bindir/pg_ctl" -D "$data" -m fast -w -t 60 -s stop \
				</dev/null >/dev/null 2>&1 ||
				pg__as_server "$bindir/pg_ctl" -D "$data" -m immediate -w -t 30 -s stop \
					</dev/null >/dev/null 2>&1 || true
		fi
		# Last resort: the postmaster we started, by its id.
		if pg__is_our_postmaster "$pid" "$data"; then
			kill -KILL "$pid" 2>/dev/null || true
		fi
		for ((i = 0; i < 100; i++)); do
			pg__is_our_postmaster "$pid" "$data" || break
			sleep 0.1
		done
		if pg__is_our_postmaster "$pid" "$data"; then
			echo "pg_stop: postmaster $pid for $data is still running" >&2
			rc=1
		fi
		# Backends exit on their own once the postmaster is gone; wait
		# for any that still name this data directory.
		for ((i = 0; i < 100; i++)); do
			pg__any_backend_left "$run" || break
			sleep 0.1
		done
	fi

	if ((rc == 0)); then
		if [[ "$run" != "$dir" && "$run" == /tmp/migrate-pg.* ]]; then
			rm -rf -- "$run"
		fi
		rm -rf -- "$dir"
	fi
	return "$rc"
}

# Any process still holding a file under run dir $1 open as its cwd? A
# postgres backend's cwd is the data directory.
pg__any_backend_left() {
	local p cwd
	for p in /proc/[0-9]*; do
		cwd=$(readlink -- "$p/cwd" 2>/dev/null) || continue
		[[ $cwd == "$1/data" || $cwd == "$1/data/"* ]] && return 0
	done
	return 1
}

pg__need_env() {
	if [[ -z "${PGHOST:-}" || -z "${PGPORT:-}" || -z "${PGUSER:-}" ]]; then
		echo "pg.sh: PGHOST/PGPORT/PGUSER not set: source DIR/env.sh first" >&2
		return 1
	fi
}

pg__psql_bin() {
	if [[ -n "${MIGRATE_PG_BINDIR:-}" && -x "$MIGRATE_PG_BINDIR/psql" ]]; then
		printf '%s\n' "$MIGRATE_PG_BINDIR/psql"
	else
		command -v psql || {
			echo "pg.sh: psql not found" >&2
			return 1
		}
	fi
}

# psql with the env.sh settings; stops at the first error.
pg_psql() {
	pg__need_env || return 1
	local psql
	psql=$(pg__psql_bin) || return 1
	"$psql" -X -q -v ON_ERROR_STOP=1 "$@"
}

# The libpq URL of database NAME on the env.sh server.
pg_url() {
	pg__need_env || return 1
	printf 'postgresql:///%s?host=%s&port=%s&user=%s\n' \
		"$(pg__urlencode "$1")" "$(pg__urlencode "$PGHOST")" \
		"$(pg__urlencode "$PGPORT")" "$(pg__urlencode "$PGUSER")"
}

# Create database NAME and print its URL.
pg_new_db() {
	if (($# != 1)) || [[ -z "$1" ]]; then
		echo "usage: pg_new_db NAME" >&2
		return 2
	fi
	pg__need_env || return 1
	# psql interpolates :"name" as a quoted identifier (not with -c, so
	# the command goes through stdin).
	printf 'CREATE DATABASE :"dbname";\n' |
		pg_psql -d postgres -v dbname="$1" -f - >/dev/null || return 1
	pg_url "$1"
}

# Drop database NAME (closing its connections).
pg_drop_db() {
	if (($# != 1)) || [[ -z "$1" ]]; then
		echo "usage: pg_drop_db NAME" >&2
		return 2
	fi
	pg__need_env || return 1
	printf 'DROP DATABASE IF EXISTS :"dbname" WITH (FORCE);\n' |
		pg_psql -d postgres -v dbname="$1" -f - >/dev/null
}
