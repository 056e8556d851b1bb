#!/usr/bin/env bash
# Starts a throwaway clamd for the tests and prints its address; `scripts/clamd.sh stop DIR` stops it.
# The signature database is written here, not downloaded: the EICAR test file by its MD5 (.hdb) and a
# marker string anywhere in a file (.ndb). Uses Debian's clamav-daemon (installed by scripts/test.sh).
# Usage: ADDRESS_AND_DIR=$(scripts/clamd.sh start)   →  "unix:/tmp/dir/clamd.sock  /tmp/dir"
set -euo pipefail
case "${1:-start}" in
start)
    DIR=$(mktemp -d)
    chmod 755 "$DIR"
    printf '%s' 'X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*' >"$DIR/eicar.txt"
    echo "$(md5sum "$DIR/eicar.txt" | cut -d' ' -f1):$(wc -c <"$DIR/eicar.txt"):Attache-Test-EICAR" >"$DIR/attache-test.hdb"
    echo "Attache-Test-Marker:0:*:$(printf 'ATTACHE-TEST-MALWARE-MARKER' | od -An -tx1 | tr -d ' \n')" >"$DIR/attache-test.ndb"
    rm "$DIR/eicar.txt"
    cat >"$DIR/clamd.conf" <<CONF
LocalSocket $DIR/clamd.sock
DatabaseDirectory $DIR
Foreground yes
StreamMaxLength 200M
LogFile $DIR/clamd.log
PidFile $DIR/clamd.pid
CONF
    clamd -c "$DIR/clamd.conf" >/dev/null 2>&1 &
    for _ in $(seq 1 300); do [ -S "$DIR/clamd.sock" ] && break; sleep 0.1; done
    [ -S "$DIR/clamd.sock" ] || { cat "$DIR/clamd.log" >&2; exit 1; }
    echo "unix:$DIR/clamd.sock $DIR"
    ;;
stop)
    [ -f "$2/clamd.pid" ] && kill "$(cat "$2/clamd.pid")" 2>/dev/null || true
    rm -rf "$2"
    ;;
esac
