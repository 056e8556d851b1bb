// CRC-32 (reflected polynomial 0xEDB88320) by folding with carry-less multiplication, after Intel's
// "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ Instruction" (2009): four 128-bit lanes
// are folded forward 64 bytes at a time, then into one lane, which is reduced to 32 bits by Barrett
// reduction. The constants are powers of x modulo the polynomial, bit-reflected, as the paper derives.
#include "attache_crc.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>

#define ATTACHE_FOLD_TARGET __attribute__((target("pclmul,sse4.1")))

ATTACHE_FOLD_TARGET
static __m128i attache_fold(__m128i lane, __m128i constants, __m128i next) {
    __m128i low = _mm_clmulepi64_si128(lane, constants, 0x00);
    __m128i high = _mm_clmulepi64_si128(lane, constants, 0x11);
    return _mm_xor_si128(_mm_xor_si128(low, high), next);
}

ATTACHE_FOLD_TARGET
static uint32_t attache_crc32_pclmul(uint32_t crc, const uint8_t *bytes, size_t count) {
    // x^(4*128+32) and x^(4*128-32) mod P; x^(128+32) and x^(128-32); x^64; P' and mu (Barrett).
    const __m128i by4 = _mm_set_epi64x(0x01c6e41596LL, 0x0154442bd4LL);
    const __m128i by1 = _mm_set_epi64x(0x00ccaa009eLL, 0x01751997d0LL);
    const __m128i to32 = _mm_set_epi64x(0, 0x0163cd6124LL);
    const __m128i barrett = _mm_set_epi64x(0x01f7011641LL, 0x01db710641LL);
    const __m128i low32 = _mm_set_epi32(0, 0, 0, -1);

    __m128i x1 = _mm_xor_si128(_mm_loadu_si128((const __m128i *)bytes), _mm_cvtsi32_si128((int)crc));
    __m128i x2 = _mm_loadu_si128((const __m128i *)(bytes + 16));
    __m128i x3 = _mm_loadu_si128((const __m128i *)(bytes + 32));
    __m128i x4 = _mm_loadu_si128((const __m128i *)(bytes + 48));
    bytes += 64;
    count -= 64;
    while (count >= 64) {
        x1 = attache_fold(x1, by4, _mm_loadu_si128((const __m128i *)bytes));
        x2 = attache_fold(x2, by4, _mm_loadu_si128((const __m128i *)(bytes + 16)));
        x3 = attache_fold(x3, by4, _mm_loadu_si128((const __m128i *)(bytes + 32)));
        x4 = attache_fold(x4, by4, _mm_loadu_si128((const __m128i *)(bytes + 48)));
        bytes += 64;
        count -= 64;
    }
    x1 = attache_fold(x1, by1, x2);
    x1 = attache_fold(x1, by1, x3);
    x1 = attache_fold(x1, by1, x4);
    while (count >= 16) {
        x1 = attache_fold(x1, by1, _mm_loadu_si128((const __m128i *)bytes));
        bytes += 16;
        count -= 16;
    }
    // 128 bits to 64: the low half times x^(128-32), added to the high half.
    __m128i folded = _mm_xor_si128(_mm_srli_si128(x1, 8), _mm_clmulepi64_si128(x1, by1, 0x10));
    // 64 bits to 32.
    folded = _mm_xor_si128(_mm_srli_si128(folded, 4), _mm_clmulepi64_si128(_mm_and_si128(folded, low32), to32, 0x00));
    // Barrett reduction to the 32-bit remainder.
    __m128i quotient = _mm_and_si128(_mm_clmulepi64_si128(_mm_and_si128(folded, low32), barrett, 0x10), low32);
    folded = _mm_xor_si128(folded, _mm_clmulepi64_si128(quotient, barrett, 0x00));
    return (uint32_t)_mm_extract_epi32(folded, 1);
}

size_t attache_crc32_fold(uint32_t *state, const uint8_t *bytes, size_t count) {
    // CPUID leaf 1, ECX: bit 1 PCLMULQDQ, bit 19 SSE4.1. Asked once; any thread may ask first.
    static int supported = -1;
    int known = __atomic_load_n(&supported, __ATOMIC_RELAXED);
    if (known < 0) {
        unsigned int eax = 0, ebx = 0, ecx = 0, edx = 0;
        known = __get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & (1u << 1)) && (ecx & (1u << 19));
        __atomic_store_n(&supported, known, __ATOMIC_RELAXED);
    }
    if (!known || count < 64) return 0;
    size_t folded = count & ~(size_t)15;
    *state = attache_crc32_pclmul(*state, bytes, folded);
    return folded;
}

#else

size_t attache_crc32_fold(uint32_t *state, const uint8_t *bytes, size_t count) {
    (void)state;
    (void)bytes;
    (void)count;
    return 0;
}

#endif
