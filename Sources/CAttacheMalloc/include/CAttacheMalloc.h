#ifndef C_ATTACHE_MALLOC_H
#define C_ATTACHE_MALLOC_H

#if defined(__linux__)
#include <malloc.h>
#endif

/// Fixes glibc's mmap threshold at `bytes` (turning off its dynamic raise); returns 1 on success,
/// 0 where the C library has no such setting.
static inline int attache_fix_mmap_threshold(int bytes) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, bytes);
#else
    (void)bytes;
    return 0;
#endif
}

#endif
