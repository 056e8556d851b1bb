#!/usr/bin/env bash
# Small-request throughput of a release build: an authenticated JSON read (token lookup + one
# SQLite query + encoding) side by side with the bare liveness route, in one run, with wrk.
# Usage: bench/requests.sh [seconds per run, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-5}
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)"; exit 1; }
swift build -c release --product attache >/dev/null 2>&1
BIN=.build/release/attache
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
trap 'kill $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
$BIN tenant create bench --data "$WORK/data" >/dev/null
TOKEN=$($BIN token create --tenant bench --data "$WORK/data" | tail -n 1)
$BIN serve --data "$WORK/data" --port "$PORT" --log-level error &
SERVER=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
RECORD=$(curl -s -X POST "http://127.0.0.1:$PORT/v1/records" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -d '{"type":"contact","title":"Bench"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["uuid"])')

rate() { wrk -t2 -c64 -d"${SECONDS_PER_RUN}s" "$@" | awk '/Requests\/sec/ {print $2}'; }
health=$(rate "http://127.0.0.1:$PORT/healthz")
record=$(rate -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/v1/records/$RECORD")
echo "wrk -t2 -c64 -d${SECONDS_PER_RUN}s, one run each"
echo "GET /healthz (no auth, static JSON):        $health req/s"
echo "GET /v1/records/{uuid} (token + SQLite):   $record req/s"
echo "authenticated read / bare route:           $(python3 -c "print(round($record / $health, 2))")"
