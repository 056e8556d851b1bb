import CAttacheMalloc

/// Process-wide memory settings for `serve`.
///
/// glibc raises its mmap threshold each time a large block is freed; after that the 256 KiB transfer
/// buffers of concurrent downloads and uploads come from per-thread heaps that do not shrink. Measured
/// here (BENCHMARKS.md): 64 concurrent 50 MB downloads peaked at 589 MB with the default, 255–470 MB
/// with fewer heaps, and 65–86 MB with the threshold fixed at glibc's default, which keeps memory
/// bounded by the number of transfers (at the cost of an mmap per buffer: single downloads went from
/// about 1.4 to 1.0 GB/s; the disk store now reuses a download's chunk buffers, which brought that back).
enum MemoryTuning {
    static let mmapThreshold: Int32 = 128 * 1024

    static func apply() {
        _ = attache_fix_mmap_threshold(mmapThreshold)
    }
}
