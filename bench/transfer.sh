#!/usr/bin/env bash
# Upload and download throughput and server memory of a release build, side by side with this
# machine's own limits measured in the same run (store+hash of the same file with
# `cat | tee | openssl dgst -sha256`, and reading it back). Prints medians of RUNS runs and the ratios.
# Usage: bench/transfer.sh [size in MB, default 50] [runs, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/unique.sh
SIZE_MB=${1:-50}
RUNS=${2:-5}
swift build -c release --product attache >/dev/null 2>&1
BIN=.build/release/attache
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
trap 'kill $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT

(printf '%%PDF-1.7\n'; head -c $((SIZE_MB * 1000 * 1000)) /dev/urandom) >"$WORK/big.pdf"
$BIN tenant create bench --data "$WORK/data" >/dev/null
TOKEN=$($BIN token create --tenant bench --data "$WORK/data" | tail -n 1)
$BIN serve --data "$WORK/data" --port "$PORT" --log-level error --max-file-size $(((SIZE_MB + 1) * 1000 * 1000)) &
SERVER=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
RECORD=$(curl -s -X POST "http://127.0.0.1:$PORT/v1/records" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -d '{"type":"property"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["uuid"])')

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
seconds() { # seconds COMMAND…: wall time of one run, in seconds with nanosecond resolution
    local start end
    start=$(date +%s.%N); "$@"; end=$(date +%s.%N)
    python3 -c "print(round($end - $start, 4))"
}
bytes=$(stat -c %s "$WORK/big.pdf")

# Each upload sends content never stored before (a copy with 16 bytes of its own).
upload=$(for run in $(seq "$RUNS"); do
    unique_copy "$WORK/big.pdf" "$WORK/upload.pdf" "$run"
    curl -s -o "$WORK/last.json" -w '%{time_total}\n' -F file=@"$WORK/upload.pdf" \
        -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/v1/records/$RECORD/attachments"
done | median)
UUID=$(python3 -c 'import json; print(json.load(open("'"$WORK/last.json"'"))["uuid"])')
reference_store=$(for _ in $(seq "$RUNS"); do
    seconds sh -c "cat '$WORK/big.pdf' | tee '$WORK/copy' | openssl dgst -sha256 >/dev/null; sync '$WORK/copy'"
done | median)
download=$(for _ in $(seq "$RUNS"); do
    curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" \
        "http://127.0.0.1:$PORT/v1/attachments/$UUID/download"
done | median)
reference_read=$(for _ in $(seq "$RUNS"); do
    seconds sh -c "cat '$WORK/copy' >/dev/null"
done | median)
rss=$(grep VmHWM "/proc/$SERVER/status" | awk '{print $2}')

mbps() { python3 -c "print(round($bytes / 1e6 / max($1, 0.001)))"; }
echo "file: $bytes bytes, $RUNS runs, medians"
echo "upload   (curl -F → parse, hash, fsync, link):   $upload s = $(mbps "$upload") MB/s"
echo "reference (cat | tee | openssl dgst, sync):      $reference_store s = $(mbps "$reference_store") MB/s"
echo "upload / reference time ratio:                   $(python3 -c "print(round($upload / max($reference_store, 0.001), 2))")"
echo "download (curl, streamed from disk):             $download s = $(mbps "$download") MB/s"
echo "reference (cat > /dev/null):                     $reference_read s = $(mbps "$reference_read") MB/s"
echo "server peak RSS over all transfers:              $((rss / 1024)) MB"
