#!/usr/bin/env bash
# Search over DOCS documents whose text is generated in bench/seed-search.py (default 100,000), on
# SQLite and on PostgreSQL (scripts/postgres.sh): p99 and rate of GET /v1/search (a mix of queries,
# 20 hits with snippets), beside a plain list of 20 attachments in the same run; then the peak memory
# of `attache index rebuild` queueing every content again; then derived work's throughput on one
# core: the text of 100 PDFs and the previews of 100 JPEGs never stored before; and a preview served
# again and again (a cache hit).
# Release build, the default configuration (info logs), wrk with 1 and with 8 connections, loopback; client
# and server share the cores.
# Usage: bench/search.sh [seconds per wrk run, default 5] [documents, default 100000]
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-5}
DOCS=${2:-100000}
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
swift build -c release --product attache >/dev/null
BIN=.build/release/attache
WORK=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
SERVER=""
# PostgreSQL as an operator would size it for this: shared_buffers of 2 GB (its documentation starts a
# dedicated server at a quarter of memory; this machine has 24 GB) rather than initdb's 128 MB, which
# holds less than the search index of 100,000 documents.
read -r PG_URL PG_DIR < <(POSTGRES_SETTINGS="-c shared_buffers=2GB" scripts/postgres.sh start)
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; scripts/postgres.sh stop "$PG_DIR"; rm -rf "$WORK"' EXIT
wrk_figures() { # connections, wrk arguments → "p99 requests/s"
    local connections=$1
    shift
    wrk -t"$(( connections < 2 ? 1 : 2 ))" -c"$connections" -d"${SECS}s" --latency "$@" | awk '$1 == "99%" {p99 = $2} $1 == "Requests/sec:" {rate = $2} END {print p99, rate}'
}

measure() { # engine → "seed_s search1_p99 search1_rate search8_p99 search8_rate list1_p99 list1_rate list8_p99 list8_rate rebuild_peak_kb rebuild_ms"
    local engine=$1 data="$WORK/$1"
    unset ATTACHE_DATABASE_URL
    if [ "$engine" = postgres ]; then
        psql -q "$PG_URL" -c "CREATE DATABASE search"
        export ATTACHE_DATABASE_URL=${PG_URL/\/postgres\?//search?}
    fi
    "$BIN" tenant create bench --data "$data" >/dev/null
    export BENCH_TOKEN; BENCH_TOKEN=$("$BIN" token create --tenant bench --data "$data" | tail -n 1)
    local start=$SECONDS record
    if [ "$engine" = postgres ]; then
        record=$(python3 bench/seed-search.py postgres "$ATTACHE_DATABASE_URL" bench "$DOCS")
        # What autovacuum does after a bulk load (statistics, the visibility map, hint bits), done before
        # the figures rather than during them.
        psql -q "$ATTACHE_DATABASE_URL" -c "VACUUM ANALYZE"
    else
        record=$(python3 bench/seed-search.py sqlite "$data" bench "$DOCS")
    fi
    local seeded=$((SECONDS - start))
    "$BIN" serve --data "$data" --port "$PORT" &
    SERVER=$!
    until curl -fs -m 2 "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; do sleep 0.05; done
    local hits
    hits=$(curl -fs -m 10 -H "Authorization: Bearer $BENCH_TOKEN" "http://127.0.0.1:$PORT/v1/search?q=boiler&limit=20" \
        | python3 -c 'import json, sys; items = json.load(sys.stdin)["items"]; print(len(items), sum(1 for i in items if any(p["match"] for p in i["snippet"])))')
    [ "$hits" = "20 20" ] || { echo "search for boiler gave (hits, with marked snippets) = $hits, not 20 20" >&2; exit 1; }
    local search1 search8 list1 list8
    # Two seconds of the same mix first, so the figures are of a server whose caches are warm.
    wrk -t1 -c1 -d2s -s bench/search.lua "http://127.0.0.1:$PORT" >/dev/null
    search1=$(wrk_figures 1 -s bench/search.lua "http://127.0.0.1:$PORT")
    search8=$(wrk_figures 8 -s bench/search.lua "http://127.0.0.1:$PORT")
    list1=$(wrk_figures 1 -H "Authorization: Bearer $BENCH_TOKEN" "http://127.0.0.1:$PORT/v1/records/$record/attachments?limit=20")
    list8=$(wrk_figures 8 -H "Authorization: Bearer $BENCH_TOKEN" "http://127.0.0.1:$PORT/v1/records/$record/attachments?limit=20")
    kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
    # Every content queued again, in batches of 500 (the jobs' content is not stored: only the queue is measured).
    local rebuild_start; rebuild_start=$(date +%s%N)
    local peak; peak=$( { /usr/bin/time -f '%M' "$BIN" index rebuild --data "$data" --queue-only >/dev/null; } 2>&1 | tail -n 1)
    local rebuilt=$(( ($(date +%s%N) - rebuild_start) / 1000000 ))
    echo "$seeded $search1 $search8 $list1 $list8 $peak $rebuilt"
}

# Derived work on one core, new content each: 100 PDFs of 3 pages of text (a text and a preview job
# each), or 100 JPEGs of 2000 × 1500 (a preview job each).
throughput() { # pdf|jpg → milliseconds for the 100 files' jobs
    local kind=$1 data="$WORK/derive-$1"
    "$BIN" tenant create derive --data "$data" >/dev/null
    local token; token=$("$BIN" token create --tenant derive --data "$data" | tail -n 1)
    "$BIN" serve --data "$data" --port "$PORT" --derive-workers 0 --log-level error &
    SERVER=$!
    until curl -fs -m 2 "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; do sleep 0.05; done
    local record; record=$(curl -fs -m 10 -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        -d '{"type":"property","title":"Throughput"}' "http://127.0.0.1:$PORT/v1/records" | python3 -c 'import json, sys; print(json.load(sys.stdin)["uuid"])')
    rm -rf "$WORK/files"
    mkdir -p "$WORK/files"
    if [ "$kind" = pdf ]; then python3 - "$WORK/files" <<'PY'
import os, random, sys
folder = sys.argv[1]
words = ["lease", "boiler", "inspection", "tenant", "deposit", "meter", "Jansen", "Keizersgracht"]
for n in range(100):
    pages = []
    for p in range(3):
        lines = " ".join(f"BT /F1 11 Tf 50 {750 - 14 * l} Td ({' '.join(random.choice(words) for _ in range(12))} {n}-{p}-{l}) Tj ET" for l in range(50))
        pages.append(lines)
    objects = ["<</Type/Catalog/Pages 2 0 R>>", "<</Type/Pages/Kids[" + " ".join(f"{4 + 2 * i} 0 R" for i in range(3)) + "]/Count 3>>",
               "<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"]
    for i, content in enumerate(pages):
        objects.append(f"<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents {5 + 2 * i} 0 R/Resources<</Font<</F1 3 0 R>>>>>>")
        objects.append(f"<</Length {len(content)}>>stream\n{content}\nendstream")
    body, offsets = b"%PDF-1.4\n", []
    for i, obj in enumerate(objects):
        offsets.append(len(body))
        body += f"{i + 1} 0 obj{obj}endobj\n".encode()
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode() + b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    body += f"trailer<</Size {len(objects) + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n".encode()
    open(f"{folder}/doc-{n}.pdf", "wb").write(body)
PY
    else
        for n in $(seq 0 99); do
            vips gaussnoise "$WORK/n.v" 2000 1500 && vips copy "$WORK/n.v" "$WORK/files/photo-$n.jpg"
        done
    fi
    for file in "$WORK"/files/*; do
        curl -fs -m 30 -o /dev/null -H "Authorization: Bearer $token" -F "file=@$file" "http://127.0.0.1:$PORT/v1/records/$record/attachments"
    done
    kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
    local start; start=$(date +%s%N)
    "$BIN" index rebuild --data "$data" --workers 1 >/dev/null
    local ms=$(( ($(date +%s%N) - start) / 1000000 ))
    local hit="-"
    if [ "$kind" = jpg ]; then
        # A preview made already, served again and again: the cache hit's p99 from one connection.
        "$BIN" serve --data "$data" --port "$PORT" --derive-workers 0 &
        SERVER=$!
        until curl -fs -m 2 "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; do sleep 0.05; done
        local attachment; attachment=$(curl -fs -m 10 -H "Authorization: Bearer $token" "http://127.0.0.1:$PORT/v1/records/$record/attachments?limit=1" \
            | python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["uuid"])')
        local thumbnail="http://127.0.0.1:$PORT/v1/attachments/$attachment/thumbnail?size=small"
        [ "$(curl -fs -m 10 -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$thumbnail")" = 200 ] || { echo "no preview served" >&2; exit 1; }
        hit=$(wrk_figures 1 -H "Authorization: Bearer $token" "$thumbnail" | cut -d' ' -f1)
        kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
    fi
    echo "$ms $hit"
}

read -r s_seed s1_p99 s1_rate s8_p99 s8_rate l1_p99 l1_rate l8_p99 l8_rate s_peak s_rebuild < <(measure sqlite)
read -r p_seed p1_p99 p1_rate p8_p99 p8_rate pl1_p99 pl1_rate pl8_p99 pl8_rate p_peak p_rebuild < <(measure postgres)
read -r pdf_ms _ < <(throughput pdf)
read -r jpg_ms thumbnail_p99 < <(throughput jpg)
echo "bench/search.sh $SECS $DOCS — $(date -u +%F), release build, default configuration, wrk (1 connection: one person; 8: a busy office) after 2 s of warm-up; PostgreSQL $(psql -Atc 'SHOW server_version' "$PG_URL" | cut -d' ' -f1) with shared_buffers=$(psql -Atc 'SHOW shared_buffers' "$PG_URL")"
printf '%-52s %16s %16s\n' "" "SQLite" "PostgreSQL"
printf '%-52s %16s %16s\n' "seed $DOCS documents (SQL, index by triggers)" "${s_seed} s" "${p_seed} s"
printf '%-52s %16s %16s\n' "search, 20 hits with snippets, 1 conn.: p99" "$s1_p99" "$p1_p99"
printf '%-52s %16s %16s\n' "  requests/s" "$s1_rate" "$p1_rate"
printf '%-52s %16s %16s\n' "search, 8 conn.: p99" "$s8_p99" "$p8_p99"
printf '%-52s %16s %16s\n' "  requests/s" "$s8_rate" "$p8_rate"
printf '%-52s %16s %16s\n' "reference, list 20 attachments, 1 conn.: p99" "$l1_p99" "$pl1_p99"
printf '%-52s %16s %16s\n' "  requests/s" "$l1_rate" "$pl1_rate"
printf '%-52s %16s %16s\n' "reference, 8 conn.: p99" "$l8_p99" "$pl8_p99"
printf '%-52s %16s %16s\n' "  requests/s" "$l8_rate" "$pl8_rate"
printf '%-52s %16s %16s\n' "index rebuild --queue-only: peak memory" "$((s_peak / 1024)) MB" "$((p_peak / 1024)) MB"
printf '%-52s %16s %16s\n' "index rebuild --queue-only: time" "${s_rebuild} ms" "${p_rebuild} ms"
echo "derived work on one core (index rebuild --workers 1, SQLite + disk):"
echo "  100 PDFs of 3 pages, text and previews: ${pdf_ms} ms = $((100000 / pdf_ms)).$(( (1000000 / pdf_ms) % 10 )) PDFs/s"
echo "  100 JPEGs of 2000×1500, previews:       ${jpg_ms} ms = $((100000 / jpg_ms)).$(( (1000000 / jpg_ms) % 10 )) images/s"
echo "a small preview served again (a cache hit), 1 conn.: p99 $thumbnail_p99"
