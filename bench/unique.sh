# Sourced by the benchmarks: content never stored before, so every upload measured does the whole work
# (deduplicated content skips the blob write, its fsync and its link).
#
# unique_copy SOURCE DESTINATION N: DESTINATION is SOURCE with 16 ASCII digits (N and the run's nonce)
# written over bytes 100–115, which keeps a file's signature and a text file's text.
BENCH_NONCE=${BENCH_NONCE:-$(date +%s%N | tail -c 8)}
unique_copy() {
    cp "$1" "$2"
    printf '%08d%08d' "$((10#$BENCH_NONCE))" "$3" | dd of="$2" bs=1 seek=100 conv=notrunc status=none
}
