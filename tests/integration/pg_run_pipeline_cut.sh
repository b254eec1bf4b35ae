#!/usr/bin/env bash
# PostgreSQL: the connection is cut while a pipeline is being sent (the
# ledger row with COMMIT, or the deferred BEGIN with the ledger lookup).
#
# libpq flushes a pipeline once at its sync, and before that only when its
# output buffer passes 64 KB; a write to a closed socket "succeeds" (libpq
# says so later, once it has read what the server said), and only the next
# flush finds the connection gone. So when the first query of a pipeline
# is over 64 KB and the server is gone, libpq takes that query, may take
# the second, and then refuses the sync: a half-sent pipeline, queries
# queued with no sync behind them. The one large thing migrate puts in
# these pipelines is the ledger table's name (a 70,000-character
# migrations_table; PostgreSQL truncates it to 63 and so finds the same
# table every time).
#
# The cut: migrate connects through a small proxy on a Unix socket. When
# the server's answer to a chosen message is complete, the proxy stops
# migrate (SIGSTOP), passes the answer on, closes both sockets and lets
# migrate go on (SIGCONT): migrate reads the whole answer and then finds
# the connection closed, whatever the machine's speed. The database is
# the real server; only the network between them fails.
#
# What must hold:
#  - COMMIT taken by libpq and the sync refused: the outcome is unknown to
#    migrate, which says "may or may not have committed", never that the
#    transaction was rolled back (the same as when the whole pipeline went
#    out, the last case);
#  - BEGIN and the lookup queued, the sync refused: the first error is
#    reported, with nothing libpq said afterwards about leaving pipeline
#    mode;
#  - either way the database is as before, and a rerun completes.
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
source "$here/../lib/common.sh"
source "$here/run_helpers.bash"
t_begin pg_run_pipeline_cut
t_pg_setup

d=$(t_tmpdir)
# the proxy's socket directory: a Unix socket path has ~107 bytes
px=$d/px
if ((${#px} > 80)); then
	px=$(mktemp -d /tmp/mgpx.XXXXXX)
	t_on_exit "rm -rf -- '$px'"
fi
mkdir -p "$px"

cat >"$d/proxy.py" <<'EOF'
# proxy.py LISTEN_SOCKET SERVER_SOCKET MARKER N: pass the PostgreSQL
# protocol through; after the server's ReadyForQuery that follows the N-th
# client message (Query, Parse or Bind) containing MARKER, cut the client
# off as described at the top of the test.
import os, signal, socket, struct, sys, threading

listen_path, server_path = sys.argv[1], sys.argv[2]
marker, nth = sys.argv[3].encode(), int(sys.argv[4])


def split(buf, startup):
    """Complete messages at the start of buf: ([(type, bytes)], rest)."""
    out = []
    while True:
        if startup:  # the startup packet has no type byte
            if len(buf) < 4 or len(buf) < struct.unpack('!I', buf[:4])[0]:
                break
            n = struct.unpack('!I', buf[:4])[0]
            out.append((b'', buf[:n]))
            startup = False
        else:
            if len(buf) < 5 or len(buf) < 1 + struct.unpack('!I', buf[1:5])[0]:
                break
            n = 1 + struct.unpack('!I', buf[1:5])[0]
            out.append((buf[:1], buf[:n]))
        buf = buf[n:]
    return out, buf, startup


def serve(client):
    pid = struct.unpack('3i', client.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))[0]
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.connect(server_path)
    st = {'seen': 0, 'armed': False}

    def upstream():
        buf, startup = b'', True
        while True:
            try:
                data = client.recv(65536)
            except OSError:
                return
            if not data:
                break
            msgs, buf, startup = split(buf + data, startup)
            for t, m in msgs:
                if t in (b'Q', b'P', b'B') and marker in m:
                    st['seen'] += 1
                    st['armed'] = st['seen'] == nth
                try:
                    server.sendall(m)
                except OSError:
                    return
        try:
            server.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    threading.Thread(target=upstream, daemon=True).start()
    buf = b''
    while True:
        try:
            data = server.recv(65536)
        except OSError:
            data = b''
        if not data:
            break
        msgs, buf, _ = split(buf + data, False)
        for t, m in msgs:
            if t == b'Z' and st['armed']:
                os.kill(pid, signal.SIGSTOP)
                try:
                    client.sendall(m)
                    client.shutdown(socket.SHUT_RDWR)
                    client.close()
                    server.close()
                finally:
                    os.kill(pid, signal.SIGCONT)
                print('cut', flush=True)
                return
            client.sendall(m)
    client.close()


srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(listen_path)
srv.listen(8)
print('listening', flush=True)
while True:
    c, _ = srv.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
EOF

# proxy MARKER N: start a proxy in $px for the next run (stopping the last)
proxy_pid=
proxy() {
	if [[ -n $proxy_pid ]]; then
		kill "$proxy_pid" 2>/dev/null || true
		wait "$proxy_pid" 2>/dev/null || true
	fi
	rm -f -- "$px/.s.PGSQL.$PGPORT" "$d/proxy.out"
	python3 "$d/proxy.py" "$px/.s.PGSQL.$PGPORT" "$PGHOST/.s.PGSQL.$PGPORT" "$1" "$2" \
		>"$d/proxy.out" 2>&1 &
	proxy_pid=$!
	for ((i = 0; i < 200; i++)); do
		grep -q listening "$d/proxy.out" 2>/dev/null && return 0
		sleep 0.05
	done
	t_fail "the proxy did not start: $(cat "$d/proxy.out")"
}
t_on_exit '[[ -z $proxy_pid ]] || kill "$proxy_pid" 2>/dev/null'
cut_happened() {
	grep -q '^cut$' "$d/proxy.out" || t_fail "the proxy never cut the connection: the test is not testing anything"
}

# URL of database $1 through the proxy; no NOTICEs (a 70,000-character
# identifier is truncated with one per statement)
quiet='options=-c%20client_min_messages%3Dwarning'
via_proxy() { printf 'postgresql:///%s?host=%s&port=%s&user=%s&%s\n' "$1" "$px" "$PGPORT" "$PGUSER" "$quiet"; }
dbname() { local u=${1#postgresql:///}; printf '%s\n' "${u%%\?*}"; }

big=$(head -c 70000 /dev/zero | tr '\0' L)
big63=${big:0:63}

m=$d/m
mig_sections "$m" 0001 cut "CREATE TABLE t1 (a int);
SELECT 'cut-here';" "DROP TABLE t1;"
mig_sections "$m" 0002 after "CREATE TABLE t2 (a int);" "DROP TABLE t2;"

# ---- the ledger row and COMMIT queued, the sync refused
url=$(t_pg_new_db pipecut_commit)
db=$(dbname "$url")
proxy cut-here 1
expect_exit 3 env MIGRATE_MIGRATIONS_TABLE="$big" "$MIGRATE_BIN" up --dir "$m" \
	--database-url "$(via_proxy "$db")"
cut_happened
expect_contains "$ERR" "lost the connection to the database while committing '0001_cut.sql'"
expect_contains "$ERR" "server closed the connection unexpectedly"
expect_contains "$ERR" "may or may not have committed"
expect_contains "$ERR" "[connection-lost]"
expect_not_contains "$ERR" "rolled the transaction back"
expect_not_contains "$ERR" "cannot update the ledger"
expect_not_contains "$ERR" "pipeline mode"
expect_not_contains "$OUT" "applied  0001"
# what the server did: the pipeline never reached it, the session ended
# inside the transaction
expect_eq "0" "$(pg_q "$url" "SELECT count(*) FROM \"$big63\"")" "ledger rows after the cut"
expect_eq "" "$(pg_q "$url" "SELECT string_agg(relname, ',') FROM pg_class WHERE relname IN ('t1', 't2')")" \
	"tables after the cut"
expect_exit 0 env MIGRATE_MIGRATIONS_TABLE="$big" "$MIGRATE_BIN" up --dir "$m" \
	--database-url "$url&$quiet"
expect_eq "0001
0002" "$(pg_q "$url" "SELECT version FROM \"$big63\" ORDER BY 1")" "ledger after the rerun"

# ---- BEGIN and the ledger lookup queued, the sync refused (the first
# `up` on a new database creates the ledger: BEGIN goes out with the
# lookup of its columns; the cut comes after the lookup made under the
# runner lock, the second message carrying the table name)
url=$(t_pg_new_db pipecut_begin)
db=$(dbname "$url")
proxy LLLLLLLLLLLLLLLL 2
expect_exit 3 env MIGRATE_MIGRATIONS_TABLE="$big" "$MIGRATE_BIN" up --dir "$m" \
	--database-url "$(via_proxy "$db")"
cut_happened
expect_contains "$ERR" "cannot create the ledger table public.$big63"
expect_contains "$ERR" "server closed the connection unexpectedly"
expect_contains "$ERR" "[connection-lost]"
expect_not_contains "$ERR" "pipeline mode"
expect_eq "" "$(pg_q "$url" "SELECT relname FROM pg_class WHERE relname = '$big63'")" \
	"no ledger table after the cut"
expect_exit 0 env MIGRATE_MIGRATIONS_TABLE="$big" "$MIGRATE_BIN" up --dir "$m" \
	--database-url "$url&$quiet"
expect_eq "0001
0002" "$(pg_q "$url" "SELECT version FROM \"$big63\" ORDER BY 1")" "ledger after the rerun"

# ---- the same cut with the default ledger name: libpq takes the whole
# pipeline (its write to the closed socket "succeeds") and reports the
# lost connection as the row's result; migrate says the same
url=$(t_pg_new_db pipecut_whole)
db=$(dbname "$url")
proxy cut-here 1
expect_exit 3 M up --dir "$m" --database-url "$(via_proxy "$db")"
cut_happened
expect_contains "$ERR" "lost the connection to the database while committing '0001_cut.sql'"
expect_contains "$ERR" "may or may not have committed"
expect_not_contains "$ERR" "rolled the transaction back"
expect_not_contains "$ERR" "pipeline mode"
expect_eq "0" "$(pg_q "$url" "SELECT count(*) FROM schema_migrations")" "ledger rows after the cut"
expect_exit 0 M up --dir "$m" --database-url "$url"
expect_eq "0001
0002" "$(pg_q "$url" "SELECT version FROM schema_migrations ORDER BY 1")" "ledger after the rerun"

t_done
