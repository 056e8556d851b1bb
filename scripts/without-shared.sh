#!/usr/bin/env bash
# Runs a command with ../shared (the notes beside this repository's own checkout, which a user's clone
# does not have) hidden behind an empty folder, so a test that reads it fails here as it would there.
# Where mount namespaces are not available the command runs as it is, after a static check.
# Usage: scripts/without-shared.sh COMMAND [ARGS…]
set -euo pipefail
cd "$(dirname "$0")/.."
if git grep -n '\.\./shared' -- Sources Tests scripts bench Package.swift ':!scripts/without-shared.sh' | grep -v -- '--extract'; then
    echo "the lines above reach outside the repository"
    exit 1
fi
if [ -d ../shared ] && unshare --mount true 2>/dev/null; then
    exec unshare --mount bash -c 'mount --bind "$(mktemp -d)" ../shared && exec "$@"' -- "$@"
fi
exec "$@"
