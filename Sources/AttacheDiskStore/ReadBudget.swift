import Synchronization

/// Shares read buffer memory among the contents being read at once: each reader's chunk is the
/// budget divided by the readers open when it starts, between ``smallestChunk`` and ``largestChunk``.
///
/// A reader keeps up to ``DiskBlobReader/reusedBuffers`` chunks, so 64 downloads of 512 KiB chunks
/// could hold 128 MiB; measured peaks of 64 concurrent 50 MB downloads went from 114–144 MB with a
/// fixed 512 KiB to the figures in BENCHMARKS.md. One download alone still reads 512 KiB at a time.
final class ReadBudget: Sendable {
    static let largestChunk = 512 * 1024
    static let smallestChunk = 64 * 1024

    /// Bytes shared by the chunks of all readers.
    let bytes: Int
    private let readers = Atomic<Int>(0)

    init(bytes: Int) {
        self.bytes = bytes
    }

    /// Counts a new reader in and returns its chunk length; ``release()`` counts it out.
    func admit() -> Int {
        let count = readers.add(1, ordering: .relaxed).newValue
        return min(Self.largestChunk, max(Self.smallestChunk, bytes / count))
    }

    func release() {
        readers.subtract(1, ordering: .relaxed)
    }
}
