#!/usr/bin/env bash
# Every figure of the performance table in one run, each beside a reference measured in the same run:
# nginx (static 1 KB file, sendfile download, WebDAV PUT), a bare Hummingbird app's /healthz
# (bench/HummingbirdReference: the HTTP stack's floor), a minimal SwiftNIO server sending the download's
# file as a FileRegion and as ByteBuffers (bench/DownloadCeiling: the download's ceiling), wrk, `cat | tee | openssl dgst -sha256`, and the
# disk steps of a durable small upload without the server (bench/small-files.py).
# Release build, SQLite + disk, the configuration a user starts with (info logs, as JSON lines to a
# file), and the small requests again at --log-level error; loopback only, bounded time; client and
# server share the 2 cores.
# Ends with bench/large.sh on SQLite and PostgreSQL (a million attachments beside a small set).
# The table runs on SQLite + disk, then again on PostgreSQL + S3 (a throwaway PostgreSQL and moto) with
# GET one and the lists compared; small requests' p99 is measured alone and under 16 big transfers.
# Usage: bench/run.sh [seconds per wrk run, default 5] [file size in MB, default 50] [--without-postgres] [--without-large]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/unique.sh
source bench/drain.sh
source bench/nginx.sh
SECS=${1:-5}
SIZE_MB=${2:-50}
if ! command -v nginx >/dev/null || ! command -v wrk >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light wrk >/dev/null
fi
swift build -c release --product attache >/dev/null
swift build -c release --package-path bench/HummingbirdReference >/dev/null
swift build -c release --package-path bench/DownloadCeiling >/dev/null
BIN=.build/release/attache
WORK=$(mktemp -d)
chmod 755 "$WORK"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=$(free_port) NGINX_PORT=$(free_port) REFERENCE_PORT=$(free_port)
SERVER="" REFERENCE="" MOTO="" PG_DIR=""
cleanup() {
    [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null
    [ -n "$REFERENCE" ] && kill "$REFERENCE" 2>/dev/null
    [ -n "$MOTO" ] && kill "$MOTO" 2>/dev/null
    [ -n "$PG_DIR" ] && scripts/postgres.sh stop "$PG_DIR"
    nginx -p "$WORK/nginx" -c nginx.conf -s stop 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# nginx: the reference server (bench/nginx.sh), serving the download's file too.
start_reference_nginx "$WORK" "$NGINX_PORT"
(printf '%%PDF-1.7\n'; head -c $((SIZE_MB * 1000 * 1000)) /dev/urandom) >"$WORK/big.pdf"
cp "$WORK/big.pdf" "$WORK/nginx/www/big.pdf"
NGINX="http://127.0.0.1:$NGINX_PORT"
for path in small.bin big.pdf; do
    status=$(curl -s -o /dev/null -w '%{http_code}' "$NGINX/$path")
    [ "$status" = 200 ] || { echo "nginx answers $status for /$path"; exit 1; }
done

start_attache() { # [options beyond the defaults]
    "$BIN" serve --data "$WORK/data" --port "$PORT" --max-file-size $(((SIZE_MB + 1) * 1000 * 1000)) --gc-interval 0 "$@" \
        2>>"$WORK/attache.log" &
    SERVER=$!
    for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && return; sleep 0.05; done
}
stop_attache() { kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""; }
A="http://127.0.0.1:$PORT"
rate() { wrk -t2 "$@" | awk '/Requests\/sec/ {print $2}'; }
p50() { wrk -t2 --latency "$@" | awk '$1 == "50%" {print $2}'; }
# The 99th percentile of a wrk run with --latency, in milliseconds.
p99() { wrk -t1 --latency "$@" | awk '$1 == "99%" {v = $2; if (v ~ /us$/) print v / 1000; else if (v ~ /ms$/) print v + 0; else print v * 1000}'; }
ratio() { python3 -c "print(round($1 / max($2, 1e-9), 2))"; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
seconds() { local s e; s=$(date +%s.%N); "$@"; e=$(date +%s.%N); python3 -c "print(round($e - $s, 4))"; }
bytes=$(stat -c %s "$WORK/big.pdf")
mbps() { python3 -c "print(round($bytes / 1e6 / max($1, 0.001)))"; }

echo "bench/run.sh $SECS $SIZE_MB — $(date -u +%F), $(nproc) cores, release build, default configuration (info logs)"
echo
nginx_small=$(rate -c64 -d"${SECS}s" "$NGINX/small.bin")
# The stack's floor, alone on the machine while it is measured.
bench/HummingbirdReference/.build/release/HummingbirdReference "$REFERENCE_PORT" >/dev/null 2>&1 &
REFERENCE=$!
for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$REFERENCE_PORT/healthz" >/dev/null 2>&1 && break; sleep 0.05; done
bare=$(rate -c64 -d"${SECS}s" "http://127.0.0.1:$REFERENCE_PORT/healthz")
kill "$REFERENCE"; wait "$REFERENCE" 2>/dev/null || true; REFERENCE=""
store=$(for _ in 1 2 3; do seconds sh -c "cat '$WORK/big.pdf' | tee '$WORK/copy' | openssl dgst -sha256 >/dev/null; sync '$WORK/copy'"; done | median)
put=$(for i in 1 2 3; do curl -s -o /dev/null -w '%{time_total}\n' -T "$WORK/big.pdf" "$NGINX/dav/big$i.pdf"; done | median)
nginx_get=$(for _ in 1 2 3; do curl -s -o /dev/null -w '%{time_total}\n' "$NGINX/big.pdf"; done | median)
small_files=$(bench/small-files.py "$WORK/small-files" "$SECS")
# The download's ceiling in SwiftNIO: the same file as a FileRegion (sendfile) and as 64 KiB ByteBuffers.
CEILING_PORT=$(free_port)
bench/DownloadCeiling/.build/release/DownloadCeiling "$CEILING_PORT" "$WORK/big.pdf" >/dev/null 2>&1 &
REFERENCE=$!
for _ in $(seq 1 200); do curl -fs -o /dev/null "http://127.0.0.1:$CEILING_PORT/region" 2>/dev/null && break; sleep 0.05; done
nio_region=$(for _ in 1 2 3; do curl -s -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$CEILING_PORT/region"; done | median)
nio_buffers=$(for _ in 1 2 3; do curl -s -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$CEILING_PORT/buffers"; done | median)
kill "$REFERENCE"; wait "$REFERENCE" 2>/dev/null || true; REFERENCE=""
echo "references: nginx 1 KB GET $nginx_small req/s, bare Hummingbird /healthz $bare req/s, nginx PUT $(mbps "$put") MB/s, cat|tee|openssl $(mbps "$store") MB/s, durable small files alone (bench/small-files.py) $small_files /s"
echo "download ceiling: nginx sendfile $(mbps "$nginx_get") MB/s, SwiftNIO FileRegion (sendfile) $(mbps "$nio_region") MB/s, SwiftNIO 64 KiB ByteBuffers $(mbps "$nio_buffers") MB/s (bench/DownloadCeiling)"

# One table on the set-up the environment names (SQLite + disk, or PostgreSQL + S3 with
# ATTACHE_DATABASE_URL and ATTACHE_S3_*), on a fresh data folder. Sets get_one, list50 and list10.
table() { # LABEL
    rm -rf "$WORK/data"
    "$BIN" tenant create bench --data "$WORK/data" >/dev/null
    TOKEN=$("$BIN" token create --tenant bench --data "$WORK/data" | tail -n 1)
    AUTH="Authorization: Bearer $TOKEN"
    start_attache
    record() { curl -s -X POST "$A/v1/records" -H "$AUTH" -H 'Content-Type: application/json' -d '{"type":"contact"}' |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["uuid"])'; }
    FIFTY=$(record) TEN=$(record) BIG=$(record)
    for i in $(seq 1 50); do printf 'row,%d\n' "$i" >"$WORK/f.csv"; curl -s -o /dev/null -F file=@"$WORK/f.csv" -H "$AUTH" "$A/v1/records/$FIFTY/attachments"; done
    for i in $(seq 1 10); do printf 'ten,%d\n' "$i" >"$WORK/f.csv"; curl -s -o "$WORK/one.json" -F file=@"$WORK/f.csv" -H "$AUTH" "$A/v1/records/$TEN/attachments"; done
    ONE=$(python3 -c 'import json; print(json.load(open("'"$WORK/one.json"'"))["uuid"])')

    echo
    echo "$1"
    health=$(rate -c64 -d"${SECS}s" "$A/healthz")
    get_one=$(rate -c64 -d"${SECS}s" -H "$AUTH" "$A/v1/attachments/$ONE")
    echo "GET one attachment (token + lookup):  $get_one req/s   nginx 1 KB: ×$(ratio "$get_one" "$nginx_small")   bare Hummingbird /healthz: ×$(ratio "$get_one" "$bare")   Attache /healthz: $health (×$(ratio "$health" "$bare") of bare)"
    list50=$(rate -c32 -d"${SECS}s" -H "$AUTH" "$A/v1/records/$FIFTY/attachments?limit=50")
    list50_p50=$(p50 -c32 -d"${SECS}s" -H "$AUTH" "$A/v1/records/$FIFTY/attachments?limit=50")
    echo "list a page of 50 attachments (32):    $list50 req/s, p50 $list50_p50"
    list10=$(rate -c64 -d"${SECS}s" -H "$AUTH" "$A/v1/records/$TEN/attachments")
    echo "list a record's 10 attachments:        $list10 req/s"
    small_uploads=$(rate -c64 -d"${SECS}s" -s bench/small-upload.lua -H "$AUTH" "$A/v1/records/$BIG/attachments")
    echo "small uploads (25-byte text, durable): $small_uploads /s   (×$(ratio "$small_uploads" "$small_files") of the disk steps alone)"
    # The same small requests without the access log (--log-level error): what the default log costs.
    stop_attache; start_attache --log-level error
    quiet_health=$(rate -c64 -d"${SECS}s" "$A/healthz")
    quiet_one=$(rate -c64 -d"${SECS}s" -H "$AUTH" "$A/v1/attachments/$ONE")
    quiet_list50=$(rate -c32 -d"${SECS}s" -H "$AUTH" "$A/v1/records/$FIFTY/attachments?limit=50")
    cost() { python3 -c "print(f'{(1 - $1 / max($2, 1e-9)) * 100:.0f} %')"; }
    echo "at --log-level error:                  GET one $quiet_one req/s (the access log costs $(cost "$get_one" "$quiet_one")), /healthz $quiet_health ($(cost "$health" "$quiet_health")), list-50 $quiet_list50 ($(cost "$list50" "$quiet_list50"))"
    stop_attache; start_attache

    # The small uploads left derived-work jobs (a text job each): let the workers finish them, so the
    # rows below (and the fairness row's "idle") measure what they say.
    derived_work_drained "$A"

    # Every upload measured sends content never stored before (a copy with 16 bytes of its own).
    upload=$(for run in 1 2 3; do
        unique_copy "$WORK/big.pdf" "$WORK/upload.pdf" "$run"
        curl -s -o "$WORK/last.json" -w '%{time_total}\n' -F file=@"$WORK/upload.pdf" -H "$AUTH" "$A/v1/records/$BIG/attachments"
    done | median)
    UUID=$(python3 -c 'import json; print(json.load(open("'"$WORK/last.json"'"))["uuid"])')
    echo "upload ${SIZE_MB} MB (curl -F):               $(mbps "$upload") MB/s   (×$(ratio "$put" "$upload") of nginx PUT, ×$(ratio "$store" "$upload") of cat|tee|openssl)"
    download=$(for _ in 1 2 3; do curl -s -o /dev/null -w '%{time_total}\n' -H "$AUTH" "$A/v1/attachments/$UUID/download"; done | median)
    echo "download ${SIZE_MB} MB:                       $(mbps "$download") MB/s   (×$(ratio "$nginx_get" "$download") of nginx sendfile, ×$(ratio "$nio_buffers" "$download") of NIO ByteBuffers, ×$(ratio "$nio_region" "$download") of NIO FileRegion)"

    # Fairness: small requests' p99 alone, then while 8 clients upload and 8 download 50 MB files without pause.
    idle_one=$(p99 -c4 -d"${SECS}s" -H "$AUTH" "$A/v1/attachments/$ONE")
    idle_list=$(p99 -c4 -d"${SECS}s" -H "$AUTH" "$A/v1/records/$TEN/attachments")
    touch "$WORK/loading"
    LOADERS=()
    for i in $(seq 1 8); do
        (n=0; while [ -e "$WORK/loading" ]; do
            n=$((n + 1)); unique_copy "$WORK/big.pdf" "$WORK/load-$i.pdf" $((1000 * i + n))
            curl -s -o /dev/null -F file=@"$WORK/load-$i.pdf" -H "$AUTH" "$A/v1/records/$BIG/attachments"
        done) &
        LOADERS+=($!)
        (while [ -e "$WORK/loading" ]; do curl -s -o /dev/null -H "$AUTH" "$A/v1/attachments/$UUID/download"; done) &
        LOADERS+=($!)
    done
    sleep 1
    busy_one=$(p99 -c4 -d"${SECS}s" -H "$AUTH" "$A/v1/attachments/$ONE")
    busy_list=$(p99 -c4 -d"${SECS}s" -H "$AUTH" "$A/v1/records/$TEN/attachments")
    rm -f "$WORK/loading"
    wait "${LOADERS[@]}" 2>/dev/null || true
    rm -f "$WORK"/load-*.pdf
    echo "small requests under 16 big transfers:  GET one p99 ${busy_one} ms (idle ${idle_one} ms, ×$(ratio "$busy_one" "$idle_one"))   list-10 p99 ${busy_list} ms (idle ${idle_list} ms, ×$(ratio "$busy_list" "$idle_list"))"

    # Peak memory: a fresh server for 64 concurrent uploads, another for 64 concurrent downloads.
    for i in $(seq 1 64); do unique_copy "$WORK/big.pdf" "$WORK/up-$i.pdf" $((100 + i)); done
    stop_attache; start_attache
    seq 1 64 | xargs -P 64 -I{} curl -s -o /dev/null -F file=@"$WORK/up-{}.pdf" -H "$AUTH" "$A/v1/records/$BIG/attachments"
    rm -f "$WORK"/up-*.pdf
    up_rss=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$SERVER/status")
    stop_attache; start_attache
    seq 1 64 | xargs -P 64 -I{} curl -s -o /dev/null -H "$AUTH" "$A/v1/attachments/$UUID/download"
    down_rss=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$SERVER/status")
    echo "peak RSS, 64 concurrent ${SIZE_MB} MB uploads: ${up_rss} MB; 64 concurrent downloads: ${down_rss} MB"
    stop_attache
}

table "SQLite + disk (the embedded default)"
sqlite_one=$get_one sqlite_list50=$list50 sqlite_list10=$list10

# The same table on PostgreSQL + S3 (a throwaway PostgreSQL, moto as the S3 server).
if [[ " $* " != *" --without-postgres "* ]]; then
    # moto from the test command's tools (scripts/test.sh installs them), or from PATH.
    [ -x .build-venv/tools/bin/moto_server ] && export PATH="$PWD/.build-venv/tools/bin:$PATH"
    command -v moto_server >/dev/null || { echo "moto_server is not installed: run scripts/test.sh once, or pass --without-postgres"; exit 1; }
    read -r PG_URL PG_DIR < <(scripts/postgres.sh start)
    MOTO_PORT=$(free_port)
    moto_server -H 127.0.0.1 -p "$MOTO_PORT" >/dev/null 2>&1 &
    MOTO=$!
    for _ in $(seq 1 200); do curl -fs "http://127.0.0.1:$MOTO_PORT/" >/dev/null 2>&1 && break; sleep 0.05; done
    psql -q "$PG_URL" -c "CREATE DATABASE bench"
    export ATTACHE_DATABASE_URL=${PG_URL/\/postgres\?//bench?} ATTACHE_S3_ENDPOINT="http://127.0.0.1:$MOTO_PORT" ATTACHE_S3_BUCKET=bench \
        ATTACHE_S3_ACCESS_KEY_ID=bench ATTACHE_S3_SECRET_ACCESS_KEY=bench
    table "PostgreSQL + S3 (moto)"
    echo "PostgreSQL + S3 against SQLite + disk: GET one ×$(ratio "$get_one" "$sqlite_one"), list-50 ×$(ratio "$list50" "$sqlite_list50"), list-10 ×$(ratio "$list10" "$sqlite_list10")"
    unset ATTACHE_DATABASE_URL ATTACHE_S3_ENDPOINT ATTACHE_S3_BUCKET ATTACHE_S3_ACCESS_KEY_ID ATTACHE_S3_SECRET_ACCESS_KEY
    kill "$MOTO"; wait "$MOTO" 2>/dev/null || true
    scripts/postgres.sh stop "$PG_DIR"
    MOTO="" PG_DIR=""
fi

# The last row: a million attachments beside a small data set, on both engines.
[[ " $* " == *" --without-large "* ]] && exit 0
echo
bench/large.sh "$SECS" sqlite | tail -n 5
bench/large.sh "$SECS" postgres | tail -n 5
