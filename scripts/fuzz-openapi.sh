#!/usr/bin/env bash
# Fuzzes the native API from its own OpenAPI document with schemathesis (pinned version, fixed seed,
# bounded examples, every check): passes only with no failure.
# Usage: scripts/fuzz-openapi.sh [path/to/attache] [examples per operation]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build/debug/attache}
EXAMPLES=${2:-30}
command -v st >/dev/null && st --version | grep -q "4.32.5" ||
    python3 -m pip install --quiet --root-user-action=ignore 'schemathesis==4.32.5'
DATA=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$BIN" tenant create acme --data "$DATA" >/dev/null
# An admin token reaches every operation, the audit trail included.
TOKEN=$("$BIN" token create --tenant acme --scope admin --data "$DATA" | tail -n 1)
"$BIN" serve --data "$DATA" --port "$PORT" --log-level error &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
st --config-file scripts/schemathesis.toml run "http://127.0.0.1:$PORT/openapi.json" --url "http://127.0.0.1:$PORT" \
    -H "Authorization: Bearer $TOKEN" --checks all --seed "${SEED:-20261130}" --max-examples "$EXAMPLES" --no-color
