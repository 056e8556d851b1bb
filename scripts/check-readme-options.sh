#!/usr/bin/env bash
# Every option `attache serve --help` lists has its row in the README's configuration table, and every
# environment variable the help names is in the README: the reference cannot drift from the CLI.
# Usage: scripts/check-readme-options.sh [path/to/attache]
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build/debug/attache}
HELP=$("$BIN" serve --help)
missing=0
for option in $(echo "$HELP" | grep -oE '^ +--[a-z0-9-]+' | tr -d ' ' | sort -u); do
    [ "$option" = "--help" ] && continue
    grep -q -- "\`$option\`" README.md || { echo "FAIL $option is not in the README"; missing=$((missing + 1)); }
done
for variable in $(echo "$HELP" | grep -oE 'ATTACHE_[A-Z0-9_]+' | sort -u); do
    grep -q "$variable" README.md || { echo "FAIL $variable is not in the README"; missing=$((missing + 1)); }
done
echo "README options: $(echo "$HELP" | grep -cE '^ +--') options checked, $missing missing"
[ "$missing" -eq 0 ]
