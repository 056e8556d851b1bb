# Sourced by the shell test scripts: starts `attache serve` on a port it picks itself (`--port 0
# --port-file`), so no other process can take a port chosen beforehand.
#
# serve_free DATA [ARGS...]: starts "$BIN" serve on DATA with ARGS and waits at most 30 s until it
# answers /healthz; sets SERVED_PID and SERVED_PORT, or ends the script naming what did not happen.
serve_free() {
    local data=$1 port_file
    shift
    port_file=$(mktemp -u "${TMPDIR:-/tmp}/attache-port.XXXXXX")
    "$BIN" serve --data "$data" --port 0 --port-file "$port_file" "$@" &
    SERVED_PID=$!
    SERVED_PORT=
    for _ in $(seq 1 300); do
        if [ -z "$SERVED_PORT" ] && [ -s "$port_file" ]; then
            SERVED_PORT=$(cat "$port_file")
            rm -f "$port_file"
        fi
        if [ -n "$SERVED_PORT" ] && curl -fs -m 2 "http://127.0.0.1:$SERVED_PORT/healthz" >/dev/null 2>&1; then
            return 0
        fi
        kill -0 "$SERVED_PID" 2>/dev/null || { echo "FAIL attache serve $* exited before answering"; exit 1; }
        sleep 0.1
    done
    if [ -n "$SERVED_PORT" ]; then echo "FAIL attache serve $* did not answer /healthz within 30 s"; else echo "FAIL attache serve $* did not listen within 30 s"; fi
    exit 1
}
