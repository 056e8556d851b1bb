#!/usr/bin/env bash
# The whole test suite of Attache, from a fresh machine: installs what the tests need (Debian:
# curl, chromium, chromium-driver, postgresql, clamav-daemon; PyPI: openapi-spec-validator, jsonschema,
# selenium, moto, tuspy), starts a throwaway PostgreSQL, moto and clamd, builds, and runs the Swift tests (unit, storage
# contracts on every store, end-to-end over real HTTP on SQLite + disk and on PostgreSQL + S3), the vendor
# schema checks, the browser test, the CLI walkthroughs, a two-node scale-out check, and a short
# crash test (SIGKILL under concurrent uploads, downloads, deletes and gc) on both storage set-ups,
# a 20 s soak of 64 clients, and schemathesis on the native API's OpenAPI document.
set -euo pipefail
cd "$(dirname "$0")/.."
# Everything runs with the shared notes folder beside the repository hidden: a clone alone must pass.
if [ -z "${ATTACHE_SHARED_HIDDEN:-}" ]; then
    exec env ATTACHE_SHARED_HIDDEN=1 scripts/without-shared.sh scripts/test.sh "$@"
fi

need_apt=()
command -v curl >/dev/null || need_apt+=(curl)
command -v python3 >/dev/null || need_apt+=(python3 python3-pip)
command -v chromium >/dev/null || need_apt+=(chromium)
command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
command -v clamd >/dev/null || need_apt+=(clamav-daemon)
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
fi
python3 -c 'import openapi_spec_validator, jsonschema, selenium, flask_cors, moto, requests, boto3, tusclient' 2>/dev/null && command -v moto_server >/dev/null ||
    python3 -m pip install --quiet --root-user-action=ignore openapi-spec-validator jsonschema selenium 'moto[server]' requests boto3 tuspy

echo "== PostgreSQL and an S3-compatible server (moto) for the storage contract suites, clamd for scanning"
read -r ATTACHE_TEST_POSTGRES_URL POSTGRES_DIR < <(scripts/postgres.sh start)
read -r ATTACHE_TEST_CLAMD CLAMD_DIR < <(scripts/clamd.sh start)
MOTO_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
moto_server -H 127.0.0.1 -p "$MOTO_PORT" >/dev/null 2>&1 &
MOTO_PID=$!
trap 'kill $MOTO_PID 2>/dev/null; scripts/postgres.sh stop "$POSTGRES_DIR"; scripts/clamd.sh stop "$CLAMD_DIR"' EXIT
export ATTACHE_TEST_POSTGRES_URL ATTACHE_TEST_CLAMD ATTACHE_TEST_S3_ENDPOINT="http://127.0.0.1:$MOTO_PORT"
for _ in $(seq 1 100); do curl -s -o /dev/null "$ATTACHE_TEST_S3_ENDPOINT" && break; sleep 0.1; done
echo "$ATTACHE_TEST_POSTGRES_URL, $ATTACHE_TEST_S3_ENDPOINT, $ATTACHE_TEST_CLAMD"

echo "== OpenAPI document"
python3 -c 'import json, openapi_spec_validator as v; v.validate(json.load(open("Sources/AttacheApplication/Resources/openapi.json"))); print("openapi.json is a valid OpenAPI 3.1 document")'

echo "== Swift tests"
swift build --build-tests
SWIFT_LOG=$(mktemp)
swift test --skip-build 2>&1 | tee "$SWIFT_LOG"
# A passing run logs no error: a client going away or a test server stopping is not one.
if grep -E '^[0-9-]+T[0-9:+-]+ (error|critical) ' "$SWIFT_LOG"; then
    echo "the passing suite logged the errors above"
    exit 1
fi
rm -f "$SWIFT_LOG"

echo "== The end-to-end HTTP suite again, on PostgreSQL metadata and S3 blobs (moto)"
ATTACHE_TEST_HTTP_POSTGRES_URL="$ATTACHE_TEST_POSTGRES_URL" ATTACHE_TEST_HTTP_S3_ENDPOINT="$ATTACHE_TEST_S3_ENDPOINT" \
    swift test --skip-build --filter AttacheHTTPTests

echo "== The native API fuzzed from its own OpenAPI document (schemathesis, every check)"
scripts/fuzz-openapi.sh .build/debug/attache 30

echo "== Operations files (dashboard, alerts) use only metrics the server records"
scripts/check-operations-docs.py

echo "== Vendor responses against the vendors' official schemas"
scripts/vendor-schemas.py .build/debug/attache

echo "== Vendor SDKs from PyPI, unchanged (pyonlyoffice 0.0.4 in its own virtual environment)"
scripts/vendor-clients.sh .build/debug/attache

echo "== The web page in headless Chromium (screenshots in test-output/)"
scripts/browser-test.py .build/debug/attache

echo "== CLI walkthrough (SQLite)"
scripts/cli-smoke.sh .build/debug/attache

echo "== The README's walkthrough, every command as printed, and its options table as generated from serve --help"
scripts/readme-walkthrough.sh .build/debug/attache
scripts/config-reference.py .build/debug/attache --check

echo "== CLI walkthrough (PostgreSQL metadata)"
psql -q "$ATTACHE_TEST_POSTGRES_URL" -c "CREATE DATABASE walkthrough"
ATTACHE_DATABASE_URL=$(echo "$ATTACHE_TEST_POSTGRES_URL" | sed 's#/postgres?#/walkthrough?#') scripts/cli-smoke.sh .build/debug/attache

echo "== Two stateless nodes on PostgreSQL and S3"
psql -q "$ATTACHE_TEST_POSTGRES_URL" -c "CREATE DATABASE scaleout"
ATTACHE_DATABASE_URL=$(echo "$ATTACHE_TEST_POSTGRES_URL" | sed 's#/postgres?#/scaleout?#') ATTACHE_S3_ENDPOINT="$ATTACHE_TEST_S3_ENDPOINT" \
    scripts/scaleout-smoke.sh .build/debug/attache

echo "== Moving blobs from the disk to S3 while serving, resuming, switching over"
ATTACHE_S3_ENDPOINT="$ATTACHE_TEST_S3_ENDPOINT" scripts/blobs-migrate-test.sh .build/debug/attache

echo "== Spans exported over OTLP/HTTP (protobuf and JSON) to a receiver started by the test"
scripts/tracing-test.py .build/debug/attache

echo "== Resumable uploads with tuspy: 200 MB, a connection cut and a server killed mid-PATCH (SQLite + disk)"
scripts/tus-test.py .build/debug/attache --megabytes 200

echo "== Resumable uploads with tuspy on PostgreSQL + S3, and from node A to node B"
psql -q "$ATTACHE_TEST_POSTGRES_URL" -c "CREATE DATABASE resumable"
ATTACHE_DATABASE_URL=$(echo "$ATTACHE_TEST_POSTGRES_URL" | sed 's#/postgres?#/resumable?#') ATTACHE_S3_ENDPOINT="$ATTACHE_TEST_S3_ENDPOINT" \
    scripts/tus-test.py .build/debug/attache --megabytes 200

echo "== The web page's resumable upload across two nodes on PostgreSQL + S3 (node A dies while the browser is offline)"
psql -q "$ATTACHE_TEST_POSTGRES_URL" -c "CREATE DATABASE browsernodes"
ATTACHE_DATABASE_URL=$(echo "$ATTACHE_TEST_POSTGRES_URL" | sed 's#/postgres?#/browsernodes?#') ATTACHE_S3_ENDPOINT="$ATTACHE_TEST_S3_ENDPOINT" \
    scripts/browser-test.py .build/debug/attache

echo "== serve keeps running with every option that replaces a background task, and says why it stops"
scripts/serve-test.py .build/debug/attache

echo "== Graceful drain on SIGTERM: readiness, uploads and downloads in flight, the time limit, a second signal"
scripts/drain-test.py .build/debug/attache

echo "== Crash test: SIGKILL under concurrent uploads, downloads, deletes and gc (SQLite + disk)"
scripts/crash-test.py .build/debug/attache --rounds 8 --clients 6

echo "== Crash test (PostgreSQL + S3)"
psql -q "$ATTACHE_TEST_POSTGRES_URL" -c "CREATE DATABASE crash"
ATTACHE_DATABASE_URL=$(echo "$ATTACHE_TEST_POSTGRES_URL" | sed 's#/postgres?#/crash?#') ATTACHE_S3_ENDPOINT="$ATTACHE_TEST_S3_ENDPOINT" \
    scripts/crash-test.py .build/debug/attache --rounds 8 --clients 6

echo "== Soak: 64 clients in 4 tenants for 20 s (uploads, downloads, ranges, signed links, deletes, cross-tenant probes)"
scripts/soak.py .build/debug/attache --seconds 20 --clients 64
