#!/usr/bin/env bash
# Small requests beside big transfers, for one or more builds of attache in one run (the fairness row of
# bench/run.sh, alone, with each kind of load apart): the p99 of GET one attachment's JSON from 4
# connections (wrk -t1 -c4), idle, then while 16 clients upload 50 MB PDFs of new content without pause,
# while 16 download one, and while 8 do each. The uploads' derived work (text and previews) runs
# beside them, as it does for users; before each figure the server has finished what came before. Each binary serves a fresh data folder in the default
# configuration; the binaries take turns, ROUNDS times (default 2), so a slower minute of the machine
# does not fall on one of them. The reference, first: nginx's p99 for a 1 KB file under the same clients
# putting and getting the same files on nginx (WebDAV PUT, sendfile), which do next to no work in the
# server: what two cores shared with 16 curl processes and wrk cost any small request.
# Usage: bench/fairness.sh [seconds per wrk run, default 5] [binary ...] (default: the release build)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/unique.sh
source bench/drain.sh
source bench/nginx.sh
SECS=${1:-5}
shift || true
BINARIES=("$@")
if [ ${#BINARIES[@]} -eq 0 ]; then
    swift build -c release --product attache >/dev/null
    BINARIES=(.build/release/attache)
fi
ROUNDS=${ROUNDS:-2}
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
NGINX_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
A="http://127.0.0.1:$PORT"
SERVER=""
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -f "$WORK/loading"; nginx -p "$WORK/nginx" -c nginx.conf -s stop 2>/dev/null; rm -rf "$WORK"' EXIT
command -v nginx >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; }
chmod 755 "$WORK"
start_reference_nginx "$WORK" "$NGINX_PORT"
NGINX="http://127.0.0.1:$NGINX_PORT"
(printf '%%PDF-1.7\n'; head -c 50000000 /dev/urandom) >"$WORK/big.pdf"
cp "$WORK/big.pdf" "$WORK/nginx/www/big.pdf"
echo "Meter reading, Keizersgracht 12: 4411 kWh." >"$WORK/one.txt"
p99() { wrk -t1 --latency "$@" | awk '$1 == "99%" {v = $2; if (v ~ /us$/) print v / 1000; else if (v ~ /ms$/) print v + 0; else print v * 1000}'; }

measure() { # binary → "idle uploads downloads both" (ms)
    local bin=$1 data="$WORK/data-$RANDOM"
    "$bin" tenant create bench --data "$data" >/dev/null
    local token; token=$("$bin" token create --tenant bench --data "$data" | tail -n 1)
    "$bin" serve --data "$data" --port "$PORT" --max-file-size 51000000 --gc-interval 0 2>>"$WORK/attache.log" &
    SERVER=$!
    until curl -fs -m 2 "$A/healthz" >/dev/null 2>&1; do sleep 0.05; done
    local auth="Authorization: Bearer $token"
    local record; record=$(curl -fs -m 10 -H "$auth" -H 'Content-Type: application/json' -d '{"type":"property","title":"Fairness"}' "$A/v1/records" \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["uuid"])')
    local one; one=$(curl -fs -m 10 -H "$auth" -F "file=@$WORK/one.txt" "$A/v1/records/$record/attachments" \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["uuid"])')
    unique_copy "$WORK/big.pdf" "$WORK/first.pdf" 1
    local big; big=$(curl -fs -m 60 -H "$auth" -F "file=@$WORK/first.pdf" "$A/v1/records/$record/attachments" \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["uuid"])')
    under() { # uploaders downloaders → p99 of GET one meanwhile
        touch "$WORK/loading"
        local loaders=() i
        for i in $(seq 1 "$1"); do
            (n=0; while [ -e "$WORK/loading" ]; do
                n=$((n + 1)); unique_copy "$WORK/big.pdf" "$WORK/load-$i.pdf" $((1000 * i + n + RANDOM * 100000))
                curl -s -o /dev/null -F file=@"$WORK/load-$i.pdf" -H "$auth" "$A/v1/records/$record/attachments"
            done) &
            loaders+=($!)
        done
        for i in $(seq 1 "$2"); do
            (while [ -e "$WORK/loading" ]; do curl -s -o /dev/null -H "$auth" "$A/v1/attachments/$big/download"; done) &
            loaders+=($!)
        done
        sleep 1
        p99 -c4 -d"${SECS}s" -H "$auth" "$A/v1/attachments/$one"
        rm -f "$WORK/loading"
        wait "${loaders[@]}" 2>/dev/null || true
        rm -f "$WORK"/load-*.pdf
        derived_work_drained "$A" >&2
    }
    derived_work_drained "$A" >&2
    local idle; idle=$(p99 -c4 -d"${SECS}s" -H "$auth" "$A/v1/attachments/$one")
    local figures; figures="$idle $(under 16 0) $(under 0 16) $(under 8 8)"
    # Stopped before the figures go out: the caller reads them and starts the next server at once.
    kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
    rm -rf "$data"
    echo "$figures"
}

reference() { # → "idle uploads downloads both" (ms): nginx's 1 KB file, the load on nginx too
    under_nginx() {
        touch "$WORK/loading"
        local loaders=() i
        for i in $(seq 1 "$1"); do
            (n=0; while [ -e "$WORK/loading" ]; do
                n=$((n + 1)); curl -s -o /dev/null -T "$WORK/big.pdf" "$NGINX/dav/load-$i-$n.pdf"; rm -f "$WORK/nginx/dav/load-$i-$n.pdf"
            done) &
            loaders+=($!)
        done
        for i in $(seq 1 "$2"); do
            (while [ -e "$WORK/loading" ]; do curl -s -o /dev/null "$NGINX/big.pdf"; done) &
            loaders+=($!)
        done
        sleep 1
        p99 -c4 -d"${SECS}s" "$NGINX/small.bin"
        rm -f "$WORK/loading"
        wait "${loaders[@]}" 2>/dev/null || true
    }
    echo "$(p99 -c4 -d"${SECS}s" "$NGINX/small.bin") $(under_nginx 16 0) $(under_nginx 0 16) $(under_nginx 8 8)"
}

echo "bench/fairness.sh $SECS — $(date -u +%F), $(nproc) cores; GET one's p99 (ms) from 4 connections, idle and under 16 transfers of 50 MB"
printf '%-40s %8s %14s %16s %20s\n' "binary (round)" "idle" "16 uploads" "16 downloads" "8 up + 8 down"
row() { # label idle uploads downloads both
    local idle=$2
    x() { python3 -c "print(f'{$1:.2f} (×{$1 / max($idle, 1e-9):.1f})')"; }
    printf '%-40s %8s %14s %16s %20s\n' "$1" "$idle" "$(x "$3")" "$(x "$4")" "$(x "$5")"
}
for round in $(seq 1 "$ROUNDS"); do
    read -r idle up down both < <(reference)
    row "reference: nginx 1 KB ($round)" "$idle" "$up" "$down" "$both"
    for bin in "${BINARIES[@]}"; do
        read -r idle up down both < <(measure "$bin")
        row "$bin ($round)" "$idle" "$up" "$down" "$both"
    done
done
