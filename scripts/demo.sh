#!/usr/bin/env bash
# Build migrate and run it against a fresh SQLite database with the example
# migrations: status, up, status. (`migrate COMMAND [OPTIONS]`: the command
# comes first.)
set -euo pipefail

root=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

run() {
	printf '+ %s\n' "$*"
	"$@"
}

bash scripts/install-deps.sh
run cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
run cmake --build build -j"$(nproc)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/migrate-demo.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT
DB=$tmp/example.db

echo
run build/migrate status --dir migrations-example/sqlite --database-url "sqlite:$DB"
echo
run build/migrate up --dir migrations-example/sqlite --database-url "sqlite:$DB"
echo
run build/migrate status --dir migrations-example/sqlite --database-url "sqlite:$DB"
echo
echo "demo: done (the database was $DB, removed on exit)"
