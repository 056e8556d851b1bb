import Logging
public import NIOCore

/// A record's archive (or a range of it) opened for one download: headers are made as they are
/// reached, and each entry's content is opened from the blob store at its turn, so memory holds one
/// chunk at a time whatever the archive's size. When the transfer ends it writes the `record.archive`
/// audit event with the bytes actually sent (``AuditedTransfer``).
///
/// Unlike a single file's download, an entry's content is opened when the stream reaches it: a file
/// deleted meanwhile is still read (deleted content stays until gc's grace period has passed), but
/// a download that outlives the grace period may end short, and the client resumes it with `Range`.
public struct ArchiveDownload: ContentStream {
    let archive: RecordArchive
    let range: Range<Int64>
    let blobs: any BlobStore
    let transfer: AuditedTransfer
    let logger: Logger

    public func stream(into consume: (ByteBuffer) async throws -> Void) async throws {
        try await transfer.run(span: "archive.send", into: consume) { deliver in
            for (piece, part) in archive.layout.pieces(in: range) {
                guard case .content(let index) = piece else {
                    try await deliver(ByteBuffer(bytes: archive.layout.headerBytes(piece)[Int(part.lowerBound)..<Int(part.upperBound)]))
                    continue
                }
                let file = archive.files[index].file
                guard let reader = try await blobs.open(file.blobAddress, range: part), reader.contentSize == file.size else {
                    logger.error("archived content is missing or damaged", metadata: ["blob": "\(file.blobAddress)", "file": "\(file.id)"])
                    throw AttacheError(.storageUnavailable, "The content of file \(file.id) is missing from storage.")
                }
                try await reader.stream(into: deliver)
            }
        }
    }
}
