#!/usr/bin/env bash
# Server CPU time per request on the read routes and small uploads, the steadier figure when wrk shares the two cores
# with the server (rates move ±15 % between runs here; CPU per request moves less). Optionally records
# a profile of one route with `perf record -g`.
# Usage: bench/cpu.sh [seconds per route, default 4] [perf: list|one|ten|upload to write perf-<route>.data]
# ATTACHE_BIN=path measures another build (an older commit's, say) instead of building this tree.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-4}
PROFILE=${2:-}
if [ -z "${ATTACHE_BIN:-}" ]; then swift build -c release --product attache >/dev/null; fi
BIN=${ATTACHE_BIN:-.build/release/attache}
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
SERVER=""
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"' EXIT
"$BIN" tenant create bench --data "$WORK/data" >/dev/null
TOKEN=$("$BIN" token create --tenant bench --data "$WORK/data" | tail -n 1)
"$BIN" serve --data "$WORK/data" --port "$PORT" --log-level error --gc-interval 0 &
SERVER=$!
for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
A="http://127.0.0.1:$PORT"
AUTH="Authorization: Bearer $TOKEN"
record() { curl -s -X POST "$A/v1/records" -H "$AUTH" -H 'Content-Type: application/json' -d '{"type":"contact"}' |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["uuid"])'; }
FIFTY=$(record) TEN=$(record)
for i in $(seq 1 50); do printf 'row,%d\n' "$i" >"$WORK/f.csv"; curl -s -o /dev/null -F file=@"$WORK/f.csv" -H "$AUTH" "$A/v1/records/$FIFTY/attachments"; done
for i in $(seq 1 10); do printf 'ten,%d\n' "$i" >"$WORK/f.csv"; curl -s -o "$WORK/one.json" -F file=@"$WORK/f.csv" -H "$AUTH" "$A/v1/records/$TEN/attachments"; done
ONE=$(python3 -c 'import json; print(json.load(open("'"$WORK/one.json"'"))["uuid"])')

ticks() { awk '{print $14 + $15}' "/proc/$SERVER/stat"; }
measure() { # name path connections [wrk script]
    local before after output requests
    before=$(ticks)
    output=$(wrk -t1 -c"$3" -d"${SECS}s" -H "$AUTH" ${4:+-s "$4"} "$A$2")
    after=$(ticks)
    requests=$(echo "$output" | awk '/requests in/ {print $1}')
    python3 -c "print('%-34s %7.0f req/s   server CPU %5.0f µs/request' % ('$1', $requests / $SECS, ($after - $before) / $(getconf CLK_TCK) * 1e6 / $requests))"
}
echo "bench/cpu.sh $SECS — $(date +%F), $(nproc) cores, release build, SQLite + disk, wrk -t1"
measure "GET /healthz" "/healthz" 64
measure "GET one attachment" "/v1/attachments/$ONE" 64
measure "list a record of 10 attachments" "/v1/records/$TEN/attachments" 32
measure "list a page of 50 attachments" "/v1/records/$FIFTY/attachments?limit=50" 32
measure "small uploads (12 bytes, durable)" "/v1/records/$TEN/attachments" 64 bench/small-upload.lua
case "$PROFILE" in
    list) path="/v1/records/$FIFTY/attachments?limit=50" ;;
    one) path="/v1/attachments/$ONE" ;;
    ten) path="/v1/records/$TEN/attachments" ;;
    upload) path="/v1/records/$TEN/attachments" SCRIPT=bench/small-upload.lua ;;
    "") exit 0 ;;
    *) echo "unknown route $PROFILE"; exit 1 ;;
esac
wrk -t1 -c32 -d"$((SECS + 2))s" -H "$AUTH" ${SCRIPT:+-s "$SCRIPT"} "$A$path" >/dev/null &
LOAD=$!
sleep 1
perf record -F 999 -g -p "$SERVER" -o "perf-$PROFILE.data" -- sleep "$SECS" 2>/dev/null
wait "$LOAD"
echo "profile: perf report -i perf-$PROFILE.data --children --sort symbol"
