#!/usr/bin/env bash
# The whole test suite of Attache, from a fresh machine: installs what the tests need (Debian:
# curl, chromium, chromium-driver, postgresql, clamav-daemon, python3-venv, poppler-utils, libvips-tools, tesseract-ocr; PyPI, in .build-venv/tools:
# openapi-spec-validator, jsonschema, selenium, moto, tuspy, schemathesis, …), starts a throwaway PostgreSQL, moto and clamd, builds, and runs the Swift tests (unit, storage
# contracts on every store, end-to-end over real HTTP on SQLite + disk and on PostgreSQL + S3), the vendor
# schema checks, the browser test, the CLI walkthroughs, a two-node scale-out check, and a short
# crash test (SIGKILL under concurrent uploads, downloads, deletes and gc) and a retention crash test
# (gc killed mid-run) on both storage set-ups,
# a 20 s soak of 64 clients, and schemathesis on the native API's OpenAPI document.
set -euo pipefail
cd "$(dirname "$0")/.."
# Everything runs with the shared notes folder beside the repository hidden: a clone alone must pass.
if [ -z "${ATTACHE_SHARED_HIDDEN:-}" ]; then
    exec env ATTACHE_SHARED_HIDDEN=1 scripts/without-shared.sh scripts/test.sh "$@"
fi

# Swift Testing starts every test of a run at once unless told otherwise. On two cores that made each
# test's time the whole suite's: the 235 end-to-end tests on PostgreSQL + S3 all ran into their
# 3-minute limits together (2026-12-07, 249 issues), while any one of them takes 2-3 s. At most four
# tests per core run at once (the whole suite's time is the same or less: 146 s against 157 s), so a
# test's time limit is its own. Swift Testing 6.3 reads this variable; another version ignores it.
export SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=${SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH:-$((4 * $(nproc)))}

# Every step runs under a time limit: a hang fails that step, named, instead of CI's whole run. Each
# step's duration is printed at the end, pass or fail.
SUITE_STARTED=$SECONDS
DURATIONS=()
print_durations() {
    echo "== Step durations (total $((SECONDS - SUITE_STARTED)) s)"
    for line in "${DURATIONS[@]}"; do echo "$line"; done
}
step() { # step "TITLE" LIMIT_SECONDS COMMAND [ARGUMENTS...]
    local title=$1 limit=$2 started=$SECONDS code=0
    shift 2
    echo "== $title"
    timeout --kill-after=15 "$limit" "$@" || code=$?
    DURATIONS+=("$(printf '%5d s' $((SECONDS - started)))  $title")
    if [ "$code" -ne 0 ]; then
        if [ "$code" -eq 124 ] || [ "$code" -eq 137 ]; then
            echo "step '$title' ran out of its time limit of $limit s"
        fi
        echo "step '$title' failed (exit status $code)"
        print_durations
        exit 1
    fi
}

need_apt=()
command -v curl >/dev/null || need_apt+=(curl)
command -v python3 >/dev/null || need_apt+=(python3 python3-pip)
command -v chromium >/dev/null || need_apt+=(chromium)
command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
command -v clamd >/dev/null || need_apt+=(clamav-daemon)
# Archives are checked by other ZIP readers than Python's: Info-ZIP's unzip and 7-Zip.
command -v unzip >/dev/null || need_apt+=(unzip)
command -v 7zz >/dev/null || need_apt+=(7zip)
# Derived work reads PDFs' text with poppler's pdftotext, draws a PDF's first page with its pdftoppm,
# and preview images with libvips' vipsthumbnail (the tests draw their sample images with vips).
command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null || need_apt+=(poppler-utils)
command -v vipsthumbnail >/dev/null && command -v vips >/dev/null || need_apt+=(libvips-tools)
# OCR of scans (--ocr) with Tesseract and its English data.
command -v tesseract >/dev/null || need_apt+=(tesseract-ocr)
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
    timeout 1800 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 1800 apt-get install -y -qq "${need_apt[@]}"
fi
# The Python test tools live in a virtual environment of the suite's own (a system Python may refuse
# `pip install`, or carry other versions); every import the scripts make is named here, and the
# environment's bin/ comes first on PATH, so `python3`, `moto_server` and `st` are its own.
TOOLS=.build-venv/tools
PYTHON_TOOLS=(openapi-spec-validator jsonschema selenium 'moto[server]' flask-cors requests boto3 tuspy pyyaml 'schemathesis==4.32.5'
    'openapi-python-client==0.29.1' 'standardwebhooks==1.3.0')
if ! "$TOOLS/bin/python" -c 'import openapi_spec_validator, jsonschema, selenium, flask_cors, moto, requests, boto3, tusclient, yaml, schemathesis, openapi_python_client, standardwebhooks' 2>/dev/null; then
    # Twice at most: once, on a machine busy with two builds, `python3 -m venv`'s ensurepip failed.
    for attempt in 1 2; do
        rm -rf "$TOOLS"
        if timeout 300 python3 -m venv "$TOOLS" &&
            timeout 1200 "$TOOLS/bin/python" -m pip install --quiet --disable-pip-version-check "${PYTHON_TOOLS[@]}"; then
            break
        fi
        [ "$attempt" -eq 2 ] && { echo "the Python tools' virtual environment could not be made"; exit 1; }
    done
fi
export PATH="$PWD/$TOOLS/bin:$PATH"
# Every curl in the scripts has a time limit (curl reads $CURL_HOME/.curlrc).
CURL_HOME=$(mktemp -d)
echo 'max-time = 300' >"$CURL_HOME/.curlrc"
export CURL_HOME

echo "== PostgreSQL and an S3-compatible server (moto) for the storage contract suites, clamd for scanning"
read -r ATTACHE_TEST_POSTGRES_URL POSTGRES_DIR < <(timeout 300 scripts/postgres.sh start)
read -r ATTACHE_TEST_CLAMD CLAMD_DIR < <(timeout 300 scripts/clamd.sh start)
MOTO_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
moto_server -H 127.0.0.1 -p "$MOTO_PORT" >/dev/null 2>&1 &
MOTO_PID=$!
trap 'kill $MOTO_PID 2>/dev/null; scripts/postgres.sh stop "$POSTGRES_DIR"; scripts/clamd.sh stop "$CLAMD_DIR"' EXIT
export ATTACHE_TEST_POSTGRES_URL ATTACHE_TEST_CLAMD ATTACHE_TEST_S3_ENDPOINT="http://127.0.0.1:$MOTO_PORT"
for _ in $(seq 1 100); do curl -s -m 2 -o /dev/null "$ATTACHE_TEST_S3_ENDPOINT" && break; sleep 0.1; done
echo "$ATTACHE_TEST_POSTGRES_URL, $ATTACHE_TEST_S3_ENDPOINT, $ATTACHE_TEST_CLAMD"
DURATIONS+=("$(printf '%5d s' $((SECONDS - SUITE_STARTED)))  installs (Debian, PyPI), PostgreSQL, moto and clamd")
BIN=.build/debug/attache
# A database of its own for a step on PostgreSQL: prints its URL.
database() {
    timeout 60 psql -q "$ATTACHE_TEST_POSTGRES_URL" -c "CREATE DATABASE $1" >&2
    echo "$ATTACHE_TEST_POSTGRES_URL" | sed "s#/postgres?#/$1?#"
}

step "OpenAPI document" 120 python3 -c 'import json, openapi_spec_validator as v; v.validate(json.load(open("Sources/AttacheApplication/Resources/openapi.json"))); print("openapi.json is a valid OpenAPI 3.1 document")'

# A cold build of every target and test on two cores takes its time; a warm one seconds.
step "Build (debug, with tests)" 2400 swift build --build-tests

# A passing run logs no error: a client going away or a test server stopping is not one.
SWIFT_LOG=$(mktemp)
step "Swift tests" 1200 env ATTACHE_TEST_ZIP_TOOLS=required ATTACHE_TEST_EXPECT_STORES="postgres,s3" ATTACHE_TEST_EXPECT_BACKENDS="sqlite+disk" bash -c 'swift test --skip-build 2>&1 | tee "$0"; status=${PIPESTATUS[0]}
    if grep -E "^[0-9-]+T[0-9:+-]+ (error|critical) " "$0"; then echo "the passing suite logged the errors above"; exit 1; fi
    exit "$status"' "$SWIFT_LOG"
rm -f "$SWIFT_LOG"

step "The end-to-end HTTP suite again, on PostgreSQL metadata and S3 blobs (moto)" 900 \
    env ATTACHE_TEST_HTTP_POSTGRES_URL="$ATTACHE_TEST_POSTGRES_URL" ATTACHE_TEST_HTTP_S3_ENDPOINT="$ATTACHE_TEST_S3_ENDPOINT" \
    ATTACHE_TEST_EXPECT_BACKENDS="postgres+s3" swift test --skip-build --filter "AttacheHTTPTests|AttacheBloxsTests|AttacheOnlyOfficeTests|AttachePropertyDeckTests|AttacheHighLevelTests"

step "The end-to-end HTTP suite on the in-memory metadata fake (the service's rules without a database)" 600 \
    env ATTACHE_TEST_HTTP_METADATA=memory ATTACHE_TEST_EXPECT_BACKENDS="memory+disk" \
    swift test --skip-build --filter "AttacheHTTPTests|AttacheBloxsTests|AttacheOnlyOfficeTests|AttachePropertyDeckTests|AttacheHighLevelTests"

step "The native API fuzzed from its own OpenAPI document (schemathesis, every check)" 900 scripts/fuzz-openapi.sh $BIN 30

step "A Python client generated from /openapi.json (openapi-python-client) runs the main flow" 300 scripts/generated-client-test.py $BIN

step "A Swift client generated from the same document (swift-openapi-generator, Examples/SwiftClient) runs it too" 1500 \
    scripts/swift-client-test.sh $BIN

step "Operations files (dashboard, alerts) use only metrics the server records" 120 scripts/check-operations-docs.py

step "Vendor responses against the vendors' official schemas" 300 scripts/vendor-schemas.py $BIN

step "Vendor SDKs from PyPI, unchanged (pyonlyoffice 0.0.4 in its own virtual environment)" 600 scripts/vendor-clients.sh $BIN

step "The web page in headless Chromium (screenshots in test-output/)" 900 scripts/browser-test.py $BIN

step "CLI walkthrough (SQLite)" 300 scripts/cli-smoke.sh $BIN

step "The README's walkthrough, every command as printed" 300 scripts/readme-walkthrough.sh $BIN
step "The README's options table, as generated from serve --help" 120 scripts/config-reference.py $BIN --check

step "CLI walkthrough (PostgreSQL metadata)" 300 env ATTACHE_DATABASE_URL="$(database walkthrough)" scripts/cli-smoke.sh $BIN

step "Two stateless nodes on PostgreSQL and S3" 600 \
    env ATTACHE_DATABASE_URL="$(database scaleout)" ATTACHE_S3_ENDPOINT="$ATTACHE_TEST_S3_ENDPOINT" scripts/scaleout-smoke.sh $BIN

step "Moving blobs from the disk to S3 while serving, resuming, switching over" 600 \
    env ATTACHE_S3_ENDPOINT="$ATTACHE_TEST_S3_ENDPOINT" scripts/blobs-migrate-test.sh $BIN

step "Spans exported over OTLP/HTTP (protobuf and JSON) to a receiver started by the test" 600 scripts/tracing-test.py $BIN

step "Resumable uploads with tuspy: 200 MB, a connection cut and a server killed mid-PATCH (SQLite + disk)" 900 \
    scripts/tus-test.py $BIN --megabytes 200

step "Resumable uploads with tuspy on PostgreSQL + S3, and from node A to node B" 900 \
    env ATTACHE_DATABASE_URL="$(database resumable)" ATTACHE_S3_ENDPOINT="$ATTACHE_TEST_S3_ENDPOINT" scripts/tus-test.py $BIN --megabytes 200

step "The web page's resumable upload across two nodes on PostgreSQL + S3 (node A dies while the browser is offline)" 900 \
    env ATTACHE_DATABASE_URL="$(database browsernodes)" ATTACHE_S3_ENDPOINT="$ATTACHE_TEST_S3_ENDPOINT" scripts/browser-test.py $BIN

step "serve keeps running with every option that replaces a background task, and says why it stops" 600 scripts/serve-test.py $BIN

step "Graceful drain on SIGTERM: readiness, uploads and downloads in flight, the time limit, a second signal" 600 scripts/drain-test.py $BIN

step "Webhooks checked by standardwebhooks: retries, rotation, tenants, kill -9 mid-delivery (SQLite + disk)" 600 scripts/webhook-test.py $BIN

step "Webhooks (PostgreSQL + S3)" 600 \
    env ATTACHE_DATABASE_URL="$(database webhooks)" ATTACHE_S3_ENDPOINT="$ATTACHE_TEST_S3_ENDPOINT" scripts/webhook-test.py $BIN

step "Retention: gc killed with SIGKILL mid-run, each due attachment deleted once, the rest whole (SQLite + disk)" 300 \
    scripts/retention-crash-test.py $BIN

step "Retention crash (PostgreSQL + S3)" 300 \
    env ATTACHE_DATABASE_URL="$(database retention)" ATTACHE_S3_ENDPOINT="$ATTACHE_TEST_S3_ENDPOINT" scripts/retention-crash-test.py $BIN

step "Crash test: SIGKILL under concurrent uploads, downloads, deletes and gc (SQLite + disk)" 900 \
    scripts/crash-test.py $BIN --rounds 8 --clients 6

step "Crash test (PostgreSQL + S3)" 900 \
    env ATTACHE_DATABASE_URL="$(database crash)" ATTACHE_S3_ENDPOINT="$ATTACHE_TEST_S3_ENDPOINT" scripts/crash-test.py $BIN --rounds 8 --clients 6

step "Soak: 64 clients in 4 tenants for 20 s (uploads, downloads, ranges, signed links, deletes, cross-tenant probes)" 600 \
    scripts/soak.py $BIN --seconds 20 --clients 64

print_durations
