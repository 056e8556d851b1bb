#!/usr/bin/env bash
# Vendor SDKs from PyPI, unchanged, against Attache: each in a virtual environment of its own (its
# pinned dependencies, e.g. requests 2.28 for pyonlyoffice, never meet the test tools' ones).
# Usage: scripts/vendor-clients.sh [path/to/attache]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build/debug/attache}
VENV=.build-venv/pyonlyoffice
if ! "$VENV/bin/python" -c 'import pyonlyoffice' 2>/dev/null; then
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check 'pyonlyoffice==0.0.4'
fi
"$VENV/bin/python" scripts/pyonlyoffice-test.py "$BIN"
