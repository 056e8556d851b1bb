import Logging
public import NIOCore
import Tracing

/// A record's archive (or a range of it) opened for one download: headers are made as they are
/// reached, and each entry's content is opened from the blob store at its turn, so memory holds one
/// chunk at a time whatever the archive's size. When the transfer ends it writes the `record.archive`
/// audit event with the bytes actually sent.
///
/// Unlike a single file's download, an entry's content is opened when the stream reaches it: a file
/// deleted meanwhile is still read (deleted content stays until gc's grace period has passed), but
/// a download that outlives the grace period may end short, and the client resumes it with `Range`.
public struct ArchiveDownload: ContentStream {
    let archive: RecordArchive
    let range: Range<Int64>
    let blobs: any BlobStore
    let event: AuditEvent
    let metadata: any MetadataStore
    let metrics: ServiceMetrics
    let logger: Logger

    public func stream(into consume: (ByteBuffer) async throws -> Void) async throws {
        var sent: Int64 = 0
        do {
            try await withSpan("archive.send") { span in
                defer { span.attributes["attache.bytes"] = sent }
                for (piece, part) in archive.layout.pieces(in: range) {
                    guard case .content(let index) = piece else {
                        let bytes = archive.layout.headerBytes(piece)[Int(part.lowerBound)..<Int(part.upperBound)]
                        try await consume(ByteBuffer(bytes: bytes))
                        sent += Int64(bytes.count)
                        continue
                    }
                    let file = archive.files[index].file
                    guard let reader = try await blobs.open(file.blobAddress, range: part), reader.contentSize == file.size else {
                        logger.error("archived content is missing or damaged", metadata: ["blob": "\(file.blobAddress)", "file": "\(file.id)"])
                        throw AttacheError(.storageUnavailable, "The content of file \(file.id) is missing from storage.")
                    }
                    try await reader.stream { chunk in
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

    private func audit(sent: Int64) async {
        let expected = Int64(range.count)
        metrics.downloaded(bytes: sent, complete: sent == expected)
        var event = event
        event.size = sent
        if sent < expected {
            event.detail = [event.detail, "cut short: \(sent) of \(expected) bytes"].compactMap { $0 }.joined(separator: "; ")
        }
        do {
            try await metadata.appendAuditEvents([event])
        } catch {
            logger.error("archive download not audited", metadata: ["record": "\(archive.record.uuid)", "error": "\(String(reflecting: error))"])
        }
    }
}
