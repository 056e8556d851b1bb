#!/usr/bin/env bash
# Fuzzes the native API from its own OpenAPI document with schemathesis (pinned version, fixed seed,
# bounded examples, every check): passes only with no failure.
# Usage: scripts/fuzz-openapi.sh [path/to/attache] [examples per operation]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build/debug/attache}
EXAMPLES=${2:-30}
command -v st >/dev/null && st --version | grep -q "4.32.5" ||
    { echo "schemathesis 4.32.5 is not on PATH (scripts/test.sh installs it in .build-venv/tools)"; exit 1; }
DATA=$(mktemp -d)
"$BIN" tenant create acme --data "$DATA" >/dev/null
# An admin token reaches every operation, the audit trail included.
TOKEN=$("$BIN" token create --tenant acme --scope admin --data "$DATA" | tail -n 1)
SERVED_PID=
trap 'kill $SERVED_PID 2>/dev/null; wait $SERVED_PID 2>/dev/null; rm -rf "$DATA"' EXIT
source scripts/serve-lib.sh
serve_free "$DATA" --log-level error
PORT=$SERVED_PORT
st --config-file scripts/schemathesis.toml run "http://127.0.0.1:$PORT/openapi.json" --url "http://127.0.0.1:$PORT" \
    -H "Authorization: Bearer $TOKEN" --checks all --seed "${SEED:-20261130}" --max-examples "$EXAMPLES" --no-color
