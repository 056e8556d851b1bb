import Logging
import NIOCore
import Tracing

/// What every download shares (``ContentDownload``, ``ArchiveDownload``): the bytes handed to the
/// client are counted in a span, and when the transfer ends — complete, cut short by the client or
/// failed in storage — the event is written with that count and the download metrics move.
struct AuditedTransfer: Sendable {
    let event: AuditEvent
    /// The bytes the transfer should send: the whole content or the requested range.
    let expected: Int64
    let metadata: any MetadataStore
    let metrics: ServiceMetrics
    let logger: Logger

    /// Runs `produce`, which hands its chunks to the function it is given; they go on to `consume`.
    func run(
        span name: String, into consume: (ByteBuffer) async throws -> Void, _ produce: ((ByteBuffer) async throws -> Void) async throws -> Void
    ) async throws {
        var sent: Int64 = 0
        do {
            // Neither closure outlives this call; the compiler cannot see it through `produce`.
            try await withoutActuallyEscaping(consume) { consume in
                try await withSpan(name) { span in
                    defer { span.attributes["attache.bytes"] = sent }
                    try await produce { chunk in
                        let count = Int64(chunk.readableBytes)
                        try await consume(chunk)
                        sent += count
                    }
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
            logger.error(
                "download not audited",
                metadata: ["action": "\(event.action.rawValue)", "file": "\(event.fileID ?? 0)", "error": "\(String(reflecting: error))"]
            )
        }
    }
}
