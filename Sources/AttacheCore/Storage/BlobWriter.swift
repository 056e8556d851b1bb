public import NIOCore

/// Receives the bytes of one upload, in order, and stages them durably.
public protocol BlobWriter: Sendable {
    /// Appends bytes to the staged content.
    func write(_ buffer: ByteBuffer) async throws
    /// Makes the staged content durable (`fsync` or equivalent) and returns its handle.
    func finish() async throws -> StagedBlob
    /// Drops everything written so far. Safe to call more than once and after `finish`.
    func abort() async
}
