#!/usr/bin/env bash
# Resumable (tus) upload throughput against the one-request upload, in the same run, same server:
# one file sent as a raw body (`POST /v1/files`) and as tus PATCHes of 8 MiB (created, then appended
# chunk by chunk by one curl process over one connection, chunks pre-split), each run alternating;
# reference: `cat | tee | openssl dgst -sha256` over the same file, then `sync` of the copy (the server
# makes each upload durable). Every upload is content never stored before. Release build, SQLite + disk.
# With `text`, the file is text: it is validated to its end, so the resumable upload reads its content
# back once when complete (binary content was hashed chunk by chunk as it arrived, and is not).
# Usage: bench/resumable.sh [file size in MB, default 200] [rounds, default 3] [binary|text, default binary]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/unique.sh
SIZE_MB=${1:-200}
ROUNDS=${2:-3}
KIND=${3:-binary}
swift build -c release --product attache >/dev/null
BIN=.build/release/attache
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
SERVER=""
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"' EXIT
if [ "$KIND" = text ]; then
    NAME=notes.txt TYPE=text/plain
    { yes 'Inspection notes, Keizersgracht 12: the roof, the gutters and the cellar were checked.' || true; } | head -c $((SIZE_MB * 1000 * 1000)) >"$WORK/$NAME"
else
    NAME=video.mp4 TYPE=video/mp4
    (printf '\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom'; head -c $((SIZE_MB * 1000 * 1000)) /dev/urandom) >"$WORK/$NAME"
fi
BYTES=$(stat -c %s "$WORK/$NAME")
mkdir "$WORK/chunks" && split -b 8M -d -a 4 "$WORK/$NAME" "$WORK/chunks/part-"
CHUNK_FILES=("$WORK"/chunks/part-*)
CHUNK_SIZES=()
for chunk in "${CHUNK_FILES[@]}"; do CHUNK_SIZES+=("$(stat -c %s "$chunk")"); done
"$BIN" tenant create bench --data "$WORK/data" >/dev/null
TOKEN=$("$BIN" token create --tenant bench --data "$WORK/data" | tail -n 1)
"$BIN" serve --data "$WORK/data" --port "$PORT" --log-level error --max-file-size $((BYTES + 1)) --gc-interval 0 &
SERVER=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
BASE="http://127.0.0.1:$PORT"
now() { date +%s.%N; }
mbps() { python3 -c "print(f'{$BYTES / ($2 - $1) / 1e6:.0f}')"; }

# Every upload sends content never stored before: the file, or its first chunk, with 16 bytes of its
# own (unique_copy), made before the clock starts.
one_request() {
    local start end
    unique_copy "$WORK/$NAME" "$WORK/upload" "$1"
    start=$(now)
    curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" -H "Content-Type: $TYPE" \
        -H "Content-Disposition: attachment; filename=\"$NAME\"" --data-binary @"$WORK/upload" "$BASE/v1/files"
    end=$(now)
    mbps "$start" "$end"
}

# The PATCHes go out of one curl process over one connection (--next), as a tus client sends them:
# no process start per chunk.
resumable() {
    local start end url offset=0 arguments=() chunk
    unique_copy "${CHUNK_FILES[0]}" "$WORK/first-chunk" "$1"
    start=$(now)
    url=$(curl -sf -i -X POST -H "Authorization: Bearer $TOKEN" -H 'Tus-Resumable: 1.0.0' -H "Upload-Length: $BYTES" \
        -H "Upload-Metadata: filename $(printf "$NAME" | base64)" "$BASE/v1/uploads" | tr -d '\r' | sed -n 's/^Location: //p')
    for index in "${!CHUNK_FILES[@]}"; do
        [ "$index" -gt 0 ] && arguments+=(--next)
        chunk=${CHUNK_FILES[$index]}
        [ "$index" -eq 0 ] && chunk=$WORK/first-chunk
        arguments+=(-sf -o /dev/null -X PATCH -H "Authorization: Bearer $TOKEN" -H 'Tus-Resumable: 1.0.0' -H "Upload-Offset: $offset"
            -H 'Content-Type: application/offset+octet-stream' --data-binary @"$chunk" "$url")
        offset=$((offset + CHUNK_SIZES[index]))
    done
    curl "${arguments[@]}"
    end=$(now)
    mbps "$start" "$end"
}

reference() {
    local start end
    start=$(now)
    cat "$WORK/$NAME" | tee "$WORK/copy.bin" | openssl dgst -sha256 >/dev/null
    sync "$WORK/copy.bin"
    end=$(now)
    rm -f "$WORK/copy.bin"
    mbps "$start" "$end"
}

echo "file: $NAME ($KIND), $BYTES bytes; tus chunks: $(ls "$WORK/chunks" | wc -l) of 8 MiB; $ROUNDS rounds, alternating"
single=() tus=() ref=()
for round in $(seq 1 "$ROUNDS"); do
    single+=("$(one_request "$round")")
    tus+=("$(resumable "$((1000 + round))")")
    ref+=("$(reference)")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
S=$(median "${single[@]}") T=$(median "${tus[@]}") R=$(median "${ref[@]}")
printf '%-44s %8s MB/s   (runs: %s)\n' "one request (raw body, POST /v1/files)" "$S" "${single[*]}"
printf '%-44s %8s MB/s   (runs: %s)\n' "resumable (tus, 8 MiB PATCHes)" "$T" "${tus[*]}"
printf '%-44s %8s MB/s   (runs: %s)\n' "reference: cat | tee | openssl dgst -sha256" "$R" "${ref[*]}"
python3 -c "print(f'resumable / one request: {$T / $S:.2f}x   one request / reference: {$S / $R:.2f}x')"
