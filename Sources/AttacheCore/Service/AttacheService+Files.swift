import Logging
import Tracing

extension AttacheService {
    /// The file with this id. - Throws: `notFound`.
    public func file(_ principal: Principal, id: Int64) async throws -> StoredFile {
        guard let file = try await metadata.file(tenantID: principal.tenant.id, id: id) else {
            throw AttacheError(.notFound, "There is no file \(id).")
        }
        return file
    }

    /// The tenant's files, linked or not (with `unlinkedOnly`, those no record links to), so an
    /// unlinked upload is never out of reach.
    public func files(_ principal: Principal, unlinkedOnly: Bool, page: PageRequest) async throws -> Page<StoredFile> {
        try principal.require(.read)
        return try await metadata.files(tenantID: principal.tenant.id, unlinkedOnly: unlinkedOnly, page: page)
    }

    /// Deletes a file and all its attachments. Its content stays readable for downloads in flight
    /// until `gc` collects it after the grace period.
    @discardableResult
    public func deleteFile(_ principal: Principal, id: Int64) async throws -> StoredFile {
        try principal.require(.write)
        guard let file = try await metadata.deleteFile(tenantID: principal.tenant.id, id: id, audit: principal.auditContext()) else {
            throw AttacheError(.notFound, "There is no file \(id).")
        }
        return file
    }

    /// Opens `range` of a file's content for `principal` before anything is promised to the client, so
    /// a download that has started always finishes; the download audits itself when it ends.
    /// - Parameter attached: the attachment the file was reached through, named in the audit event.
    /// - Throws: `storageUnavailable` when the content is missing or does not have the recorded size.
    /// - Throws: `contentQuarantined` when malware was found in the content.
    public func openDownload(
        _ principal: Principal,
        of file: StoredFile,
        through attached: AttachedFile? = nil,
        range: Range<Int64>
    ) async throws -> ContentDownload {
        try requireServable(file)
        let opened = try await withSpan("download.open") { span in
            span.attributes["attache.file"] = file.id
            return try await blobs.open(file.blobAddress, range: range)
        }
        guard let reader = opened else {
            logger.error("stored content is missing", metadata: ["blob": "\(file.blobAddress)", "file": "\(file.id)"])
            throw AttacheError(.storageUnavailable, "The content of file \(file.id) is missing from storage.")
        }
        guard reader.contentSize == file.size else {
            logger.error(
                "stored content has the wrong size",
                metadata: ["blob": "\(file.blobAddress)", "recorded": "\(file.size)", "stored": "\(reader.contentSize)"]
            )
            throw AttacheError(.storageUnavailable, "The content of file \(file.id) is damaged in storage.")
        }
        let partial = range.count < file.size
        let event = downloadEvent(principal, of: file, through: attached, detail: partial ? "bytes \(range.lowerBound)-\(range.upperBound - 1)/\(file.size)" : nil)
        return ContentDownload(
            reader: reader,
            transfer: AuditedTransfer(event: event, expected: Int64(range.count), metadata: metadata, metrics: metrics, logger: logger)
        )
    }

    /// Where `principal` may fetch `file` from the blob store itself, when downloads are redirected
    /// (``downloadRedirectLifetime``) and the store can hand out such URLs (S3); audited as a
    /// `file.download` whose bytes the server does not see.
    /// - Parameters:
    ///   - contentType: what the store's response should say the content is.
    ///   - contentDisposition: how it should name it.
    /// - Returns: `nil` when the server serves the bytes itself.
    /// - Throws: `contentQuarantined` when malware was found in the content.
    public func directDownloadURL(
        _ principal: Principal, of file: StoredFile, through attached: AttachedFile? = nil, contentType: String, contentDisposition: String
    ) async throws -> String? {
        guard let lifetime = downloadRedirectLifetime else { return nil }
        try requireServable(file)
        guard let url = try blobs.directDownloadURL(file.blobAddress, contentType: contentType, contentDisposition: contentDisposition, lifetime: lifetime)
        else { return nil }
        metrics.redirectedDownload()
        try await metadata.appendAuditEvents([downloadEvent(principal, of: file, through: attached, detail: "redirected to object storage")])
        return url
    }

    /// The `file.download` event of `principal` fetching `file` (its size is filled in when known).
    private func downloadEvent(_ principal: Principal, of file: StoredFile, through attached: AttachedFile?, detail: String?) -> AuditEvent {
        principal.auditContext().event(
            .fileDownload, tenantID: principal.tenant.id, recordUUID: attached?.record.uuid, fileID: file.id, fileName: file.name,
            attachmentUUID: attached?.attachment.uuid, detail: detail
        )
    }

    /// - Throws: `contentQuarantined` when malware was found in the content, or it was found damaged.
    func requireServable(_ file: StoredFile) throws(AttacheError) {
        switch file.scan {
        case .infected(let signature):
            throw AttacheError(.contentQuarantined, "'\(file.name)' is quarantined: malware was found in it (\(signature)). It can be deleted, not downloaded.")
        case .damaged(let reason):
            throw AttacheError(
                .contentQuarantined, "'\(file.name)' is quarantined: its stored content is damaged (\(reason)). It can be deleted, or its content restored from a backup."
            )
        case .unscanned, .clean:
            return
        }
    }
}
