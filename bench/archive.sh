#!/usr/bin/env bash
# The ZIP of a record against a plain download of the same bytes, in the same run, release build,
# default configuration (SQLite + disk): a record of FILES files of SIZE_MB MB each, and one file of
# their total size; each downloaded RUNS times, alternately; medians and the ratio. The server's
# peak RSS is reset (clear_refs) after the uploads, so its growth is what the downloads cost.
# Usage: bench/archive.sh [files, default 20] [size of each in MB, default 25] [runs, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/unique.sh
FILES=${1:-20}
SIZE_MB=${2:-25}
RUNS=${3:-5}
swift build -c release --product attache >/dev/null 2>&1
BIN=.build/release/attache
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
trap 'kill $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT

TOTAL_MB=$((FILES * SIZE_MB))
(printf '%%PDF-1.7\n'; head -c $((SIZE_MB * 1000 * 1000)) /dev/urandom) >"$WORK/part.pdf"
$BIN tenant create bench --data "$WORK/data" >/dev/null
TOKEN=$($BIN token create --tenant bench --data "$WORK/data" | tail -n 1)
$BIN serve --data "$WORK/data" --port "$PORT" --log-level error --max-file-size $(((TOTAL_MB + 1) * 1000 * 1000)) &
SERVER=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
new_record() {
    curl -s -X POST "http://127.0.0.1:$PORT/v1/records" -H "Authorization: Bearer $TOKEN" \
        -H 'Content-Type: application/json' -d '{"type":"property"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["uuid"])'
}
DOSSIER=$(new_record)
PLAIN=$(new_record)
: >"$WORK/whole.pdf"
for n in $(seq "$FILES"); do
    unique_copy "$WORK/part.pdf" "$WORK/upload.pdf" "$n"
    cat "$WORK/upload.pdf" >>"$WORK/whole.pdf"
    curl -s -o /dev/null -F file=@"$WORK/upload.pdf" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/v1/records/$DOSSIER/attachments"
done
UUID=$(curl -s -F file=@"$WORK/whole.pdf" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/v1/records/$PLAIN/attachments" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["uuid"])')
rm -f "$WORK/whole.pdf" "$WORK/upload.pdf"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo 5 >"/proc/$SERVER/clear_refs"
baseline=$(grep VmRSS "/proc/$SERVER/status" | awk '{print $2}')
: >"$WORK/zip.times"
: >"$WORK/plain.times"
for _ in $(seq "$RUNS"); do
    curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" \
        "http://127.0.0.1:$PORT/v1/records/$DOSSIER/archive" >>"$WORK/zip.times"
    curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" \
        "http://127.0.0.1:$PORT/v1/attachments/$UUID/download" >>"$WORK/plain.times"
done
peak=$(grep VmHWM "/proc/$SERVER/status" | awk '{print $2}')
# Once more into a file (not timed: writing 500 MB costs the client), to check what was sent.
curl -s -o "$WORK/archive.zip" -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/v1/records/$DOSSIER/archive"
zip_bytes=$(stat -c %s "$WORK/archive.zip")
python3 -c "import zipfile, sys; z = zipfile.ZipFile('$WORK/archive.zip'); sys.exit(0 if len(z.infolist()) == $FILES else 1)"
archive=$(median <"$WORK/zip.times")
plain=$(median <"$WORK/plain.times")
mbps() { python3 -c "print(round($1 / 1e6 / max($2, 0.001)))"; }
echo "record of $FILES files × $SIZE_MB MB; archive $zip_bytes bytes; $RUNS runs each, alternating, medians"
echo "ZIP of the record (GET /v1/records/{uuid}/archive): $archive s = $(mbps "$zip_bytes" "$archive") MB/s"
echo "plain download of one file of the same bytes:      $plain s = $(mbps $((FILES * (SIZE_MB * 1000 * 1000 + 9))) "$plain") MB/s"
echo "ZIP / plain throughput:                              $(python3 -c "print(round(($zip_bytes / $archive) / ($FILES * ($SIZE_MB * 1000 * 1000 + 9) / $plain), 2))")"
echo "server peak RSS growth over the downloads:           $(((peak - baseline) / 1024)) MB (from $((baseline / 1024)) MB)"
