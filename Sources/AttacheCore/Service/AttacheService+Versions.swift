import Foundation

/// Versions of an attachment's file (``AttachmentVersion``): a new file stored against the content
/// the caller last saw (`If-Match`), earlier versions listed, served, made current again or deleted.
/// The attachment keeps its uuid, links and shares; everything that shows it shows its current version.
extension AttacheService {
    /// What a new version will be stored against, checked before its bytes are read: the attachment,
    /// and the content `If-Match` names, which it must still show.
    /// - Throws: `forbidden` without write scope; `notFound`; `preconditionRequired` without `If-Match`;
    ///   `preconditionFailed` when it names other content (the check is made again when the version is stored).
    public func versionPrecondition(_ principal: Principal, of uuid: UUID, ifMatch: String?) async throws -> (AttachedFile, VersionPrecondition) {
        try principal.require(.write)
        let attached = try await attachment(principal, uuid: uuid)
        let expected = try VersionPrecondition.sha256(ofIfMatch: ifMatch)
        guard expected == attached.file.sha256 else {
            throw AttacheError(
                .preconditionFailed,
                "The attachment changed: it now shows version \(attached.attachment.version) (ETag \"\(attached.file.sha256)\"), not the content If-Match names."
            )
        }
        return (attached, VersionPrecondition(attachmentUUID: uuid, currentSHA256: expected))
    }

    /// Stores a batch's one file as the attachment's new version, through the one upload path
    /// (limits, scanning, quota); settles the batch. - Returns: the attachment as it now is.
    /// - Throws: what ``storeFiles(_:_:linkTo:completing:)`` throws, and `preconditionFailed` when
    ///   another version came first.
    public func storeVersion(_ principal: Principal, _ batch: UploadBatch, of attached: AttachedFile, precondition: VersionPrecondition) async throws -> AttachedFile {
        guard await batch.items.count == 1 else {
            let count = await batch.items.count
            await batch.discard()
            throw AttacheError(.invalidInput, "A new version is one file; \(count) were sent.", field: "file")
        }
        let link = AttachmentLink(recordID: attached.record.id, description: nil, newVersions: [precondition])
        _ = try await storeFiles(principal, batch, linkTo: link)
        return try await attachment(principal, uuid: precondition.attachmentUUID)
    }

    /// The attachment's versions, newest (the current one) first.
    public func versions(_ principal: Principal, of uuid: UUID) async throws -> [AttachmentVersion] {
        guard let versions = try await metadata.attachmentVersions(tenantID: principal.tenant.id, attachmentUUID: uuid) else {
            throw AttacheError(.notFound, "There is no attachment \(uuid.lowercasedText).")
        }
        return versions
    }

    /// Version `number` as something to serve: the attachment, with that version's file.
    public func version(_ principal: Principal, of uuid: UUID, number: Int64) async throws -> AttachedFile {
        let attached = try await attachment(principal, uuid: uuid)
        guard let version = try await versions(principal, of: uuid).first(where: { $0.number == number }) else {
            throw Self.noVersion(number, of: uuid)
        }
        return AttachedFile(attachment: attached.attachment, file: version.file, record: attached.record)
    }

    /// Makes version `number`'s content current again, as a new version; no bytes are copied.
    /// `If-Match`, when given (an empty one is none), must name the content the attachment shows.
    public func restoreVersion(_ principal: Principal, of uuid: UUID, number: Int64, ifMatch: String?) async throws -> AttachedFile {
        try principal.require(.write)
        let given = ifMatch.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let expected = try given.map { try VersionPrecondition.sha256(ofIfMatch: $0) }
        guard let attached = try await metadata.restoreAttachmentVersion(
            tenantID: principal.tenant.id, attachmentUUID: uuid, number: number, expectedSHA256: expected, audit: principal.auditContext()
        ) else {
            throw AttacheError(.notFound, "There is no attachment \(uuid.lowercasedText).")
        }
        return attached
    }

    /// Deletes a version that is not the current one; its content goes at the next collection when
    /// nothing else holds it.
    public func deleteVersion(_ principal: Principal, of uuid: UUID, number: Int64) async throws {
        try principal.require(.write)
        guard try await metadata.deleteAttachmentVersion(tenantID: principal.tenant.id, attachmentUUID: uuid, number: number, audit: principal.auditContext()) != nil
        else {
            _ = try await attachment(principal, uuid: uuid)
            throw Self.noVersion(number, of: uuid)
        }
    }

    private static func noVersion(_ number: Int64, of uuid: UUID) -> AttacheError {
        AttacheError(.notFound, "Attachment \(uuid.lowercasedText) has no version \(number).")
    }
}
