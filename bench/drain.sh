# Sourced by the benchmarks: waits for a server's derived work (a text job per document, previews per
# PDF and image) to end, so that the figures after it measure what they say.
#
# derived_work_drained URL: returns once the server at URL has no job queued or running and has ended
# at least one (its /metrics gauge is counted now and then), or after 180 s; prints what was left then.
derived_work_drained() {
    local queue left=unknown ended
    for _ in $(seq 1 900); do
        queue=$(curl -s "$1/metrics" | grep -E '^attache_derivation_queue\{')
        left=$(echo "$queue" | grep -E 'state="(queued|running)"' | awk '{s += $2} END {print s + 0}')
        ended=$(echo "$queue" | grep -E 'state="(done|failed)"' | awk '{s += $2} END {print s + 0}')
        [ "$left" = 0 ] && [ "$ended" != 0 ] && return
        sleep 0.2
    done
    echo "(the derived-work queue still held $left jobs after 180 s)"
}
