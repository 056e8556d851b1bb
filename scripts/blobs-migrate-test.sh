#!/usr/bin/env bash
# `attache blobs migrate` from the local disk to an S3 bucket while the server runs, then the switch-over:
# a second run copies only what was uploaded meanwhile, the server restarted on the bucket serves every
# file, `verify` is clean there, and a run interrupted by SIGKILL resumes.
# Needs ATTACHE_S3_ENDPOINT (scripts/test.sh starts moto).
# Usage: scripts/blobs-migrate-test.sh [path/to/attache]
set -uo pipefail
BIN=${1:-.build/debug/attache}
: "${ATTACHE_S3_ENDPOINT:?set ATTACHE_S3_ENDPOINT}"
export ATTACHE_S3_ACCESS_KEY_ID=${ATTACHE_S3_ACCESS_KEY_ID:-test} ATTACHE_S3_SECRET_ACCESS_KEY=${ATTACHE_S3_SECRET_ACCESS_KEY:-test}
ENDPOINT=$ATTACHE_S3_ENDPOINT
unset ATTACHE_S3_ENDPOINT
BUCKET=migrate-$RANDOM$RANDOM
DATA=$(mktemp -d) FILES=$(mktemp -d)
source "$(dirname "$0")/serve-lib.sh"
passed=0 failed=0 SERVER=
check() { if [ "$2" = "$3" ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $1: expected '$2', got '$3'"; fi; }
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
serve() { serve_free "$DATA" --log-level error --drain-delay 0 "$@"; SERVER=$SERVED_PID BASE="http://127.0.0.1:$SERVED_PORT"; }
stop() { kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null; SERVER=; }
trap 'stop; rm -rf "$DATA" "$FILES"' EXIT

"$BIN" tenant create acme --data "$DATA" >/dev/null
TOKEN=$("$BIN" token create --tenant acme --data "$DATA" | tail -n 1)
serve
RECORD=$(curl -s -X POST "$BASE/v1/records" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"type":"property"}' | json "['uuid']")
upload() { curl -s -F file=@"$1" -H "Authorization: Bearer $TOKEN" "$BASE/v1/records/$RECORD/attachments" | json "['uuid']"; }
for i in 1 2 3; do (printf '%%PDF-1.7\n'; head -c $((i * 3000000)) /dev/urandom) >"$FILES/plan-$i.pdf"; upload "$FILES/plan-$i.pdf" >/dev/null; done
to_s3=(--to-s3-endpoint "$ENDPOINT" --to-s3-bucket "$BUCKET")

# Interrupted at a known point: SIGKILL as soon as the first blob is copied, while the others are not;
# the next run finds that one at the destination and copies the rest.
"$BIN" blobs migrate --data "$DATA" "${to_s3[@]}" --progress-every 1 >"$FILES/migrate.out" 2>&1 & MIGRATE=$!
for _ in $(seq 1 3000); do grep -q '^1 blob(s) done' "$FILES/migrate.out" && break; kill -0 "$MIGRATE" 2>/dev/null || break; sleep 0.01; done
kill -9 "$MIGRATE" 2>/dev/null; wait "$MIGRATE" 2>/dev/null
check "the first run was killed after copying its first blob" "1" "$(grep -c 'blob(s) done' "$FILES/migrate.out")"
FIRST=$("$BIN" blobs migrate --data "$DATA" "${to_s3[@]}" | tail -n 1)
read -r COPIED PRESENT < <(echo "$FIRST" | sed -nE 's/.*verified ([0-9]+) .*; ([0-9]+) already.*/\1 \2/p')
check "the resumed run copies what the killed one had not" "true" "$([ "${COPIED:-0}" -ge 1 ] && [ "${COPIED:-0}" -le 2 ] && echo true || echo "false: $FIRST")"
check "the resumed run ends with every blob at the destination" "3" "$((${COPIED:-0} + ${PRESENT:-0}))"

# Uploads go on while the first pass runs; a second pass copies only them.
printf '%%PDF-1.7\nlate\n' >"$FILES/late.pdf"
upload "$FILES/plan-1.pdf" >/dev/null  # the same content again: no new blob
upload "$FILES/late.pdf" >/dev/null
SECOND=$("$BIN" blobs migrate --data "$DATA" "${to_s3[@]}" | tail -n 1)
check "the second pass copies only the new content" "copied and verified 1 blob(s) ($(wc -c <"$FILES/late.pdf" | tr -d ' ') bytes); 3 already at the destination" "$SECOND"

# Switch-over: the server restarted on the bucket (same metadata) serves every file.
stop
serve --s3-endpoint "$ENDPOINT" --s3-bucket "$BUCKET"
SUMS=$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/v1/records/$RECORD/attachments?limit=50" | json "['items']" | python3 -c '
import ast, sys
for item in ast.literal_eval(sys.stdin.read()): print(item["uuid"], item["sha256"])')
ok=0 total=0
while read -r uuid sha; do
    total=$((total + 1))
    [ "$(curl -s -H "Authorization: Bearer $TOKEN" "$BASE/v1/attachments/$uuid/download" | openssl dgst -sha256 | awk '{print $NF}')" = "$sha" ] && ok=$((ok + 1))
done <<<"$SUMS"
check "every file downloads whole from the bucket" "5 of 5" "$ok of $total"
check "verify is clean on the bucket" "0" "$("$BIN" verify --data "$DATA" --s3-endpoint "$ENDPOINT" --s3-bucket "$BUCKET" >/dev/null; echo $?)"
echo "blobs migrate: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
