#!/usr/bin/env bash
# Two stateless `attache serve` nodes on one PostgreSQL database and one S3 bucket, with no shared
# configuration but the database URL and the bucket: a file uploaded through one node is listed,
# downloaded (with a range) and deleted through the other, and links signed by one open on the other —
# the signing key lives in the database — also across `attache keys rotate`.
# Needs ATTACHE_DATABASE_URL (an empty database) and ATTACHE_S3_ENDPOINT; scripts/test.sh sets both.
# Usage: scripts/scaleout-smoke.sh [path/to/attache]
set -uo pipefail
BIN=${1:-.build/debug/attache}
export ATTACHE_S3_BUCKET=${ATTACHE_S3_BUCKET:-scaleout-$RANDOM}
export ATTACHE_S3_ACCESS_KEY_ID=${ATTACHE_S3_ACCESS_KEY_ID:-test} ATTACHE_S3_SECRET_ACCESS_KEY=${ATTACHE_S3_SECRET_ACCESS_KEY:-test}
unset ATTACHE_SIGNING_KEY
export ATTACHE_SIGNING_KEY_RELOAD=1
source "$(dirname "$0")/serve-lib.sh"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
passed=0
failed=0
check() { if [ "$2" = "$3" ]; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL $1: expected '$2', got '$3'"; fi; }
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

A_DATA=$(mktemp -d) B_DATA=$(mktemp -d) FILES=$(mktemp -d)
A_PID= B_PID=
trap 'kill $A_PID $B_PID 2>/dev/null; wait 2>/dev/null; rm -rf "$A_DATA" "$B_DATA" "$FILES"' EXIT
# The metrics listener's port is chosen here (bind and close): only the API's listener reports its own.
M_PORT=$(free_port)
"$BIN" tenant create acme --data "$A_DATA" >/dev/null
TOKEN=$("$BIN" token create --tenant acme --data "$A_DATA" | tail -n 1)
serve_free "$A_DATA" --log-level error --metrics-address "127.0.0.1:$M_PORT"
A_PID=$SERVED_PID A_PORT=$SERVED_PORT
serve_free "$B_DATA" --log-level error --s3-redirect-downloads 300
B_PID=$SERVED_PID B_PORT=$SERVED_PORT
A="http://127.0.0.1:$A_PORT" B="http://127.0.0.1:$B_PORT"
(printf '%%PDF-1.7\n'; head -c 7000000 /dev/urandom) >"$FILES/plan.pdf"

RECORD=$(curl -s -X POST "$A/v1/records" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d '{"type":"property"}' | json "['uuid']")
UUID=$(curl -s -F file=@"$FILES/plan.pdf" -H "Authorization: Bearer $TOKEN" "$A/v1/records/$RECORD/attachments" | json "['uuid']")
check "node B lists node A's upload" "1" "$(curl -s -H "Authorization: Bearer $TOKEN" "$B/v1/records/$RECORD/attachments" | json "['items'].__len__()")"
check "node A serves the bytes itself" "200" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$A/v1/attachments/$UUID/download")"
# Node B redirects downloads to presigned S3 URLs: the bytes come from the bucket, named and typed as
# Attache would, ranges included.
check "node B redirects to object storage" "302" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$B/v1/attachments/$UUID/download")"
check "the redirect is presigned" "1" "$(curl -s -o /dev/null -w '%{redirect_url}' -H "Authorization: Bearer $TOKEN" "$B/v1/attachments/$UUID/download" | grep -c 'X-Amz-Signature=')"
check "node B serves the bytes (via the bucket)" "$(sha256sum <"$FILES/plan.pdf")" "$(curl -sL -H "Authorization: Bearer $TOKEN" "$B/v1/attachments/$UUID/download" | sha256sum)"
check "the redirect asks the bucket to name the file" "1" \
    "$(curl -s -o /dev/null -w '%{redirect_url}' -H "Authorization: Bearer $TOKEN" "$B/v1/attachments/$UUID/download" | grep -c 'response-content-disposition=attachment%3B%20filename%3D%22plan.pdf%22')"
check "node B serves a range" "$(head -c 100 "$FILES/plan.pdf" | tail -c 90 | sha256sum)" \
    "$(curl -sL -H 'Range: bytes=10-99' -H "Authorization: Bearer $TOKEN" "$B/v1/attachments/$UUID/stream" | sha256sum)"
check "HEAD is answered by the node" "200" "$(curl -s -o /dev/null -w '%{http_code}' -I -H "Authorization: Bearer $TOKEN" "$B/v1/attachments/$UUID/download")"
check "redirected downloads are audited" "5" "$("$BIN" audit --tenant acme --action file.download --data "$A_DATA" | grep -c 'redirected to object storage')"
SIGNED=$(curl -s -H "Authorization: Bearer $TOKEN" "$A/v1/attachments/$UUID" | json "['downloadUrl']" | sed "s#$A#$B#")
check "a link signed by node A opens on node B (which redirects to the bucket)" "200" "$(curl -sL -o /dev/null -w '%{http_code}' "$SIGNED")"
check "one signing key in the database" "1" "$("$BIN" keys list --data "$A_DATA" | grep -c signing)"
# A rotation is two-phase: the new key is stored at once and signs only from --activate-in seconds
# later; both nodes reload the keys every second (ATTACHE_SIGNING_KEY_RELOAD=1), so each holds the new
# key before either signs with it. From the rotation until two seconds after the new key takes over,
# every link either node signs opens on the other at the first try, with no retry: no node hands out
# a link the other cannot check yet. (A rotation at once failed this: a node that had reloaded less
# than a second before refused the other's new links until its next reload.)
"$BIN" keys rotate --activate-in 3 --data "$A_DATA" >/dev/null
check "rotation keeps the old key for its links" "2" "$("$BIN" keys list --data "$A_DATA" | wc -l | tr -d ' ')"
check "the new key waits for its time" "1" "$("$BIN" keys list --data "$A_DATA" | grep -c 'signs from')"
check "a link signed before the rotation still opens" "200" "$(curl -sL -o /dev/null -w '%{http_code}' "$SIGNED")"
TRIED=0 REFUSED=""
END=$((SECONDS + 6))
while [ "$SECONDS" -lt "$END" ]; do
    for PAIR in "$A $B" "$B $A"; do
        set -- $PAIR
        LINK=$(curl -s -H "Authorization: Bearer $TOKEN" "$1/v1/attachments/$UUID" | json "['downloadUrl']" | sed "s#$1#$2#")
        STATUS=$(curl -s -o /dev/null -w '%{http_code}' -r 0-0 "$LINK")
        TRIED=$((TRIED + 1))
        # Node B answers its own links with a redirect to the bucket, node A serves the range itself.
        case "$STATUS" in 206 | 302) ;; *) REFUSED="$REFUSED $STATUS" ;; esac
    done
done
check "across the rotation, every link one node signed opened on the other at the first try ($TRIED tried)" "" "$REFUSED"
check "the new key signs, the old one is retired" "retired signing" "$("$BIN" keys list --data "$A_DATA" | awk -F'\t' '{print $3}' | cut -d' ' -f1 | tr '\n' ' ' | sed 's/ $//')"
check "more than 50 links were tried across it" "1" "$([ "$TRIED" -gt 50 ] && echo 1)"
# A leaked key: rotated at once, the old keys deleted (--keep-retired-days 0). Their links stop opening on
# both nodes within a reload, and a link signed with the new key opens on the other node within 10 s (a
# node that has not reloaded yet reloads when such a link reaches it, at most once a second).
"$BIN" keys rotate --activate-in 0 --keep-retired-days 0 --data "$A_DATA" >/dev/null
check "only the new key is kept" "1" "$("$BIN" keys list --data "$A_DATA" | wc -l | tr -d ' ')"
for _ in $(seq 1 50); do
    OLD_LINK="$(curl -s -o /dev/null -w '%{http_code}' "$SIGNED") $(curl -s -o /dev/null -w '%{http_code}' "$(echo "$SIGNED" | sed "s#$B#$A#")")"
    [ "$OLD_LINK" = "403 403" ] && break
    sleep 0.1
done
check "the deleted key's link is refused on both nodes (within 5 s)" "403 403" "$OLD_LINK"
ROTATED=$(curl -s -H "Authorization: Bearer $TOKEN" "$A/v1/attachments/$UUID" | json "['downloadUrl']")
for _ in $(seq 1 100); do
    OPENED=$(curl -sL -o /dev/null -w '%{http_code}' "$(echo "$ROTATED" | sed "s#$A#$B#")")
    [ "$OPENED" = 200 ] && break
    sleep 0.1
done
check "a link signed by node A after the rotation opens on node B (within 10 s)" "200" "$OPENED"
check "a forged signature is refused" "403" "$(curl -s -o /dev/null -w '%{http_code}' "$(echo "$ROTATED" | sed "s#$A#$B#; s#signature=.*#signature=AAAA#")")"
# Share links live in the database: one made on node A is used, limited and revoked through node B.
SHARE=$(curl -s -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d '{"maxDownloads":2,"password":"open sesame"}' "$A/v1/records/$RECORD/shares")
SHARE_ID=$(echo "$SHARE" | json "['id']") SHARE_PATH=/s/$(echo "$SHARE" | json "['token']")
JAR=$FILES/cookies
check "node B asks for the share's password" "403" "$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept: application/json' "$B$SHARE_PATH")"
check "node B takes the password" "204" "$(curl -s -o /dev/null -w '%{http_code}' -c "$JAR" -H 'Content-Type: application/json' \
    -d '{"password":"open sesame"}' "$B$SHARE_PATH/unlock")"
# The cookie's ticket is signed with node B's key; node A holds it once it has reloaded since the
# rotation (every second here; a mismatch reloads too, unless a reload ran within the last second).
for _ in $(seq 1 30); do
    SHOWN=$(curl -s -b "$JAR" -H 'Accept: application/json' "$A$SHARE_PATH" | python3 -c "import json,sys; print(len(json.load(sys.stdin).get('files', [])))" 2>/dev/null)
    [ "$SHOWN" = 1 ] && break
    sleep 0.1
done
check "node A honours node B's unlock cookie (within 3 s)" "1" "$SHOWN"
check "a shared download through node B is served by the node (no redirect), whole" "$(sha256sum <"$FILES/plan.pdf")" \
    "$(curl -s -b "$JAR" "$B$SHARE_PATH/files/$UUID" | sha256sum)"
check "the second download through node A" "200" "$(curl -s -o /dev/null -w '%{http_code}' -b "$JAR" "$A$SHARE_PATH/files/$UUID")"
check "the limit of 2 holds on node B" "410" "$(curl -s -o /dev/null -w '%{http_code}' -b "$JAR" "$B$SHARE_PATH/files/$UUID")"
check "node B counted both nodes' downloads" "2" "$(curl -s -H "Authorization: Bearer $TOKEN" "$B/v1/shares/$SHARE_ID" | json "['downloads']")"
SECOND=/s/$(curl -s -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{}' "$A/v1/records/$RECORD/shares" | json "['token']")
check "a second share opens on node B" "200" "$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept: application/json' "$B$SECOND")"
SECOND_ID=$(curl -s -H "Authorization: Bearer $TOKEN" "$A/v1/shares?record=$RECORD" | json "['items'][0]['id']")
check "revoked through node A" "204" "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE -H "Authorization: Bearer $TOKEN" "$A/v1/shares/$SECOND_ID")"
check "gone on node B at the next request" "404" "$(curl -s -o /dev/null -w '%{http_code}' -H 'Accept: application/json' "$B$SECOND")"
# Password attempts are counted in the database: a client that spreads its guesses over the nodes gets ten in all.
GUARDED=/s/$(curl -s -X POST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '{"password":"the right one"}' \
    "$A/v1/records/$RECORD/shares" | json "['token']")
GUESSES=""
for _ in 1 2 3 4 5; do
    for NODE in "$A" "$B"; do
        GUESSES="$GUESSES $(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d '{"password":"a guess"}' "$NODE$GUARDED/unlock")"
    done
done
check "ten wrong passwords, five through each node" " 403 403 403 403 403 403 403 403 403 403" "$GUESSES"
check "the eleventh, through node A, is locked out" "429" \
    "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d '{"password":"a guess"}' "$A$GUARDED/unlock")"
check "node B holds the same lock-out, even for the right password" "429" \
    "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d '{"password":"the right one"}' "$B$GUARDED/unlock")"
check "delete through node B" "204" "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE -H "Authorization: Bearer $TOKEN" "$B/v1/attachments/$UUID")"
check "gone on node A" "404" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN" "$A/v1/attachments/$UUID")"
check "node A serves /metrics only on its metrics address" "404 200" \
    "$(curl -s -o /dev/null -w '%{http_code}' "$A/metrics") $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$M_PORT/metrics")"
check "node A's metrics count its requests" "1" "$(curl -s "http://127.0.0.1:$M_PORT/metrics" | grep -c '^attache_http_requests_total{face="native",route="/v1/records",method="POST",status="201"}')"
check "node B serves /metrics on the API's address" "200" "$(curl -s -o /dev/null -w '%{http_code}' "$B/metrics")"
check "verify on the shared stores" "0" "$("$BIN" verify --data "$A_DATA" >/dev/null; echo $?)"
echo "scale-out: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
