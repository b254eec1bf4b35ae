#!/usr/bin/env bash
# lint.cli: `migrate lint` end to end (docs/commands/migrate-lint.md):
# every output format, exit codes, --rule/--fail-on/--only/--exclude,
# suppression directives, baselines, standard input, context from the
# migrations directory, the config file, colour.
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib/common.sh"
t_begin lint_cli

: "${MIGRATE_BIN:?MIGRATE_BIN must point at the migrate binary}"
M=$MIGRATE_BIN
unset MIGRATE_CONFIG MIGRATE_ENV DATABASE_URL MIGRATIONS_DIR MIGRATE_DATABASE_URL NO_COLOR
V="python3 $here/validate_output.py"
# Most cases run the three sample rules only, so that rules added later do
# not change what these tests see; a few run everything.
ml() {
	"$M" lint --only drop-column --only create-index-non-concurrent \
		--only concurrently-in-transaction "$@"
}

d=$(t_tmpdir)
cd "$d"
printf 'ALTER TABLE users DROP COLUMN nickname;\n' >bad.sql
printf 'CREATE TABLE t (id bigint PRIMARY KEY);\nCREATE INDEX t_id ON t (id);\n' >clean.sql
printf 'CREATE INDEX orders_user_idx ON orders (user_id);\nALTER TABLE users DROP COLUMN a, DROP COLUMN b;\n' >two.sql

# ---- text (default) -------------------------------------------------------
expect_exit 1 ml bad.sql
expect_contains "$OUT" "bad.sql:1:19: error: column \"nickname\" of table \"users\" is dropped"
expect_contains "$OUT" "[drop-column]"
expect_contains "$OUT" "    1 | ALTER TABLE users DROP COLUMN nickname;"
expect_contains "$OUT" "      |                   ^~~~~~~~~~~~~~~~~~~~"
expect_contains "$OUT" '  = lock: ACCESS EXCLUSIVE on "users" (blocks reads and writes)'
expect_contains "$OUT" "  = help: "
expect_contains "$OUT" "1 error, 0 warnings, 0 infos in 1 file (1 statement)"
expect_not_contains "$OUT" $'\033['
expect_exit 0 ml clean.sql
expect_contains "$OUT" "no problems in 1 file (2 statements)"

# colour: never on a pipe, always when asked, NO_COLOR wins over auto
expect_exit 1 ml --color always bad.sql
expect_contains "$OUT" $'\033[1;31merror'
export NO_COLOR=1
expect_exit 1 ml --color auto bad.sql
expect_not_contains "$OUT" $'\033['
expect_exit 1 ml --color always bad.sql
expect_contains "$OUT" $'\033['
unset NO_COLOR
expect_exit 2 ml --color sometimes bad.sql

# ---- gcc --------------------------------------------------------------------
expect_exit 1 ml --format gcc two.sql
expect_eq 3 "$(wc -l <"$OUT")" "gcc lines"
expect_contains "$OUT" "two.sql:1:1: error: index \"orders_user_idx\" is built without CONCURRENTLY"
expect_contains "$OUT" "two.sql:2:19: error: column \"a\" of table \"users\" is dropped while the running app version may still read or write it [drop-column]"
grep -Eq '^two.sql:2:34: error: column "b" .* \[drop-column\]$' "$OUT" || t_fail "gcc line for b"

# ---- json -------------------------------------------------------------------
expect_exit 1 ml --format json bad.sql two.sql clean.sql
cp "$OUT" out.json
$V json out.json 4 >/dev/null || t_fail "json output: $($V json out.json)"
python3 - out.json <<'PY' || t_fail "json content"
import json, sys
d = json.load(open(sys.argv[1]))
x = d["diagnostics"][0]
assert x["file"] == "bad.sql" and (x["line"], x["column"]) == (1, 19), x
assert (x["end_line"], x["end_column"]) == (1, 40), x   # end of the statement
assert x["rule"] == "drop-column" and x["severity"] == "error", x
assert x["lock"] == {"mode": "ACCESS EXCLUSIVE", "relation": "users",
                     "blocks": "reads and writes"}, x
assert d["summary"]["files"] == 3 and d["summary"]["statements"] == 5, d["summary"]
PY

# ---- sarif ------------------------------------------------------------------
mkdir -p "dir with space"
cp bad.sql "dir with space/a b.sql"
expect_exit 1 ml --format sarif bad.sql "dir with space/a b.sql" two.sql
cp "$OUT" out.sarif
$V sarif out.sarif 5 >/dev/null || t_fail "sarif output: $($V sarif out.sarif)"
expect_contains out.sarif '"uri":"dir%20with%20space/a%20b.sql","uriBaseId":"%SRCROOT%"'
expect_contains out.sarif '"level":"error"'
# every rule of the registry, and their findings, make valid SARIF too
expect_exit 1 "$M" lint --format sarif bad.sql two.sql clean.sql
cp "$OUT" all.sarif
$V sarif all.sarif >/dev/null || t_fail "sarif (all rules): $($V sarif all.sarif)"
expect_exit 1 "$M" lint --format json bad.sql two.sql clean.sql
cp "$OUT" all.json
$V json all.json >/dev/null || t_fail "json (all rules): $($V json all.json)"
# an info is a SARIF note
mkdir -p down
printf -- '-- migrate:up\nALTER TABLE users ADD COLUMN x int;\n-- migrate:down\nALTER TABLE users DROP COLUMN x;\n' \
	>down/20240101000000_x.sql
expect_exit 0 ml --format sarif down
cp "$OUT" down.sarif
$V sarif down.sarif 1 >/dev/null || t_fail "sarif (note): $($V sarif down.sarif)"
expect_contains down.sarif '"level":"note"'
# absolute paths outside the current directory are file: URIs
expect_exit 1 ml --format sarif "$d/bad.sql"
cp "$OUT" abs.sarif
$V sarif abs.sarif 1 >/dev/null || t_fail "sarif (absolute): $($V sarif abs.sarif)"
expect_contains abs.sarif '"uri":"bad.sql"'
(cd / && "$M" lint --format sarif "$d/bad.sql" >"$d/root.sarif") || true
expect_contains root.sarif "\"uri\":\"file://$d/bad.sql\""

# ---- github -----------------------------------------------------------------
cp bad.sql 'a,b:c%.sql'
expect_exit 1 ml --format github 'a,b:c%.sql' two.sql
cp "$OUT" out.gh
$V github out.gh 4 >/dev/null || t_fail "github output: $($V github out.gh)"
expect_contains out.gh '::error file=a%2Cb%3Ac%25.sql,line=1,col=19,endLine=1,endColumn=40,title=drop-column::column "nickname" of table "users" is dropped'
expect_contains out.gh '%0Alock: ACCESS EXCLUSIVE on "users" (blocks reads and writes)%0Ahelp: '
expect_exit 0 ml --format github down
expect_contains "$OUT" "::notice file=down/20240101000000_x.sql,line=4"

# ---- exit codes, --fail-on, --rule, --only, --exclude -------------------------
expect_exit 0 ml --fail-on none bad.sql
expect_exit 1 ml --rule drop-column=warning --fail-on warning bad.sql
expect_contains "$OUT" "warning: column"
expect_exit 0 ml --rule drop-column=warning bad.sql
expect_exit 0 ml --rule drop-column=info --fail-on warning bad.sql
expect_exit 1 ml --rule drop-column=info --fail-on info bad.sql
expect_exit 0 ml --rule drop-column=off bad.sql
expect_contains "$OUT" "no problems"
expect_exit 2 ml --rule drop-colum=off bad.sql
expect_contains "$ERR" "unknown rule 'drop-colum'"
expect_contains "$ERR" "did you mean 'drop-column'?"
expect_exit 2 ml --rule drop-column=fatal bad.sql
expect_exit 2 ml --fail-on sometimes bad.sql
expect_exit 2 ml --format xml bad.sql
expect_exit 2 ml --pg-version abc bad.sql
expect_exit 2 ml --bogus bad.sql
expect_exit 2 ml missing.sql
expect_contains "$OUT" "missing.sql:1:1: error: "
expect_contains "$OUT" "[input-error]"
expect_exit 1 "$M" lint --only create-index-non-concurrent two.sql
expect_not_contains "$OUT" "[drop-column]"
expect_exit 2 "$M" lint --only nope two.sql
mkdir -p ex
cp bad.sql ex/old.sql
cp clean.sql ex/new.sql
expect_exit 0 ml --exclude 'ex/old*' ex
expect_exit 0 ml --exclude 'old.sql' ex
expect_exit 1 ml ex
printf 'SELECT 1;\nCREATE TABL x (a int);\n' >syntax.sql
expect_exit 2 ml --fail-on none syntax.sql
expect_contains "$OUT" "syntax.sql:2:8: error: syntax error at or near \"TABL\" [syntax-error]"

# PostgreSQL 16+ syntax: an error for 15, a warning (plus token rules) above
printf 'SELECT * FROM (SELECT 1);\nALTER TABLE users DROP COLUMN nickname, ALTER COLUMN t SET EXPRESSION AS (a + 1);\n' >pg17.sql
expect_exit 2 ml pg17.sql
expect_exit 1 ml --pg-version 17 pg17.sql
expect_contains "$OUT" "[unparsed-statement]"
expect_contains "$OUT" "pg17.sql:2:19: error: column \"nickname\""
expect_exit 0 ml --pg-version 17 --rule drop-column=off pg17.sql

# ---- suppression ---------------------------------------------------------------
cat >ign.sql <<'EOF'
-- migrate:lint-ignore drop-column -- unused since release 4.2
ALTER TABLE users DROP COLUMN nickname;
ALTER TABLE users DROP COLUMN email;
EOF
expect_exit 1 ml --format gcc ign.sql
expect_eq 1 "$(wc -l <"$OUT")" "one finding left"
expect_contains "$OUT" "ign.sql:3:19:"
expect_exit 1 ml ign.sql
expect_contains "$OUT" "; 1 suppressed"
cat >ignfile.sql <<'EOF'
-- migrate:lint-ignore-file drop-column, create-index-non-concurrent -- one-off cleanup of an unused table
ALTER TABLE users DROP COLUMN nickname;
CREATE INDEX users_email_idx ON users (email);
ALTER TABLE users DROP COLUMN email;
EOF
expect_exit 0 ml ignfile.sql
expect_contains "$OUT" "no problems in 1 file (3 statements); 3 suppressed"
printf -- '-- migrate:lint-ignore drop-column\nALTER TABLE users DROP COLUMN nickname;\n' >noreason.sql
expect_exit 0 ml noreason.sql
expect_contains "$OUT" "warning: lint-ignore without a reason [ignore-without-reason]"
expect_exit 1 ml --fail-on warning noreason.sql
printf -- '-- migrate:lint-ignore drop-colum -- typo\nALTER TABLE users DROP COLUMN nickname;\n' >typo.sql
expect_exit 2 ml typo.sql
expect_contains "$OUT" "unknown rule 'drop-colum' in lint-ignore [unknown-rule]"
expect_contains "$OUT" "did you mean 'drop-column'?"
printf -- '-- migrate:lint-ignore drop-column -- nothing to ignore\nSELECT 1;\n' >unused.sql
expect_exit 0 ml unused.sql
expect_contains "$OUT" "[unused-ignore]"
expect_exit 0 ml --rule unused-ignore=off unused.sql
expect_not_contains "$OUT" "[unused-ignore]"

# ---- baseline --------------------------------------------------------------------
mkdir -p bl
cp two.sql bl/m.sql
expect_exit 0 ml --write-baseline base.json bl
expect_contains "$ERR" "wrote 3 findings to baseline 'base.json'"
python3 -c 'import json,sys; d=json.load(open("base.json")); assert d["version"]==1 and sum(f["count"] for f in d["findings"])==3, d' ||
	t_fail "baseline file"
expect_exit 0 ml --baseline base.json bl
expect_contains "$OUT" "no problems in 1 file (2 statements); 3 in the baseline"
# unrelated edits (new lines above, re-indented statement, comments) keep it
{ printf -- '-- a comment added later\n\nSELECT 1;\n'; sed 's/^ALTER TABLE users/ALTER  TABLE\n    users/' two.sql; } >bl/m.sql
expect_exit 0 ml --baseline base.json bl
expect_contains "$OUT" "3 in the baseline"
# a new finding is reported
printf 'ALTER TABLE orders DROP COLUMN total;\n' >>bl/m.sql
expect_exit 1 ml --format gcc --baseline base.json bl
expect_eq 1 "$(wc -l <"$OUT")" "only the new finding"
expect_contains "$OUT" 'column "total" of table "orders"'
printf 'not json' >broken.json
expect_exit 2 ml --baseline broken.json bl
expect_exit 2 ml --baseline nope.json bl

# ---- standard input -----------------------------------------------------------------
expect_exit 1 ml - <bad.sql
expect_contains "$OUT" "<stdin>:1:19: error:"
expect_exit 1 ml --stdin-filename db/x.sql - <bad.sql
expect_contains "$OUT" "db/x.sql:1:19: error:"
expect_exit 0 ml - <clean.sql

# ---- context from the migrations directory (pre-commit passes one file) ----------------
mkdir -p mig
cat >mig/20240101000000_create.sql <<'EOF'
-- migrate:up
CREATE TABLE drafts (id bigint PRIMARY KEY, body text, tmp int);
-- migrate:down
DROP TABLE drafts;
EOF
cat >mig/20240201000000_cleanup.sql <<'EOF'
-- migrate:up
ALTER TABLE drafts DROP COLUMN tmp;
-- migrate:down
ALTER TABLE drafts ADD COLUMN tmp int;
EOF
expect_exit 1 ml --format gcc mig/20240201000000_cleanup.sql
expect_eq 1 "$(wc -l <"$OUT")" "one finding"
expect_contains "$OUT" 'mig/20240201000000_cleanup.sql:2:20: error: column "tmp" of table "drafts"'
# new text on standard input for a file of that directory: the earlier
# migrations give the context (drafts exists, so the index is on a live table)
printf -- '-- migrate:up\nCREATE INDEX drafts_body_idx ON drafts (body);\n' |
	expect_exit 1 ml --format gcc --stdin-filename mig/20240301000000_idx.sql -
expect_contains "$OUT" "mig/20240301000000_idx.sql:2:1: error: index \"drafts_body_idx\""
# a table created in the same file is new: no finding
printf -- '-- migrate:up\nCREATE TABLE notes (id int);\nCREATE INDEX notes_id ON notes (id);\n' |
	expect_exit 0 ml --stdin-filename mig/20240301000000_idx.sql -
# a downgrade given alone keeps its severity for what existed before
printf 'ALTER TABLE users DROP COLUMN email;\n' >0002_x.down.sql
expect_exit 1 ml 0002_x.down.sql

# ---- plain directories: natural version order, context carried ---------------------------
mkdir -p plain/v1.10 plain/v1.2
printf 'CREATE INDEX a_idx ON a (x);\n' >plain/v1.10/b.sql
printf 'CREATE INDEX c_idx ON c (x);\n' >plain/v1.2/a.sql
expect_exit 1 ml --format gcc plain
expect_eq "plain/v1.2/a.sql plain/v1.10/b.sql" "$(cut -d: -f1 "$OUT" | tr '\n' ' ' | sed 's/ $//')" "natural order"

# ---- dialect ---------------------------------------------------------------------------
expect_exit 1 ml --dialect sqlite bad.sql
expect_not_contains "$OUT" "= lock:"
expect_exit 1 ml --database-url sqlite:x.db bad.sql
expect_not_contains "$OUT" "= lock:"
# CREATE INDEX is no PostgreSQL lock hazard on SQLite; SQLite's own parser
# rejects two actions in one ALTER TABLE
expect_exit 0 "$M" lint --dialect sqlite --only create-index-non-concurrent clean.sql
expect_exit 2 ml --dialect sqlite two.sql
expect_contains "$OUT" "two.sql:2:32: error: SQLite syntax error: near \",\": syntax error [syntax-error]"

# ---- config file -----------------------------------------------------------------------
cat >migrate.json <<'EOF'
{"lint": {"rules": {"drop-column": "warning"}, "exclude": ["skip*.sql"], "fail_on": "error"}}
EOF
cp bad.sql skipped.sql
expect_exit 0 ml bad.sql skipped.sql
expect_contains "$OUT" "bad.sql:1:19: warning:"
expect_not_contains "$OUT" "skipped.sql"
expect_exit 1 ml --rule drop-column=error bad.sql
echo '{"lint": {"rules": {"drop-colum": "off"}}}' >migrate.json
expect_exit 2 ml bad.sql
expect_contains "$ERR" "drop-colum"
rm migrate.json

# no PATH: the migrations directory
expect_exit 1 ml --dir mig --format gcc
expect_contains "$OUT" "mig/20240201000000_cleanup.sql"
expect_exit 2 ml --dir nowhere

# ---- stray files next to a migration set; loose files in version order -----------
# diesel directories plus a file that fits no layout: linted as a migration
# set (history, version order), the stray file reported once and linted after
mkdir -p stray/20141021103503_create_users stray/2019-06-14-175833_drop_nick
printf 'CREATE TABLE users (id bigint PRIMARY KEY, nickname text);\n' >stray/20141021103503_create_users/up.sql
printf 'DROP TABLE users;\n' >stray/20141021103503_create_users/down.sql
printf 'ALTER TABLE users DROP COLUMN nickname;\n' >stray/2019-06-14-175833_drop_nick/up.sql
printf 'ALTER TABLE users ADD COLUMN nickname text;\n' >stray/2019-06-14-175833_drop_nick/down.sql
printf 'CREATE INDEX users_id ON users (id);\n' >stray/fix_data.sql
expect_exit 1 ml --format gcc stray
expect_eq 3 "$(wc -l <"$OUT")" "stray: findings"
expect_eq "stray/2019-06-14-175833_drop_nick/up.sql:1:19: error" "$(sed -n 1p "$OUT" | cut -d: -f1-4)" "stray: the set first"
expect_contains "$OUT" "stray/fix_data.sql:1:1: warning: 'fix_data.sql' is not a migration: file name does not start with a version; 'migrate status' and 'migrate up' refuse this directory [stray-file]"
expect_contains "$OUT" "stray/fix_data.sql:1:1: error: index \"users_id\" is built without CONCURRENTLY"
expect_exit 1 ml --format json stray
python3 - "$OUT" <<'PY' || t_fail "stray json"
import json, sys
d = json.load(open(sys.argv[1]))
s = [x for x in d["diagnostics"] if x["rule"] == "stray-file"]
assert len(s) == 1 and s[0]["severity"] == "warning" and s[0]["file"] == "stray/fix_data.sql", s
assert "move the file out" in s[0]["help"], s
assert d["summary"]["files"] == 5 and d["summary"]["warnings"] == 1, d["summary"]
PY
# excluded: no report
expect_exit 1 ml --format gcc --exclude 'fix_*' stray
expect_not_contains "$OUT" "fix_data.sql"
# configurable like the other engine diagnostics: off, or an error
expect_exit 1 ml --format gcc --rule stray-file=off stray
expect_not_contains "$OUT" "[stray-file]"
expect_contains "$OUT" "stray/fix_data.sql:1:1: error: index"
expect_exit 1 ml --format gcc --rule stray-file=error stray
expect_contains "$OUT" "stray/fix_data.sql:1:1: error: 'fix_data.sql' is not a migration"
# the file alone: the set's history as context, the stray reported
expect_exit 1 ml --format gcc stray/fix_data.sql
expect_contains "$OUT" "[stray-file]"
expect_contains "$OUT" "stray/fix_data.sql:1:1: error: index \"users_id\""
# a file of the set alone: context from the set despite the stray
expect_exit 1 ml --format gcc stray/2019-06-14-175833_drop_nick/up.sql
expect_not_contains "$OUT" "stray-file"
# status and up keep refusing the directory, naming the file
expect_exit 2 "$M" status --dir stray --database-url "sqlite:$d/stray.db"
expect_contains "$ERR" "fix_data.sql: file name does not start with a version [bad-migration-name]"
expect_exit 2 "$M" up --dir stray --database-url "sqlite:$d/stray.db"
expect_contains "$ERR" "[bad-migration-name]"
# a stray directory is reported too, its .sql files linted after the set
mkdir -p stray/seeds
printf 'ALTER TABLE users DROP COLUMN id;\n' >stray/seeds/users.sql
expect_exit 1 ml --format gcc stray
expect_contains "$OUT" "stray/seeds:1:1: warning: 'seeds' is not a migration: directory holds neither"
expect_contains "$OUT" "stray/seeds/users.sql:1:19: error:"
rm -r stray/seeds

# no migration set (sections files without markers): loose files, those
# named with a version first, in version order (dashes ignored), then the rest
mkdir loose
printf 'ALTER TABLE a DROP COLUMN x;\n' >loose/2019-06-14-175833_b.sql
printf 'ALTER TABLE b DROP COLUMN x;\n' >loose/20141021103503_a.sql
printf 'ALTER TABLE c DROP COLUMN x;\n' >loose/v3_c.sql
printf 'ALTER TABLE d DROP COLUMN x;\n' >loose/1_d.sql
printf 'ALTER TABLE e DROP COLUMN x;\n' >loose/adhoc10.sql
printf 'ALTER TABLE f DROP COLUMN x;\n' >loose/adhoc9.sql
expect_exit 1 ml --format gcc loose
expect_eq "loose/1_d.sql loose/v3_c.sql loose/20141021103503_a.sql loose/2019-06-14-175833_b.sql loose/adhoc9.sql loose/adhoc10.sql" \
	"$(cut -d: -f1 "$OUT" | tr '\n' ' ' | sed 's/ $//')" "loose order"
expect_not_contains "$OUT" "stray-file"

# ---- --list-rules, --output -------------------------------------------------------------
expect_exit 0 "$M" lint --list-rules
expect_contains "$OUT" "drop-column"
expect_exit 0 "$M" lint --list-rules --format json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert any(r["id"]=="drop-column" for r in d["rules"])' "$OUT" ||
	t_fail "list-rules json"
expect_exit 1 ml --output report.json --format json bad.sql
$V json report.json 1 >/dev/null || t_fail "--output"

t_done
