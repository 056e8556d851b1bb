public import NIOCore

/// A file's content opened for one download. It streams the content and, when the transfer ends,
/// writes the `file.download` audit event with the bytes actually handed to the client, and counts
/// them (``AuditedTransfer``).
public struct ContentDownload: ContentStream {
    let reader: any BlobReader
    let transfer: AuditedTransfer

    /// Streams the opened range to `consume`, chunk by chunk (span `download.send`), then audits the
    /// transfer. Call it once.
    public func stream(into consume: (ByteBuffer) async throws -> Void) async throws {
        try await transfer.run(span: "download.send", into: consume) { deliver in
            try await reader.stream(into: deliver)
        }
    }
}
