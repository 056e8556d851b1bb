#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests and prints its URL; `scripts/postgres.sh stop DIR`
# stops it. Uses Debian's packages (installed by scripts/test.sh) and runs as the postgres user.
# Room for 500 connections: the end-to-end suite runs its servers in parallel, each with its own pool.
# POSTGRES_SETTINGS adds server settings (`-c name=value …`), as the benchmarks size shared_buffers.
# Usage: URL_AND_DIR=$(scripts/postgres.sh start)   →  "postgres://…  /tmp/dir"
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
case "${1:-start}" in
start)
    DIR=$(mktemp -d)
    chown postgres:postgres "$DIR"
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    echo attache >"$DIR/pw"
    chown postgres "$DIR/pw"
    runuser -u postgres -- "$PGBIN/initdb" -D "$DIR/data" -U postgres --pwfile="$DIR/pw" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --no-sync >/dev/null
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
        -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=500 ${POSTGRES_SETTINGS:-}" start >/dev/null
    echo "postgres://postgres:attache@127.0.0.1:$PORT/postgres?sslmode=disable $DIR"
    ;;
stop)
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$2/data" -m fast -w stop >/dev/null || true
    rm -rf "$2"
    ;;
esac
