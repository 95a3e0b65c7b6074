# shellcheck shell=bash disable=SC2034  # its PG_* variables are for the test that sources it
# pg.sh: a private PostgreSQL 15 server for one test, in a folder of its own, sourced after
# harness.sh.  Nothing of the machine's own PostgreSQL (its clusters, /var/run/postgresql,
# pg_ctlcluster) is used: the server's data, log, unix socket and lock file are all in DIR.
#
#   pg_require           skip the test (exit 0, "SKIP:") when PostgreSQL 15 is not installed,
#                        or fail it (exit 1) under CI=true, where a missing server is a bug
#   pg_start DIR         initdb into DIR/data and start the server (pg_ctl -w); sets
#       PG_DIR PG_DATA   DIR and DIR/data
#       PG_PORT          its TCP port, on 127.0.0.1 only (a free one, picked here)
#       PG_SOCK          the folder of its unix socket (DIR itself)
#       PG_ADMIN_URL     postgresql:// URL of the superuser postgres over the unix socket, to the
#                        database ikrar made for the hub (trust: no password on the socket)
#       PG_TCP_URL_BASE  127.0.0.1:PORT/ikrar, so postgresql://ROLE:PW@$PG_TCP_URL_BASE logs a
#                        role in over TCP (scram-sha-256, the only method TCP accepts)
#   pg_tcp_url ROLE PW   prints that URL, the password percent-encoded
#   pg_psql SQL [ARGS]   runs SQL as the superuser (psql -X -A -t -v ON_ERROR_STOP=1; SQL on
#                        standard input, so ARGS such as -v name=value can be used as :'name')
#   pg_stop              stops the server (-m fast) and waits for it to be gone
#   pg_restart           restarts it (-m fast) on the same port
#   pg_kill_conns LIKE   ends every backend of a role whose name matches the SQL LIKE pattern
#                        (pg_terminate_backend, waiting up to 5 s for each); prints how many
#   pg_postmaster_pid    prints the server's pid (from DIR/data/postmaster.pid)
#   pg_cleanup           stops the server whatever state it is in; the caller's EXIT trap must
#                        call it before removing $T, e.g.
#                            trap 'pg_cleanup; rm -rf "$T"' EXIT
#                        pg_start refuses to start a server when the EXIT trap does not name
#                        pg_cleanup, so no test can leave a server running behind it.
#
# initdb and postgres refuse to run as root: as root, the server runs as the user nobody
# (through setpriv), DIR is given to nobody, and DIR's parent (the test's $T, made 0700 by
# mktemp) is opened to 0711 so nobody can reach it.  Otherwise the server runs as the caller.
PG_BIN=
PG_DIR=
PG_DATA=
PG_PORT=
PG_SOCK=
PG_ADMIN_URL=
PG_TCP_URL_BASE=
PG_SUPERUSER=postgres
pg_as_=()

pg_require() {
    local d missing=
    for d in "$(pg_config --bindir 2>/dev/null)" /usr/lib/postgresql/15/bin; do
        if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ] &&
            "$d/postgres" --version 2>/dev/null | grep -q ' 15\.'; then
            PG_BIN=$d
            break
        fi
    done
    [ -n "$PG_BIN" ] || missing="$missing postgresql-15-server"
    command -v psql >/dev/null || missing="$missing psql"
    command -v python3 >/dev/null || missing="$missing python3"
    if [ "$(id -u)" -eq 0 ]; then
        command -v setpriv >/dev/null || missing="$missing setpriv"
        id nobody >/dev/null 2>&1 || missing="$missing user-nobody"
    fi
    [ -z "$missing" ] && return 0
    if [ "${CI:-}" = true ]; then
        echo "FAIL: the PostgreSQL tests need:$missing (scripts/setup-debian.sh installs postgresql-15)" >&2
        exit 1
    fi
    echo "SKIP: the PostgreSQL tests need:$missing"
    exit 0
}

# pg_run_ CMD...: CMD as the user the server runs as.
pg_run_() { "${pg_as_[@]}" "$@"; }

pg_free_port_() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

pg_start() {
    local dir=${1:?usage: pg_start DIR} try
    case "$(trap -p EXIT)" in
    *pg_cleanup*) ;;
    *)
        echo "pg_start: the EXIT trap must call pg_cleanup (trap 'pg_cleanup; rm -rf \"\$T\"' EXIT)" >&2
        exit 1
        ;;
    esac
    [ -n "$PG_BIN" ] || pg_require
    mkdir -p "$dir" || return 1
    dir=$(cd "$dir" && pwd)
    PG_DIR=$dir
    PG_DATA=$dir/data
    PG_SOCK=$dir
    if [ "$(id -u)" -eq 0 ]; then
        pg_as_=(setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups --)
        chown nobody "$dir"
        chmod 0700 "$dir"
        if ! pg_run_ test -w "$dir"; then
            chmod 0711 "$(dirname "$dir")"
        fi
        if ! pg_run_ test -w "$dir"; then
            echo "pg_start: the user nobody cannot reach $dir (a folder above it is closed)" >&2
            return 1
        fi
    else
        pg_as_=()
    fi
    # -N: no fsync while initdb writes; the server runs with fsync=off too (a test's data).
    if ! (cd "$dir" && pg_run_ env LC_ALL=C.UTF-8 "$PG_BIN/initdb" -D "$PG_DATA" -U "$PG_SUPERUSER" \
        -E UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 -N \
        --no-instructions) >"$dir/initdb.log" 2>&1; then
        echo "pg_start: initdb failed: $(tail -n 20 "$dir/initdb.log")" >&2
        return 1
    fi
    # Who may log in how: the superuser on the socket without a password, every other role
    # with its password (scram), and over TCP only from 127.0.0.1, with a scram password.
    pg_run_ sh -c 'cat >"$1/pg_hba.conf"' _ "$PG_DATA" <<EOF
local all $PG_SUPERUSER trust
local all all scram-sha-256
host all all 127.0.0.1/32 scram-sha-256
EOF
    pg_run_ sh -c 'cat >>"$1/postgresql.conf"' _ "$PG_DATA" <<EOF
# tests/common/pg.sh: a private server for one test
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
password_encryption = 'scram-sha-256'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 50
shared_buffers = 16MB
# Its dynamic shared memory as files in DIR/data, not in /dev/shm: nothing outside DIR.
dynamic_shared_memory_type = mmap
logging_collector = off
log_connections = on
log_disconnections = on
EOF
    # The port is free when picked, not when the server binds it: another may take it between.
    for _ in 1 2 3 4 5; do
        PG_PORT=$(pg_free_port_)
        printf 'port = %s\n' "$PG_PORT" | pg_run_ sh -c 'cat >>"$1/postgresql.conf"' _ "$PG_DATA"
        if pg_run_ "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$dir/server.log" -w -t 60 -s start \
            >>"$dir/pg_ctl.log" 2>&1; then
            break
        fi
        PG_PORT=
        grep -q "could not bind\|Address already in use" "$dir/server.log" 2>/dev/null || break
    done
    if [ -z "$PG_PORT" ]; then
        echo "pg_start: the server did not start: $(tail -n 20 "$dir/server.log" "$dir/pg_ctl.log" 2>&1)" >&2
        return 1
    fi
    PG_ADMIN_URL="postgresql://$PG_SUPERUSER@/ikrar?host=$dir&port=$PG_PORT"
    PG_TCP_URL_BASE="127.0.0.1:$PG_PORT/ikrar"
    if ! psql -X -q -d "postgresql://$PG_SUPERUSER@/postgres?host=$dir&port=$PG_PORT" \
        -v ON_ERROR_STOP=1 -c 'CREATE DATABASE ikrar' >"$dir/createdb.log" 2>&1; then
        echo "pg_start: could not create the database ikrar: $(cat "$dir/createdb.log")" >&2
        return 1
    fi
}

pg_tcp_url() {
    local role=${1:?usage: pg_tcp_url ROLE PW} pw=${2-} enc='' c i
    for ((i = 0; i < ${#pw}; i++)); do
        c=${pw:i:1}
        case "$c" in
        [A-Za-z0-9._~-]) enc+=$c ;;
        *) enc+=$(printf '%%%02X' "'$c") ;;
        esac
    done
    printf 'postgresql://%s:%s@%s\n' "$role" "$enc" "$PG_TCP_URL_BASE"
}

pg_psql() {
    local sql=${1:?usage: pg_psql SQL [PSQL_ARGS...]}
    shift
    printf '%s\n' "$sql" | psql -X -A -t -q -v ON_ERROR_STOP=1 -d "$PG_ADMIN_URL" "$@" -f -
}

pg_postmaster_pid() {
    [ -n "$PG_DATA" ] && [ -r "$PG_DATA/postmaster.pid" ] && head -n 1 "$PG_DATA/postmaster.pid"
}

pg_stop() {
    [ -n "$PG_DATA" ] || return 0
    pg_run_ "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 -s stop >>"$PG_DIR/pg_ctl.log" 2>&1
}

pg_restart() {
    pg_run_ "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DIR/server.log" -m fast -w -t 60 -s restart \
        >>"$PG_DIR/pg_ctl.log" 2>&1 || {
        echo "pg_restart: $(tail -n 20 "$PG_DIR/server.log" "$PG_DIR/pg_ctl.log" 2>&1)" >&2
        return 1
    }
}

pg_kill_conns() {
    # OFFSET 0 keeps the match a fence: no backend outside it is ever handed to terminate.
    pg_psql "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000))
             FROM (SELECT pid FROM pg_stat_activity
                   WHERE usename LIKE :'pat' AND pid <> pg_backend_pid() OFFSET 0) AS m" -v pat="${1:?usage: pg_kill_conns ROLE_PATTERN}"
}

# pg_cleanup: for the EXIT trap.  A fast stop, then an immediate one, then SIGKILL to the
# postmaster and its children, so nothing outlives the test even if the server hangs.
pg_cleanup() {
    local pid kids
    [ -n "$PG_DATA" ] && [ -n "$PG_BIN" ] || return 0
    pid=$(pg_postmaster_pid 2>/dev/null)
    [ -n "$pid" ] || return 0
    kids=$(pgrep -P "$pid" 2>/dev/null)
    pg_run_ "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 20 -s stop >/dev/null 2>&1 ||
        pg_run_ "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w -t 10 -s stop >/dev/null 2>&1
    # Still there (a hung server): killed, if the pid is still this server's postmaster.
    if tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "$PG_DATA"; then
        # shellcheck disable=SC2086
        kill -9 "$pid" $kids 2>/dev/null
    fi
    return 0
}
