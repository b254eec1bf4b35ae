# shellcheck shell=bash
#
# tests/integration/run_helpers.bash: helpers shared by the runner's
# integration tests (sqlite_run_*.sh, pg_run_*.sh). Source after
# tests/lib/common.sh. (Named .bash so the test glob does not run it.)
#
#   mig_sections DIR VERSION NAME UP [DOWN]   write VERSION_NAME.sql
#   mig_pairs DIR VERSION NAME UP [DOWN]      write .up.sql / .down.sql
#   mig_dirs DIR VERSION NAME UP [DOWN]       write VERSION_NAME/up.sql ...
#   mig_release DIR FROM TO UP [DOWN]         write vFROM_to_vTO/upgrade.sql
#                                             (FROM empty: vTO/)
#   sq_schema DB                              sqlite3 .schema, one statement
#                                             a line, blanks squeezed
#   sq_ledger DB                              "version|state|dirty" rows
#   pg_schema URL [ARGS]                      pg_dump --schema-only, no
#                                             comments, settings or the
#                                             random \restrict keys
#   pg_q URL SQL                              psql -At, one value a line
#   M ARGS...                                 "$MIGRATE_BIN" ARGS...

M() { "$MIGRATE_BIN" "$@"; }

mig_sections() {
	local dir=$1 v=$2 name=$3 up=$4 down=${5-}
	mkdir -p -- "$dir"
	{
		printf -- '-- migrate:up\n%s\n' "$up"
		if [[ -n "$down" ]]; then
			printf -- '\n-- migrate:down\n%s\n' "$down"
		fi
	} >"$dir/${v}_${name}.sql"
}

mig_pairs() {
	local dir=$1 v=$2 name=$3 up=$4 down=${5-}
	mkdir -p -- "$dir"
	printf '%s\n' "$up" >"$dir/${v}_${name}.up.sql"
	if [[ -n "$down" ]]; then
		printf '%s\n' "$down" >"$dir/${v}_${name}.down.sql"
	fi
}

mig_dirs() {
	local dir=$1 v=$2 name=$3 up=$4 down=${5-}
	mkdir -p -- "$dir/${v}_${name}"
	printf '%s\n' "$up" >"$dir/${v}_${name}/up.sql"
	if [[ -n "$down" ]]; then
		printf '%s\n' "$down" >"$dir/${v}_${name}/down.sql"
	fi
}

mig_release() {
	local dir=$1 from=$2 to=$3 up=$4 down=${5-} d
	if [[ -n "$from" ]]; then
		d="$dir/v${from}_to_v${to}"
	else
		d="$dir/v${to}"
	fi
	mkdir -p -- "$d"
	printf '%s\n' "$up" >"$d/upgrade.sql"
	if [[ -n "$down" ]]; then
		printf '%s\n' "$down" >"$d/downgrade.sql"
	fi
}

sq_schema() {
	sqlite3 -batch -noheader "$1" .schema | tr -s '[:space:]' ' ' |
		sed 's/; */;\n/g' | sed '/^ *$/d'
}

sq_ledger() {
	sqlite3 -batch -noheader "$1" \
		"SELECT version, state, dirty FROM schema_migrations ORDER BY version" 2>/dev/null || true
}

pg_q() {
	pg_psql -d "$1" -At -c "$2"
}

pg_schema() {
	local dump=pg_dump
	if [[ -n "${MIGRATE_PG_BINDIR:-}" && -x "$MIGRATE_PG_BINDIR/pg_dump" ]]; then
		dump=$MIGRATE_PG_BINDIR/pg_dump
	fi
	"$dump" --schema-only --no-owner --no-privileges -d "$1" "${@:2}" |
		sed -E -e '/^(--|SET |SELECT pg_catalog.set_config|\\(un)?restrict )/d' \
			-e '/^$/d'
}
