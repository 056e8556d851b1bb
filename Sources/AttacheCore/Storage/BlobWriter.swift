public import NIOCore

/// Receives the bytes of one upload, in order, and stages them durably.
public protocol BlobWriter: Sendable {
    /// The store's name for the content being staged, known before any byte is written.
    var stagingKey: String { get }
    /// Appends bytes to the staged content.
    func write(_ buffer: ByteBuffer) async throws
    /// Makes the staged content durable (`fsync` or equivalent) and returns its handle.
    func finish() async throws -> StagedBlob
    /// Drops everything written so far. Safe to call more than once and after `finish`.
    func abort() async
}
