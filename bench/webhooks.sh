#!/usr/bin/env bash
# Webhooks: what the outbox costs an upload, and how soon a change reaches a healthy receiver.
# Release build, SQLite + disk, the configuration a user starts with (info logs to a file), loopback
# only; client, server and receiver share the 2 cores.
#
# 1. Small uploads (wrk, bench/small-upload.lua: 25 bytes never stored before, 64 connections) on
#    three fresh servers in the same run: no webhook (the plain upload, the reference); one endpoint
#    taking attachment.created and file.stored on a node that sends nothing (--webhook-deliveries 0:
#    the outbox alone — two deliveries written in each upload's transaction); the same endpoint
#    delivered to a receiver (the outbox and the sending, paced at the default 10 a second).
# 2. Latency: one upload every 250 ms (4 a second, under the default pace) for COUNT uploads; from the
#    upload's answer to its delivery's arrival (bench/webhook-latency.py). Target: p95 < 2 s.
# Usage: bench/webhooks.sh [seconds per wrk run, default 10] [uploads for the latency, default 200]
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-10}
COUNT=${2:-200}
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
swift build -c release --product attache >/dev/null
BIN=.build/release/attache
WORK=$(mktemp -d)
SERVER="" RECEIVER=""
cleanup() {
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
    [ -n "$RECEIVER" ] && kill "$RECEIVER" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
ratio() { python3 -c "print(round($1 / max($2, 1e-9), 2))"; }

# A receiver for the third configuration: answers 204 to everything, as fast as Python's server goes.
RECEIVER_PORT=$(free_port)
python3 - "$RECEIVER_PORT" <<'PY' &
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_response(204); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *args): pass
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
PY
RECEIVER=$!

# start DATA [serve options]: a fresh server with tenant `bench`; sets A, AUTH, ADMIN.
start() {
    local data=$1; shift
    "$BIN" tenant create bench --data "$data" >/dev/null
    TOKEN=$("$BIN" token create --tenant bench --data "$data" | tail -n 1)
    ADMIN=$("$BIN" token create --tenant bench --scope admin --data "$data" | tail -n 1)
    PORT=$(free_port)
    "$BIN" serve --data "$data" --port "$PORT" --gc-interval 0 --webhook-allow-network 127.0.0.0/8 "$@" 2>>"$data/attache.log" &
    SERVER=$!
    A="http://127.0.0.1:$PORT"
    AUTH="Authorization: Bearer $TOKEN"
    for _ in $(seq 1 200); do curl -fs "$A/healthz" >/dev/null 2>&1 && return; sleep 0.05; done
}
stop() { kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""; }
endpoint() {
    curl -fs -o /dev/null -X POST "$A/v1/webhooks" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
        -d '{"url":"http://127.0.0.1:'"$RECEIVER_PORT"'/hook","events":["attachment.created","file.stored"]}'
}
uploads() {
    local record
    record=$(curl -s -X POST "$A/v1/records" -H "$AUTH" -H 'Content-Type: application/json' -d '{"type":"contact"}' |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["uuid"])')
    wrk -t2 -c64 -d"${SECS}s" -s bench/small-upload.lua -H "$AUTH" "$A/v1/records/$record/attachments" | awk '/Requests\/sec/ {print $2}'
}

echo "bench/webhooks.sh $SECS $COUNT — $(date -u +%F), $(nproc) cores, release build, SQLite + disk, default configuration (info logs)"
start "$WORK/plain"
plain=$(uploads)
stop
start "$WORK/outbox" --webhook-deliveries 0
endpoint
outbox=$(uploads)
pending=$(sqlite3 "$WORK/outbox/attache.sqlite" "SELECT COUNT(*) FROM webhook_deliveries" 2>/dev/null || echo "?")
stop
start "$WORK/delivered"
endpoint
delivered=$(uploads)
stop
echo "small uploads, no webhook:                        $plain /s"
echo "with an endpoint, outbox only (2 deliveries each): $outbox /s (×$(ratio "$outbox" "$plain") of plain; $pending deliveries written)"
echo "with an endpoint, delivered (paced 10/s):          $delivered /s (×$(ratio "$delivered" "$plain") of plain)"

start "$WORK/latency"
read -r p50 p95 longest missing < <(python3 bench/webhook-latency.py "$A" "$ADMIN" "$COUNT" 0.25)
stop
echo "delivery latency, $COUNT uploads at 4/s: p50 ${p50} ms, p95 ${p95} ms, longest ${longest} ms, ${missing} missing (target p95 < 2000 ms)"
