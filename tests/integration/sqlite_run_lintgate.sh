#!/usr/bin/env bash
# `migrate up` lints the pending migrations (with the schema of the earlier
# ones) before executing anything: an error-level finding refuses the run
# with exit 1 and the database untouched, --dry-run included; --allow RULE,
# a lint-ignore with a reason in the file, or a config severity lets it
# through; an unknown --allow rule is a usage error (exit 2).
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib/common.sh"
source "$here/run_helpers.bash"
t_begin sqlite_run_lintgate

d=$(t_tmpdir)
m=$d/m
db=$d/app.db
url="sqlite:$db"
mig_sections "$m" 0001 users "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, name TEXT);" \
	"DROP TABLE users;"
expect_exit 0 M up --dir "$m" --database-url "$url"
before_schema=$(sq_schema "$db")
before_ledger=$(sq_ledger "$db")

# 0002 is safe, 0003 drops a column the running app may use: the whole run
# is refused before 0002 runs either
mig_sections "$m" 0002 orders "CREATE TABLE orders (id INTEGER PRIMARY KEY);" "DROP TABLE orders;"
mig_sections "$m" 0003 drop_email "ALTER TABLE users DROP COLUMN email;" \
	"ALTER TABLE users ADD COLUMN email TEXT;"
expect_exit 1 M up --dir "$m" --database-url "$url"
expect_contains "$ERR" "$m/0003_drop_email.sql:2:19: error: column \"email\" of table \"users\" is dropped"
expect_contains "$ERR" "[drop-column]"
expect_contains "$ERR" "refusing to migrate: 1 lint error in pending migrations [lint-refused]"
expect_contains "$ERR" "migrate up --allow drop-column"
expect_not_contains "$OUT" "applied"
expect_eq "$before_schema" "$(sq_schema "$db")" "schema after the refusal"
expect_eq "$before_ledger" "$(sq_ledger "$db")" "ledger after the refusal"

# a dry run says the same and exits the same way
expect_exit 1 M up --dry-run --dir "$m" --database-url "$url"
expect_contains "$ERR" "[lint-refused]"
expect_eq "$before_ledger" "$(sq_ledger "$db")" "ledger after a refused dry run"

# an unknown rule in --allow is a usage error, with a suggestion
expect_exit 2 M up --allow drop-colum --dir "$m" --database-url "$url"
expect_contains "$ERR" "--allow names unknown rule 'drop-colum' [unknown-rule]"
expect_contains "$ERR" "did you mean 'drop-column'?"
expect_eq "$before_ledger" "$(sq_ledger "$db")" "ledger after a usage error"

# --up to the safe one only: nothing unsafe is pending, so it runs
expect_exit 0 M up --to 0002 --dir "$m" --database-url "$url"
expect_contains "$OUT" "1 migration applied"

# allowed on the command line, it runs
expect_exit 0 M up --allow drop-column --dir "$m" --database-url "$url"
expect_contains "$OUT" "applied  0003_drop_email.sql"
expect_eq "0" "$(sqlite_q "$db" "SELECT count(*) FROM pragma_table_info('users') WHERE name = 'email'")" "email dropped"

# suppressed in the file with a reason, it runs; warnings are shown, not blocking
cat >"$m/0004_drop_name.sql" <<'EOF'
-- migrate:up
-- migrate:lint-ignore drop-column -- the app stopped reading name in release 41
ALTER TABLE users DROP COLUMN name;
-- migrate:down
ALTER TABLE users ADD COLUMN name TEXT;
EOF
expect_exit 0 M up --dir "$m" --database-url "$url"
expect_contains "$OUT" "applied  0004_drop_name.sql"

# an ignore naming an unknown rule stops everything (exit 2): a typo must
# not pass for a suppression
cat >"$m/0005_drop_orders.sql" <<'EOF'
-- migrate:up
-- migrate:lint-ignore drop-tabel -- orders moved to the billing service
DROP TABLE orders;
-- migrate:down
CREATE TABLE orders (id INTEGER PRIMARY KEY);
EOF
s5=$(sq_schema "$db")
expect_exit 2 M up --dir "$m" --database-url "$url"
expect_contains "$ERR" "drop-tabel"
expect_eq "$s5" "$(sq_schema "$db")" "schema after an unknown rule in a directive"

# the configuration can lower a rule's severity for the gate
sed -i 's/drop-tabel/drop-table/' "$m/0005_drop_orders.sql"
sed -i '/lint-ignore/d' "$m/0005_drop_orders.sql"
expect_exit 1 M up --dir "$m" --database-url "$url"
expect_contains "$ERR" "[drop-table]"
cat >"$d/migrate.json" <<EOF
{ "dir": "$m", "database_url": "$url",
  "lint": { "rules": { "drop-table": "warning" } } }
EOF
expect_exit 0 M up --config "$d/migrate.json"
expect_contains "$ERR" "warning:"
expect_contains "$ERR" "[drop-table]"
expect_contains "$OUT" "applied  0005_drop_orders.sql"

t_done
