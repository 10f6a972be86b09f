#!/usr/bin/env bash
# Throwaway PostgreSQL and Redis servers on loopback, for the test suite and
# for trying the site against the services production uses.
#
#   site/services.sh install        install redis-server (and PostgreSQL) if absent
#   site/services.sh start DIR      start both with their data under DIR; writes DIR/env
#   site/services.sh stop DIR       stop both and remove DIR
#   site/services.sh halt DIR       stop both and keep the database for the next start
#   site/services.sh run CMD...     start both in a temporary folder, run CMD with
#                                   DATABASE_URL and CACHE_URL pointing at them, stop
#
# DIR/env holds the addresses, one `export NAME=value` per line:
#   DATABASE_URL     the `deltacrown` database, owned by the `deltacrown` superuser
#   PG_SERVER_URL    the `postgres` maintenance database, for creating more databases
#   CACHE_URL        Redis database 0 (the server has 64 databases)
#   REDIS_URL        the server itself, without a database number
#
# `start DIR` on a folder a `halt` left behind starts the same database again
# (on new ports, with an empty Redis), so a slow-to-build data set is kept.
#
# The PostgreSQL server refuses to run as root, so as root it runs as the
# `postgres` user (Debian's packages create it). Both servers trust loopback
# connections and keep nothing once stopped: never point them at real data.
set -euo pipefail

die() { echo "services: $*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"
    elif command -v sudo >/dev/null; then sudo "$@"
    else die "need root (or sudo) to run: $*"
    fi
}

apt_install() {
    echo "services: installing $* with apt-get" >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null \
        || { as_root apt-get update -qq >/dev/null \
             && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; } \
        || die "could not install $*"
}

pg_bindir() {
    local dir
    for dir in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$dir/initdb" ] && { echo "$dir"; return; }
    done
    command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return; }
    return 1
}

install() {
    pg_bindir >/dev/null || apt_install postgresql-15 || apt_install postgresql
    command -v redis-server >/dev/null || apt_install redis-server
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Runs a command as the user the PostgreSQL server runs as.
as_pg_user() {
    if [ "$(id -u)" -eq 0 ]; then
        local user=postgres
        id "$user" >/dev/null 2>&1 || user=nobody
        runuser -u "$user" -- "$@"
    else
        "$@"
    fi
}

start() {
    local dir=$1
    install
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    local bin pg_port redis_port
    bin=$(pg_bindir) || die "PostgreSQL is not installed"
    pg_port=$(free_port)
    redis_port=$(free_port)

    mkdir -p "$dir/pg" "$dir/redis"
    if [ "$(id -u)" -eq 0 ]; then
        chown "$(id -u postgres 2>/dev/null || id -u nobody)" "$dir/pg"
        chmod 755 "$dir"
    fi
    local fresh=yes
    if [ -f "$dir/pg/data/PG_VERSION" ]; then
        fresh=no
    else
        as_pg_user "$bin/initdb" --pgdata="$dir/pg/data" --username=deltacrown \
            --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/pg/initdb.log" 2>&1 \
            || { cat "$dir/pg/initdb.log" >&2; die "initdb failed"; }
    fi
    # Durability is pointless for a cluster that is deleted afterwards.
    as_pg_user "$bin/pg_ctl" --pgdata="$dir/pg/data" --log="$dir/pg/server.log" --wait \
        --options="-c listen_addresses=127.0.0.1 -c port=$pg_port \
                   -c unix_socket_directories='$dir/pg' -c fsync=off \
                   -c synchronous_commit=off -c full_page_writes=off \
                   -c max_connections=200" start >/dev/null \
        || { cat "$dir/pg/server.log" >&2; die "PostgreSQL did not start"; }
    if [ "$fresh" = yes ]; then
        "$bin/createdb" --host=127.0.0.1 --port="$pg_port" --username=deltacrown deltacrown
    fi

    redis-server --bind 127.0.0.1 --port "$redis_port" --databases 64 \
        --save '' --appendonly no --dir "$dir/redis" --daemonize yes \
        --pidfile "$dir/redis/redis.pid" --logfile "$dir/redis/redis.log"
    local tries=0
    until redis-cli -p "$redis_port" ping >/dev/null 2>&1; do
        tries=$((tries + 1))
        [ "$tries" -lt 50 ] || { cat "$dir/redis/redis.log" >&2; die "Redis did not start"; }
        sleep 0.1
    done

    cat >"$dir/env" <<EOF
export DATABASE_URL=postgres://deltacrown@127.0.0.1:$pg_port/deltacrown
export PG_SERVER_URL=postgres://deltacrown@127.0.0.1:$pg_port/postgres
export PG_BINDIR=$bin
export CACHE_URL=redis://127.0.0.1:$redis_port/0
export REDIS_URL=redis://127.0.0.1:$redis_port
EOF
    echo "services: PostgreSQL on 127.0.0.1:$pg_port, Redis on 127.0.0.1:$redis_port" >&2
}

# Stops both servers. "immediate" is for data about to be deleted; "fast" shuts
# PostgreSQL down cleanly, so that data written with fsync off is whole.
stop_servers() {
    local dir=$1 mode=$2 bin
    if [ -f "$dir/redis/redis.pid" ]; then
        kill "$(cat "$dir/redis/redis.pid")" 2>/dev/null || true
    fi
    if [ -f "$dir/pg/data/postmaster.pid" ] && bin=$(pg_bindir); then
        as_pg_user "$bin/pg_ctl" --pgdata="$dir/pg/data" --mode="$mode" --wait stop \
            >/dev/null 2>&1 || true
    fi
}

stop() {
    local dir=$1
    [ -d "$dir" ] || return 0
    stop_servers "$dir" immediate
    rm -rf "$dir"
}

# Stops both servers and keeps their data for the next start.
halt() {
    local dir=$1
    [ -d "$dir" ] || return 0
    stop_servers "$dir" fast
}

run() {
    [ $# -gt 0 ] || die "run needs a command"
    run_dir=$(mktemp -d "${TMPDIR:-/tmp}/deltacrown-services.XXXXXX")
    trap 'stop "$run_dir"' EXIT
    trap 'exit 130' INT TERM
    start "$run_dir"
    # shellcheck disable=SC1091
    . "$run_dir/env"
    "$@"
}

command=${1:-}
shift || true
case "$command" in
    install) install ;;
    start) [ $# -eq 1 ] || die "usage: $0 start DIR"; start "$1" ;;
    stop) [ $# -eq 1 ] || die "usage: $0 stop DIR"; stop "$1" ;;
    halt) [ $# -eq 1 ] || die "usage: $0 halt DIR"; halt "$1" ;;
    run) run "$@" ;;
    *) die "usage: $0 install | start DIR | stop DIR | halt DIR | run CMD..." ;;
esac
