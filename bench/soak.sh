#!/usr/bin/env bash
# The long soak: 64 clients in 4 tenants for 5 minutes against a release build (see scripts/soak.py).
# Usage: bench/soak.sh [seconds] [clients]
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product attache
scripts/soak.py .build/release/attache --seconds "${1:-300}" --clients "${2:-64}"
