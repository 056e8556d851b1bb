#!/usr/bin/env bash
# The CRC-32 of uploads: CAttacheCRC's folding (PCLMULQDQ) over 50 MiB in memory, best of five, beside
# `openssl speed -evp sha256` (the hash every upload computes with it) in the same run. The tables'
# rate (slicing-by-8, in Swift) is in BENCHMARKS.md ("The ZIP of a record").
# Usage: bench/crc.sh
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cat >"$WORK/crc.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "attache_crc.h"
int main(void) {
    size_t n = 50u << 20;
    unsigned char *bytes = malloc(n);
    for (size_t i = 0; i < n; i++) bytes[i] = (unsigned char)(i * 2654435761u >> 13);
    double best = 1e9;
    for (int run = 0; run < 5; run++) {
        uint32_t state = 0xFFFFFFFF;
        struct timespec start, end;
        clock_gettime(CLOCK_MONOTONIC, &start);
        size_t folded = attache_crc32_fold(&state, bytes, n);
        clock_gettime(CLOCK_MONOTONIC, &end);
        if (folded != n) { printf("this processor does not fold (folded %zu of %zu bytes)\n", folded, n); return 1; }
        double seconds = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
        if (seconds < best) best = seconds;
    }
    printf("CRC-32 folded (CAttacheCRC): %.0f MB/s\n", n / best / 1e6);
    return 0;
}
C
CC=$(command -v clang || command -v cc)
"$CC" -O2 -I Sources/CAttacheCRC/include "$WORK/crc.c" Sources/CAttacheCRC/attache_crc.c -o "$WORK/crc"
"$WORK/crc"
openssl speed -evp sha256 -seconds 1 -bytes 16384 2>/dev/null | awk '/^sha256/ {printf "SHA-256 (openssl speed -evp sha256, 16 KiB blocks): %.0f MB/s\n", $NF / 1000}'
