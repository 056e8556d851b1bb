#ifndef ATTACHE_CRC_H
#define ATTACHE_CRC_H

#include <stddef.h>
#include <stdint.h>

/// Folds the longest prefix of `bytes` whose length is a multiple of 16 into the CRC-32 register
/// `*state` (the reflected IEEE polynomial of ZIP; the register as it stands, not inverted), with
/// carry-less multiplication (PCLMULQDQ), when the processor has it and `count` is at least 64.
/// Returns how many bytes it folded: 0 when it folded none; the caller takes the rest.
size_t attache_crc32_fold(uint32_t *state, const uint8_t *bytes, size_t count);

#endif
