import Crypto
import Logging
import NIOCore
public import Foundation
import Tracing

extension AttacheService {
    /// The ZIP archive of a record's attachments (all, or those named), laid out for a response.
    ///
    /// Quarantined files (malware found, or damaged in storage) are left out, as they cannot be
    /// downloaded either. Content stored before uploads kept a CRC-32 gets one here, read once and
    /// kept (``BlobLedger/recordChecksum(_:of:)``).
    /// - Throws: `notFound` for another tenant's record, or a named attachment that is not the record's.
    public func recordArchive(_ principal: Principal, recordUUID: UUID, attachments selection: [UUID]? = nil) async throws -> RecordArchive {
        let (record, files) = try await servableAttachments(principal, recordUUID: recordUUID, selection: selection)
        let checksums = try await checksums(of: files.map(\.file))
        let names = ZipEntryNames.make(files.map(\.file.name))
        var entries: [ZipEntry] = []
        entries.reserveCapacity(files.count)
        var validator = SHA256()
        validator.update(data: Array("attache-zip-1".utf8))
        for (file, name) in zip(files.map(\.file), names) {
            let entry = ZipEntry(name: name, size: file.size, crc32: checksums[file.blobAddress] ?? 0, modified: file.createdAt)
            entries.append(entry)
            validator.update(data: Array("\n\(name)\u{0}\(file.size)\u{0}\(file.sha256)\u{0}\(Int64(file.createdAt.timeIntervalSince1970))".utf8))
        }
        let etag = "\"zip-" + Array(validator.finalize()).prefix(20).hexString + "\""
        return RecordArchive(record: record, files: files, layout: ZipLayout(entries: entries), etag: etag)
    }

    /// A record's attachments that can be served (quarantined ones left out), all or those named.
    /// - Throws: `notFound` for another tenant's record, or a named attachment that is not the record's.
    func servableAttachments(_ principal: Principal, recordUUID: UUID, selection: [UUID]? = nil) async throws -> (Record, [AttachedFile]) {
        try principal.require(.read)
        let record = try await record(principal, uuid: recordUUID)
        var files: [AttachedFile] = []
        var page = PageRequest(limit: PageRequest.maximumLimit)
        while true {
            let slice = try await metadata.attachments(tenantID: principal.tenant.id, recordID: record.id, page: page)
            files += slice.items
            guard let cursor = slice.nextCursor else { break }
            page = try PageRequest(limit: PageRequest.maximumLimit, cursor: cursor)
        }
        if let selection {
            let present = Set(files.map(\.attachment.uuid))
            if let missing = selection.first(where: { !present.contains($0) }) {
                throw AttacheError(.notFound, "The record \(record.uuid.lowercasedText) has no attachment \(missing.lowercasedText).", field: "attachments")
            }
            let wanted = Set(selection)
            files = files.filter { wanted.contains($0.attachment.uuid) }
        }
        return (record, files.filter { !$0.file.scan.isQuarantined })
    }

    /// Opens `range` of the archive for `principal`; audited as `record.archive` when the transfer ends.
    public func openArchive(_ principal: Principal, _ archive: RecordArchive, range: Range<Int64>) -> ArchiveDownload {
        let partial = range.count < archive.size
        var detail = "\(archive.files.count) file(s)"
        if partial { detail += "; bytes \(range.lowerBound)-\(range.upperBound - 1)/\(archive.size)" }
        let event = principal.auditContext().event(.recordArchive, tenantID: principal.tenant.id, recordUUID: archive.record.uuid, detail: detail)
        return ArchiveDownload(
            archive: archive, range: range, blobs: blobs,
            transfer: AuditedTransfer(event: event, expected: Int64(range.count), metadata: metadata, metrics: metrics, logger: logger), logger: logger
        )
    }

    /// The CRC-32 of each file's content: kept since the upload, or read now and kept.
    private func checksums(of files: [StoredFile]) async throws -> [BlobAddress: UInt32] {
        var known = try await metadata.checksums(of: Array(Set(files.map(\.blobAddress))))
        for file in files where known[file.blobAddress] == nil {
            let crc32 = try await withSpan("archive.checksum") { span in
                span.attributes["attache.file"] = file.id
                return try await computeChecksum(of: file)
            }
            try await metadata.recordChecksum(crc32, of: file.blobAddress)
            known[file.blobAddress] = crc32
        }
        return known
    }

    private func computeChecksum(of file: StoredFile) async throws -> UInt32 {
        guard let reader = try await blobs.open(file.blobAddress, range: nil), reader.contentSize == file.size else {
            logger.error("stored content is missing or damaged", metadata: ["blob": "\(file.blobAddress)", "file": "\(file.id)"])
            throw AttacheError(.storageUnavailable, "The content of file \(file.id) is missing from storage.")
        }
        var crc = CRC32()
        try await reader.stream { chunk in
            chunk.withUnsafeReadableBytes { crc.update($0) }
        }
        return crc.value
    }
}
