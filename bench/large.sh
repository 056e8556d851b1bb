#!/usr/bin/env bash
# How Attache behaves with a million attachments beside a small data set, in one run (SQLite, or
# PostgreSQL from scripts/postgres.sh): time from start to ready, and p99 latency of an attachment's
# JSON and of a 50-item list page. Data sets are seeded through SQL (bench/seed.py for SQLite,
# bench/seed-postgres.sh for PostgreSQL); they carry metadata only, no content.
# Usage: bench/large.sh [seconds per wrk run, default 5] [sqlite|postgres, default sqlite]
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-5}
ENGINE=${2:-sqlite}
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
swift build -c release --product attache >/dev/null
BIN=.build/release/attache
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
SERVER=""
PG_URL="" PG_DIR=""
if [ "$ENGINE" = postgres ]; then
    read -r PG_URL PG_DIR < <(scripts/postgres.sh start)
fi
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; [ -n "$PG_DIR" ] && scripts/postgres.sh stop "$PG_DIR"; rm -rf "$WORK"' EXIT
p99() { wrk -t2 --latency "$@" | awk '$1 == "99%" {print $2}'; }

measure() { # records per_record → "attachments ready_ms get_p99 list_p99"
    local data="$WORK/d$1"
    if [ "$ENGINE" = postgres ]; then
        psql -q "$PG_URL" -c "CREATE DATABASE d$1"
        export ATTACHE_DATABASE_URL=${PG_URL/\/postgres\?//d$1?}
    fi
    "$BIN" tenant create bench --data "$data" >/dev/null
    local token; token=$("$BIN" token create --tenant bench --data "$data" | tail -n 1)
    if [ "$ENGINE" = postgres ]; then
        read -r big one count < <(bench/seed-postgres.sh "$ATTACHE_DATABASE_URL" bench "$1" "$2")
    else
        read -r big one count < <(python3 bench/seed.py "$data" bench "$1" "$2")
    fi
    local start; start=$(date +%s%N)
    "$BIN" serve --data "$data" --port "$PORT" --log-level error --gc-interval 0 &
    SERVER=$!
    until curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; do sleep 0.005; done
    local ready=$(( ($(date +%s%N) - start) / 1000000 ))
    local get list
    get=$(p99 -c64 -d"${SECS}s" -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/v1/attachments/$one")
    list=$(p99 -c32 -d"${SECS}s" -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/v1/records/$big/attachments?limit=50")
    kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
    echo "$count $ready $get $list"
}
read -r small_n small_ready small_get small_list < <(measure 2200 10)
read -r large_n large_ready large_get large_list < <(measure 100000 10)
echo "bench/large.sh $SECS $ENGINE — $(date -u +%F), release build, wrk -t2 (GET -c64, list -c32)"
printf '%-34s %14s %14s\n' "" "$small_n att." "$large_n att."
printf '%-34s %14s %14s\n' "start to ready" "${small_ready} ms" "${large_ready} ms"
printf '%-34s %14s %14s\n' "GET one attachment, p99" "$small_get" "$large_get"
printf '%-34s %14s %14s\n' "list a page of 50, p99" "$small_list" "$large_list"
