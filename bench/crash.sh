#!/usr/bin/env bash
# The long crash test: 50 rounds of SIGKILL under concurrent uploads, downloads, deletes and a
# grace-0 background gc, on SQLite + disk and on PostgreSQL + S3 (moto), with a release build.
# Usage: bench/crash.sh [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-50}
swift build -c release --product attache
BIN=.build/release/attache
scripts/crash-test.py "$BIN" --rounds "$ROUNDS" --clients 8
read -r PG_URL PG_DIR < <(scripts/postgres.sh start)
MOTO_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
moto_server -H 127.0.0.1 -p "$MOTO_PORT" >/dev/null 2>&1 &
MOTO_PID=$!
trap 'kill $MOTO_PID 2>/dev/null; scripts/postgres.sh stop "$PG_DIR"' EXIT
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$MOTO_PORT" && break; sleep 0.1; done
psql -q "$PG_URL" -c "CREATE DATABASE crash"
ATTACHE_DATABASE_URL=$(echo "$PG_URL" | sed 's#/postgres?#/crash?#') ATTACHE_S3_ENDPOINT="http://127.0.0.1:$MOTO_PORT" \
    scripts/crash-test.py "$BIN" --rounds "$ROUNDS" --clients 8
