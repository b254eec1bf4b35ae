#!/usr/bin/env bash
# Build migrate and run it against a fresh SQLite database with the example
# migrations: status, up, status.
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
run build/migrate --dir migrations-example/sqlite --database-url "sqlite:$DB" status
echo
run build/migrate --dir migrations-example/sqlite --database-url "sqlite:$DB" up
echo
run build/migrate --dir migrations-example/sqlite --database-url "sqlite:$DB" status
echo
echo "demo: done (the database was $DB, removed on exit)"
