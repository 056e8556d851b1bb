public import NIOCore

/// Content opened for one response — a file's (``ContentDownload``) or an archive's
/// (``ArchiveDownload``) — streamed once, chunk by chunk, and audited when the transfer ends.
public protocol ContentStream: Sendable {
    /// Streams the opened range to `consume`. Call it once.
    func stream(into consume: (ByteBuffer) async throws -> Void) async throws
}
