#!/usr/bin/env bash
# End-to-end check of the built `attache` binary, as a new user drives it from the README:
# tenant and tokens from the CLI, the server on a fresh data folder, the curl walkthrough,
# the CLI working while the server runs, `gc`, and `verify` catching a corrupted blob.
# Usage: scripts/cli-smoke.sh [path/to/attache]
set -uo pipefail

BIN=${1:-.build/debug/attache}
DATA=$(mktemp -d)
passed=0
failed=0
SERVER_PID=

cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    rm -rf "$DATA"
}
trap cleanup EXIT

check() { # check NAME EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL $1: expected '$2', got '$3'"
    fi
}

json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

"$BIN" tenant create acme --name "Acme Estates" --data "$DATA" >/dev/null
TODAY=$(date -u +%Y-%m-%d)
check "tenant list header" "SLUG  STORED   FILES  QUOTA                       SHARES  VERSIONS  CREATED               NAME" "$("$BIN" tenant list --data "$DATA" | head -n 1)"
check "tenant list row" "acme  0 bytes  0      unlimited, unlimited files  on      all kept  $TODAY" "$("$BIN" tenant list --data "$DATA" | tail -n 1 | cut -c1-78)"
check "tenant list name" "Acme Estates" "$("$BIN" tenant list --data "$DATA" | tail -n 1 | cut -c91-)"
check "tenant update" "tenant acme: quota 1 MB, 50 files; shares on; versions all kept" "$("$BIN" tenant update acme --max-bytes 1000000 --max-files 50 --data "$DATA")"
check "tenant update with a unit" "tenant acme: quota 200 MB, 50 files; shares on; versions all kept" "$("$BIN" tenant update acme --max-bytes 200MB --data "$DATA")"
check "tenant update, a bad size" "Error: --max-bytes takes a number of bytes, with a unit if you like (200MB, 2GiB), or 'none'." "$("$BIN" tenant update acme --max-bytes 12apples --data "$DATA" 2>&1 | head -n 1)"
check "tenant update, a bad size: the subcommand's usage" "Usage: attache tenant update [<options>] <slug>" "$("$BIN" tenant update acme --max-bytes 12apples --data "$DATA" 2>&1 | sed -n 2p)"
check "tenant update, a share policy" "tenant acme: quota 200 MB, 50 files; shares on, password required, at most 30d, default 7d; versions all kept" \
    "$("$BIN" tenant update acme --share-password required --share-max-age 30 --share-default-age 7d --data "$DATA")"
check "tenant update, a default longer than the maximum" "1" "$("$BIN" tenant update acme --share-max-age 1d --data "$DATA" >/dev/null 2>&1; echo $?)"
check "tenant update, a bad share age" "Error: --share-max-age takes a number of days (or with a unit: 12h, 30d), at most ten years, or 'none'." \
    "$("$BIN" tenant update acme --share-max-age soon --data "$DATA" 2>&1 | head -n 1)"
check "tenant update, shares off" "tenant acme: quota 200 MB, 50 files; shares off; versions all kept" "$("$BIN" tenant update acme --shares off --data "$DATA")"
check "tenant update, shares open again" "tenant acme: quota 200 MB, 50 files; shares on; versions all kept" \
    "$("$BIN" tenant update acme --shares on --share-password optional --share-max-age none --share-default-age none --data "$DATA")"
check "an error found while running names that command's usage" "Usage: attache audit [--data <data>]" "$("$BIN" audit --tenant acme --since yesterday --data "$DATA" 2>&1 | grep '^Usage:' | cut -c1-36)"
check "tenant update, one limit" "tenant acme: quota unlimited, 50 files; shares on; versions all kept" "$("$BIN" tenant update acme --max-bytes none --data "$DATA")"
check "tenant update, no limit" "tenant acme: quota unlimited, unlimited files; shares on; versions all kept" "$("$BIN" tenant update acme --max-files none --data "$DATA")"
check "tenant update, version retention" "tenant acme: quota unlimited, unlimited files; shares on; versions last 5, at most 365d" \
    "$("$BIN" tenant update acme --versions-keep 5 --versions-max-age 365 --data "$DATA")"
check "tenant update, no fewer than one version" "Error: --versions-keep takes a number of versions, 1 or more, or 'none'." \
    "$("$BIN" tenant update acme --versions-keep 0 --data "$DATA" 2>&1 | head -n 1)"
check "tenant update, every version kept again" "tenant acme: quota unlimited, unlimited files; shares on; versions all kept" \
    "$("$BIN" tenant update acme --versions-keep none --versions-max-age none --data "$DATA")"
check "retention preview, nothing due" "nothing is due" "$("$BIN" retention preview --tenant acme --data "$DATA")"
# Categories from the command line, as /v1/categories manages them (audited as cli).
check "category create" "category lease for tenant acme, retention 2555d after upload" \
    "$("$BIN" category create --tenant acme lease --description 'Rental agreements' --retention-days 2555 --data "$DATA")"
check "category create, expiresOn" "category id-document for tenant acme, retention 30d after expiresOn" \
    "$("$BIN" category create --tenant acme id-document --retention-days 30 --retention-from expiresOn --data "$DATA")"
check "category create, twice" "1" "$("$BIN" category create --tenant acme lease --data "$DATA" >/dev/null 2>&1; echo $?)"
check "category create, a bad name" "Error: invalid_input: name must be 1 to 64 lower-case letters, digits, '-' or '_', starting with a letter or digit." \
    "$("$BIN" category create --tenant acme Lease --data "$DATA" 2>&1 | head -n 1)"
check "category create, a start without days" "Error: --retention-from needs --retention-days." \
    "$("$BIN" category create --tenant acme deposit --retention-from expiresOn --data "$DATA" 2>&1 | head -n 1)"
check "category update, no rule" "category lease for tenant acme, retention none" "$("$BIN" category update --tenant acme lease --no-retention --data "$DATA")"
check "category update, both" "Error: --no-retention removes the rule; give no --retention-days with it." \
    "$("$BIN" category update --tenant acme lease --no-retention --retention-days 3 --data "$DATA" 2>&1 | head -n 1)"
check "category list" "NAME         RETENTION            DESCRIPTION|id-document  30d after expiresOn  -|lease        none                 Rental agreements" \
    "$("$BIN" category list --tenant acme --data "$DATA" | paste -sd'|')"
check "category delete" "category id-document deleted" "$("$BIN" category delete --tenant acme id-document --data "$DATA")"
check "category delete, none such" "1" "$("$BIN" category delete --tenant acme id-document --data "$DATA" >/dev/null 2>&1; echo $?)"
check "categories in the audit trail, by the cli" "category.create:cli category.create:cli category.update:cli category.delete:cli" \
    "$("$BIN" audit --tenant acme --data "$DATA" | python3 -c 'import json,sys; print(" ".join(e["action"] + ":" + e["actor"] for e in map(json.loads, sys.stdin) if e["action"].startswith("category.")))')"
WRITE=$("$BIN" token create --tenant acme --data "$DATA" | tail -n 1)
READ=$("$BIN" token create --tenant acme --scope read --data "$DATA" | tail -n 1)

# A data folder from before keys lived in the database has <data>/signing.key: the database adopts it,
# so links handed out before the upgrade keep opening.
python3 -c 'import sys; open(sys.argv[1], "wb").write(bytes(range(32)))' "$DATA/signing.key"
# The port from the environment (0: the server picks a free one and writes it to --port-file).
ATTACHE_PORT=0 "$BIN" serve --data "$DATA" --port-file "$DATA/port" >"$DATA/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do
    [ -s "$DATA/port" ] && curl -fs -m 2 "http://127.0.0.1:$(cat "$DATA/port")/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done
BASE="http://127.0.0.1:$(cat "$DATA/port" 2>/dev/null)"
check "readyz" "200" "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/readyz")"
VERSION=$("$BIN" --version)
check "--version prints a version" "1" "$(echo "$VERSION" | grep -cE '^[0-9]+\.[0-9]+\.[0-9]+')"
check "/healthz tells the same version" "$VERSION" "$(curl -s "$BASE/healthz" | json "['version']")"

RECORD=$(curl -s -X POST "$BASE/v1/records" -H "Authorization: Bearer $WRITE" \
    -H 'Content-Type: application/json' -d '{"type":"person","externalIdentifier":"crm-42","title":"Jan Jansen"}' | json "['uuid']")
printf '%%PDF-1.7\nsmoke test\n' >"$DATA/lease.pdf"
ATTACHMENT=$(curl -s -F file=@"$DATA/lease.pdf" -F description="Signed lease" \
    -H "Authorization: Bearer $WRITE" "$BASE/v1/records/$RECORD/attachments")
UUID=$(echo "$ATTACHMENT" | json "['uuid']")
check "upload description" "Signed lease" "$(echo "$ATTACHMENT" | json "['description']")"
check "list" "1" "$(curl -s -H "Authorization: Bearer $READ" "$BASE/v1/records/$RECORD/attachments" | json "['items'].__len__()")"
check "stream bytes" "$(sha256sum <"$DATA/lease.pdf")" "$(curl -s -H "Authorization: Bearer $READ" "$BASE/v1/attachments/$UUID/stream" | sha256sum)"
SIGNED=$(echo "$ATTACHMENT" | json "['downloadUrl']")
check "signed link without token" "200" "$(curl -s -o /dev/null -w '%{http_code}' "$SIGNED")"
OLD_LINK=$(python3 -c '
import base64, hashlib, hmac, sys, time
path, expires = sys.argv[1], int(time.time()) + 600
mac = hmac.new(bytes(range(32)), f"GET\n{path}\nacme\n{expires}".encode(), hashlib.sha256).digest()
signature = base64.urlsafe_b64encode(mac).decode().rstrip(chr(61))
print(f"{path}?tenant=acme&expires={expires}&signature={signature}")' "/v1/attachments/$UUID/download")
check "a link signed with the adopted signing.key opens" "200" "$(curl -s -o /dev/null -w '%{http_code}' "$BASE$OLD_LINK")"
check "keys list" "1" "$("$BIN" keys list --data "$DATA" | grep -c signing)"
check "read token cannot delete" "403" "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE -H "Authorization: Bearer $READ" "$BASE/v1/attachments/$UUID")"

# The CLI works on the same data folder while the server runs.
check "token list header" "ID  SCOPE  STATE  CREATED               EXPIRES  SIGNED IN AS  LABEL" "$("$BIN" token list --tenant acme --data "$DATA" | head -n 1)"
check "token list rows" "1   write  live   $TODAY" "$("$BIN" token list --tenant acme --data "$DATA" | sed -n 2p | cut -c1-28)"
# Vendor sign-ins are listed beside the tokens, and can be rotated and revoked.
OO_OLD=$("$BIN" token create --tenant acme --kind onlyoffice --user jan --data "$DATA" | tail -n 1)
check "token list shows sign-in credentials" "onlyoffice:jan      write  live" "$("$BIN" token list --tenant acme --data "$DATA" | grep '^onlyoffice:jan' | cut -c1-31)"
OO_NEW=$("$BIN" token rotate --tenant acme --credential onlyoffice:jan --data "$DATA" | tail -n 1)
check "rotate gives a new secret" "1" "$([ -n "$OO_NEW" ] && [ "$OO_NEW" != "$OO_OLD" ] && echo 1)"
check "the old secret signs in no more" "401" "$(curl -s -o /dev/null -w '%{http_code}' -d "userName=jan&password=$OO_OLD" "$BASE/api/2.0/authentication")"
check "the new one does" "201" "$(curl -s -o /dev/null -w '%{http_code}' -d "userName=jan&password=$OO_NEW" "$BASE/api/2.0/authentication")"
check "revoke a sign-in" "revoked onlyoffice:jan and the sessions it made; every server refuses them within its --token-cache-seconds (5 s by default)" "$("$BIN" token revoke --tenant acme --credential onlyoffice:jan --data "$DATA")"
check "a revoked sign-in is listed as such" "onlyoffice:jan      write  revoked" "$("$BIN" token list --tenant acme --data "$DATA" | grep '^onlyoffice:jan' | cut -c1-34)"
check "a revoked sign-in signs in no more" "401" "$(curl -s -o /dev/null -w '%{http_code}' -d "userName=jan&password=$OO_NEW" "$BASE/api/2.0/authentication")"
LATE=$("$BIN" token create --tenant acme --data "$DATA" | tail -n 1)
check "token made while serving" "200" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $LATE" "$BASE/v1/records")"
check "migrate while serving" "database is up to date" "$("$BIN" migrate --data "$DATA")"
check "verify clean" "0" "$("$BIN" verify --data "$DATA" >/dev/null; echo $?)"
if [ -n "${ATTACHE_TEST_CLAMD:-}" ]; then
    check "scan" "scanned 1 content(s), 0 infected" "$("$BIN" scan --clamd "$ATTACHE_TEST_CLAMD" --data "$DATA" | tail -n 1)"
else
    echo "SKIP scan: ATTACHE_TEST_CLAMD is not set (scripts/test.sh starts clamd and sets it)"
fi

check "delete" "204" "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE -H "Authorization: Bearer $WRITE" "$BASE/v1/attachments/$UUID")"

# The audit trail, from the CLI (JSON lines) and the API (admin tokens only).
ADMIN=$("$BIN" token create --tenant acme --scope admin --data "$DATA" | tail -n 1)
check "audit of the record" "record.create file.upload file.download file.download file.download attachment.delete file.delete" \
    "$("$BIN" audit --tenant acme --record "$RECORD" --data "$DATA" | python3 -c 'import json,sys; print(" ".join(json.loads(l)["action"] for l in sys.stdin))')"
check "audit --action --since" "3" "$("$BIN" audit --tenant acme --action file.download --since 1h --data "$DATA" | wc -l | tr -d ' ')"
check "audit actors" "token:2 link link" \
    "$("$BIN" audit --tenant acme --action file.download --data "$DATA" | python3 -c 'import json,sys; print(" ".join(json.loads(l)["actor"] for l in sys.stdin))')"
check "audit --since in the future" "0" "$("$BIN" audit --tenant acme --since 2999-01-01 --data "$DATA" | wc -l | tr -d ' ')"
check "audit rejects a bad --since" "64" "$("$BIN" audit --tenant acme --since yesterday --data "$DATA" >/dev/null 2>&1; echo $?)"
check "GET /v1/audit with the admin token" "7" "$(curl -s -H "Authorization: Bearer $ADMIN" "$BASE/v1/audit?record=$RECORD" | json "['items'].__len__()")"
check "GET /v1/audit with a write token" "403" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $WRITE" "$BASE/v1/audit")"
check "gc keeps young events" "0" "$("$BIN" gc --audit-retention-days 1 --data "$DATA" | grep -o '[0-9]* audit' | cut -d' ' -f1)"
check "deleted content stays for the grace period" "1" "$(find "$DATA/blobs" -type f | wc -l | tr -d ' ')"

# gc removes leftovers of crashed uploads, and deleted content once the grace period is over;
# verify reports corrupted content.
touch -d '2 hours ago' "$DATA/staging/crashed.part" 2>/dev/null || { : >"$DATA/staging/crashed.part"; touch -d '2 hours ago' "$DATA/staging/crashed.part"; }
check "gc" "removed 1 staged upload(s), 0 released blob(s), 0 blob(s) without a row, 0 audit event(s), 0 change event(s), 0 webhook delivery(ies), 0 version(s) and 0 attachment(s) past retention" "$("$BIN" gc --data "$DATA")"
check "gc --grace 0" "removed 0 staged upload(s), 1 released blob(s), 0 blob(s) without a row, 0 audit event(s), 0 change event(s), 0 webhook delivery(ies), 0 version(s) and 0 attachment(s) past retention" "$("$BIN" gc --grace 0 --data "$DATA")"
check "blob removed" "0" "$(find "$DATA/blobs" -type f | wc -l | tr -d ' ')"
DAMAGED=$(curl -s -F file=@"$DATA/lease.pdf" -H "Authorization: Bearer $WRITE" "$BASE/v1/records/$RECORD/attachments" | json "['uuid']")
BLOB=$(find "$DATA/blobs" -type f | head -n 1)
printf 'tampered' >>"$BLOB"
check "verify finds corruption" "1" "$("$BIN" verify --data "$DATA" >/dev/null; echo $?)"
check "verify names the tenant, file and record" "1" "$("$BIN" verify --data "$DATA" | grep -c "^PROBLEM tenant acme, content [0-9a-f]*: content hashes to [0-9a-f]*; file [0-9]* 'lease.pdf' (attachment $DAMAGED on record $RECORD)$")"
check "verify --quarantine" "checked 1 blob(s), 1 problem(s), 1 file(s) quarantined, 0 restored" "$("$BIN" verify --quarantine --data "$DATA" | tail -n 1)"
check "a quarantined file is not served" "423" "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $READ" "$BASE/v1/attachments/$DAMAGED/download")"

# Logs: standard error is not a terminal, so one JSON object per line; the access lines carry the
# request id, face, tenant, route pattern, status and duration, and never a token or a signature.
check "/metrics without a token is open" "200" "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/metrics")"
check "/metrics counts the uploads" "1" "$(curl -s "$BASE/metrics" | grep -c '^attache_http_requests_total{face="native",route="/v1/records/{uuid}/attachments",method="POST",status="201"} 2$')"
check "every log line is JSON" "ok" "$(python3 -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
events = [json.loads(line) for line in lines]
access = [e for e in events if e.get("route") == "/v1/records/{uuid}/attachments" and e.get("status") == 201]
keys = {"time", "level", "message", "request_id", "trace_id", "face", "tenant", "route", "status", "duration_ms", "method"}
print("ok" if lines and access and all(keys <= set(e) for e in access) else "missing fields: %r" % access[:1])' "$DATA/server.log")"
check "no secret in the log" "0" "$(grep -c -e "$WRITE" -e "$READ" -e "signature=" "$DATA/server.log")"

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
