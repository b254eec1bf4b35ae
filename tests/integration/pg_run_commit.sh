#!/usr/bin/env bash
# PostgreSQL: the ledger row and COMMIT go to the server in one pipeline
# (one round trip per migration). Either can fail, and each failure must
# read as what it is and leave schema and ledger as before:
#  - COMMIT fails (a deferred foreign key checked at commit): "cannot
#    commit", the server's error, nothing of the migration kept, the next
#    migration not run; fixed, a rerun applies both;
#  - the ledger INSERT fails (a trigger the migration itself put on the
#    ledger): "cannot update the ledger", COMMIT skipped, the migration's
#    table and trigger rolled back; fixed, a rerun completes.
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib/common.sh"
source "$here/run_helpers.bash"
t_begin pg_run_commit
t_pg_setup

d=$(t_tmpdir)
m=$d/m
url=$(t_pg_new_db commitfail)
ledger() { pg_q "$url" "SELECT version, state, dirty FROM schema_migrations ORDER BY 1"; }

# ---- COMMIT fails: a deferred foreign key is violated
mig_sections "$m" 0001 fk \
	"CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (pid int REFERENCES p DEFERRABLE INITIALLY DEFERRED);
INSERT INTO c VALUES (1);" \
	"DROP TABLE c; DROP TABLE p;"
mig_sections "$m" 0002 after "CREATE TABLE after_fk (a int);" "DROP TABLE after_fk;"
expect_exit 3 M up --dir "$m" --database-url "$url"
expect_contains "$ERR" "cannot commit '0001_fk.sql'"
expect_contains "$ERR" "violates foreign key constraint"
expect_contains "$ERR" "SQLSTATE 23503"
expect_not_contains "$ERR" "cannot update the ledger"
expect_eq "" "$(ledger)" "ledger after the failed commit"
expect_eq "" "$(pg_q "$url" "SELECT string_agg(relname, ',') FROM pg_class WHERE relname IN ('p', 'c', 'after_fk')")" \
	"tables after the failed commit"

mig_sections "$m" 0001 fk \
	"CREATE TABLE p (id int PRIMARY KEY);
CREATE TABLE c (pid int REFERENCES p DEFERRABLE INITIALLY DEFERRED);
INSERT INTO c VALUES (1);
INSERT INTO p VALUES (1);" \
	"DROP TABLE c; DROP TABLE p;"
expect_exit 0 M up --dir "$m" --database-url "$url"
expect_eq "0001|applied|f
0002|applied|f" "$(ledger)" "ledger after the rerun"
expect_eq "1" "$(pg_q "$url" "SELECT count(*) FROM c")" "the migration's row after the rerun"

# ---- the ledger INSERT fails: the migration put a refusing trigger on it
mig_sections "$m" 0003 trap \
	"CREATE TABLE t3 (a int);
CREATE FUNCTION refuse_ledger() RETURNS trigger LANGUAGE plpgsql AS \$\$
BEGIN RAISE EXCEPTION 'ledger writes refused'; END \$\$;
CREATE TRIGGER refuse_ledger BEFORE INSERT ON schema_migrations
  FOR EACH ROW EXECUTE FUNCTION refuse_ledger();" \
	"DROP TABLE t3;"
before=$(pg_schema "$url")
expect_exit 3 M up --dir "$m" --database-url "$url"
expect_contains "$ERR" "cannot update the ledger"
expect_contains "$ERR" "ledger writes refused"
expect_not_contains "$ERR" "cannot commit"
expect_eq "0001|applied|f
0002|applied|f" "$(ledger)" "ledger after the refused ledger write"
expect_eq "$before" "$(pg_schema "$url")" "schema after the refused ledger write"
expect_eq "0" "$(pg_q "$url" "SELECT count(*) FROM pg_trigger WHERE tgname = 'refuse_ledger'")" \
	"the migration's trigger rolled back"

mig_sections "$m" 0003 trap "CREATE TABLE t3 (a int);" "DROP TABLE t3;"
expect_exit 0 M up --dir "$m" --database-url "$url"
expect_eq "0001|applied|f
0002|applied|f
0003|applied|f" "$(ledger)" "ledger after the second rerun"

# ---- the connection dies while the row is written: COMMIT was already
# sent with it, so whether it committed is unknown to migrate; it must not
# claim a rollback, and status and a rerun sort it out
mig_sections "$m" 0004 gone \
	"CREATE TABLE t4 (a int);
CREATE FUNCTION end_session() RETURNS trigger LANGUAGE plpgsql AS \$\$
BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NEW; END \$\$;
CREATE TRIGGER end_session BEFORE INSERT ON schema_migrations
  FOR EACH ROW EXECUTE FUNCTION end_session();" \
	"DROP TABLE t4;"
expect_exit 3 M up --dir "$m" --database-url "$url"
expect_contains "$ERR" "lost the connection to the database while committing '0004_gone.sql'"
expect_contains "$ERR" "may or may not have committed"
expect_not_contains "$ERR" "rolled the transaction back"
expect_eq "0001|applied|f
0002|applied|f
0003|applied|f" "$(ledger)" "ledger after the lost connection (the server rolled back)"
mig_sections "$m" 0004 gone "CREATE TABLE t4 (a int);" "DROP TABLE t4;"
expect_exit 0 M up --dir "$m" --database-url "$url"
expect_eq "0001|applied|f
0002|applied|f
0003|applied|f
0004|applied|f" "$(ledger)" "ledger after the rerun of 0004"
expect_exit 0 M down --dir "$m" --database-url "$url"

# ---- and down goes through the same path (DELETE of the row + COMMIT)
expect_exit 0 M down --dir "$m" --database-url "$url"
expect_eq "0001|applied|f
0002|applied|f" "$(ledger)" "ledger after down"
expect_eq "0" "$(pg_q "$url" "SELECT count(*) FROM pg_class WHERE relname = 't3'")" "t3 after down"

t_done
