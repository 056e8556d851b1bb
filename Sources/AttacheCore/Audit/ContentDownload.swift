import Logging
public import NIOCore
import Tracing

/// A file's content opened for one download. It streams the content and, when the transfer ends —
/// complete, cut short by the client or failed in storage — writes the `file.download` audit event
/// with the bytes actually handed to the client, and counts them.
public struct ContentDownload: ContentStream {
    let reader: any BlobReader
    let event: AuditEvent
    /// The bytes this download should send: the whole content or the requested range.
    let expected: Int64
    let metadata: any MetadataStore
    let metrics: ServiceMetrics
    let logger: Logger

    /// Streams the opened range to `consume`, chunk by chunk (span `download.send`), then audits the
    /// transfer. Call it once.
    public func stream(into consume: (ByteBuffer) async throws -> Void) async throws {
        var sent: Int64 = 0
        do {
            try await withSpan("download.send") { span in
                defer { span.attributes["attache.bytes"] = sent }
                try await reader.stream { chunk in
                    let count = Int64(chunk.readableBytes)
                    try await consume(chunk)
                    sent += count
                }
            }
        } catch {
            await audit(sent: sent)
            throw error
        }
        await audit(sent: sent)
    }

    /// Writes the event. A failure to write it is logged: the bytes have gone, and the client's
    /// transfer must not fail because of the trail.
    private func audit(sent: Int64) async {
        metrics.downloaded(bytes: sent, complete: sent == expected)
        var event = event
        event.size = sent
        if sent < expected {
            event.detail = [event.detail, "cut short: \(sent) of \(expected) bytes"].compactMap { $0 }.joined(separator: "; ")
        }
        do {
            try await metadata.appendAuditEvents([event])
        } catch {
            logger.error("download not audited", metadata: ["file": "\(event.fileID ?? 0)", "error": "\(String(reflecting: error))"])
        }
    }
}
