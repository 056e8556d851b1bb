#!/usr/bin/env bash
# The whole test suite of Attache, from a fresh machine: installs what the tests need, builds,
# runs the Swift tests (unit, storage contract, end-to-end over real HTTP) and the CLI walkthrough.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v curl >/dev/null || need_apt+=(curl)
command -v python3 >/dev/null || need_apt+=(python3 python3-pip)
command -v chromium >/dev/null || need_apt+=(chromium)
command -v chromedriver >/dev/null || need_apt+=(chromium-driver)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql)
if [ ${#need_apt[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
fi
python3 -c 'import openapi_spec_validator, jsonschema, selenium' 2>/dev/null ||
    python3 -m pip install --quiet --root-user-action=ignore openapi-spec-validator jsonschema selenium

echo "== PostgreSQL for the storage contract suite (a throwaway server)"
read -r ATTACHE_TEST_POSTGRES_URL POSTGRES_DIR < <(scripts/postgres.sh start)
export ATTACHE_TEST_POSTGRES_URL
trap 'scripts/postgres.sh stop "$POSTGRES_DIR"' EXIT
echo "$ATTACHE_TEST_POSTGRES_URL"

echo "== OpenAPI document"
python3 -c 'import json, openapi_spec_validator as v; v.validate(json.load(open("Sources/AttacheHTTP/Resources/openapi.json"))); print("openapi.json is a valid OpenAPI 3.1 document")'

echo "== Swift tests"
swift build --build-tests
swift test --skip-build

echo "== The end-to-end HTTP suite again, on PostgreSQL metadata"
ATTACHE_TEST_HTTP_POSTGRES_URL="$ATTACHE_TEST_POSTGRES_URL" swift test --skip-build --filter AttacheHTTPTests

echo "== Vendor responses against the vendors' official schemas"
scripts/vendor-schemas.py .build/debug/attache

echo "== The web page in headless Chromium (screenshots in test-output/)"
scripts/browser-test.py .build/debug/attache

echo "== CLI walkthrough (SQLite)"
scripts/cli-smoke.sh .build/debug/attache

echo "== CLI walkthrough (PostgreSQL metadata)"
psql -q "$ATTACHE_TEST_POSTGRES_URL" -c "CREATE DATABASE walkthrough"
ATTACHE_DATABASE_URL=$(echo "$ATTACHE_TEST_POSTGRES_URL" | sed 's#/postgres?#/walkthrough?#') scripts/cli-smoke.sh .build/debug/attache
