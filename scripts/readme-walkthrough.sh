#!/usr/bin/env bash
# Runs every shell block of the README from "Walkthrough with curl" to "Configuration" as printed, in one
# fresh shell, against a fresh server: a call that fails (a shell error, or an HTTP answer of 400 or
# more) fails the run, so the README's examples cannot drift from what the server does.
# The build block is skipped (the binary under test is put on the PATH instead) and the port is
# changed from 8080 to a free one.
# Usage: scripts/readme-walkthrough.sh [path/to/attache]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$(cd "$(dirname "${1:-.build/debug/attache}")" && pwd)/$(basename "${1:-.build/debug/attache}")
WORK=$(mktemp -d)
SERVER=""
trap '[ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"' EXIT
mkdir -p "$WORK/bin" && ln -s "$BIN" "$WORK/bin/attache"

# The server picks a free port (--port 0) and says which; the README's 8080 becomes that port.
cd "$WORK"
PATH="$WORK/bin:$PATH" attache serve --port 0 --port-file "$WORK/port" --log-level error >"$WORK/server.log" 2>&1 &
SERVER=$!
cd - >/dev/null
for _ in $(seq 1 300); do [ -s "$WORK/port" ] && curl -fs -m 2 "http://127.0.0.1:$(cat "$WORK/port")/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
PORT=$(cat "$WORK/port")

python3 - "$PORT" >"$WORK/walkthrough.sh" <<'PY'
import re, sys
text = open("README.md").read()
part = text[text.index("## Walkthrough with curl"):text.index("## Configuration")]
blocks = re.findall(r"```sh\n(.*?)```", part, re.S)
print("set -euo pipefail")
print('curl() { command curl --fail-with-body "$@"; }')
for block in blocks:
    if block.startswith("swift build"):
        continue  # the binary under test is on the PATH already
    print(block.replace("127.0.0.1:8080", "127.0.0.1:" + sys.argv[1]))
PY

cd "$WORK"
blocks=$(grep -c '^curl\|^attache\|=\$(' "$WORK/walkthrough.sh" || true)
if PATH="$WORK/bin:$PATH" bash "$WORK/walkthrough.sh" >"$WORK/out.txt" 2>&1; then
    cmp -s lease.pdf lease-copy.pdf && cmp -s offer.pdf offer-copy.pdf || { echo "FAIL downloads differ from uploads"; exit 1; }
    echo "readme walkthrough: $blocks command lines ran, downloads match the uploads"
else
    echo "FAIL the README walkthrough stopped:"
    tail -n 20 "$WORK/out.txt"
    exit 1
fi
