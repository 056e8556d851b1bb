public import Foundation

/// A tenant's records, files, attachments and custom fields: what clients see. Every change writes its
/// audit events in its own transaction. Files reference content claimed through the ``BlobLedger``.
/// (A role of ``MetadataStore``.)
public protocol CatalogueStore: Sendable {
    /// Records what a scan found in a content, on every file of it (a `file.quarantine` event per file
    /// found infected). Quarantining content ends its queued and running derived work, failed with
    /// ``DerivationFailure/quarantined``, in the same transaction. - Returns: how many files.
    func setScanStatus(_ status: ScanStatus, of address: BlobAddress, audit: AuditContext) async throws -> Int
    /// Lifts the quarantine of files found damaged whose content at `address` is whole again (restored
    /// from a backup), and queues again the derived work the quarantine ended. - Returns: how many files.
    func clearDamage(of address: BlobAddress) async throws -> Int
    /// The files whose content is at `address`, each with the attachments (and their records) linking it.
    func filesHolding(_ address: BlobAddress) async throws -> [FileLinks]
    func createRecord(tenantID: Int64, type: RecordType, externalIdentifier: String?, title: String?, audit: AuditContext) async throws -> Record
    func record(tenantID: Int64, uuid: UUID) async throws -> Record?
    func record(tenantID: Int64, id: Int64) async throws -> Record?
    func records(tenantID: Int64, matching query: RecordQuery, page: PageRequest) async throws -> Page<Record>
    /// Updates the fields that are non-nil. A double optional clears the field when the inner value is nil.
    func updateRecord(tenantID: Int64, uuid: UUID, title: String??, externalIdentifier: String??, legalHold: Bool?, audit: AuditContext) async throws -> Record?
    /// Deletes a record, its attachments, and files left without any attachment.
    func deleteRecord(tenantID: Int64, uuid: UUID, audit: AuditContext) async throws -> Bool
    /// Stores files (and, with `link`, their attachments) all or nothing, referencing claimed content.
    /// With `completing`, the same transaction marks that resumable upload complete with the (single)
    /// file and drops its parts, so a file is stored once however often completion is retried.
    /// - Throws: ``BlobLifecycleError/claimLost(_:)`` when a claim no longer holds; `uploadGone` when
    ///   the upload to complete is no longer receiving.
    func insertFiles(
        _ files: [NewFile],
        tenantID: Int64,
        link: AttachmentLink?,
        claims: [BlobAddress: BlobClaim],
        completing resumableUploadID: UUID?,
        audit: AuditContext
    ) async throws -> [(StoredFile, Attachment?)]
    func file(tenantID: Int64, id: Int64) async throws -> StoredFile?
    func files(tenantID: Int64, ids: [Int64]) async throws -> [StoredFile]
    /// A page of the tenant's files, oldest first (or newest, as `page` says); with `unlinkedOnly`,
    /// only files no record links to.
    func files(tenantID: Int64, unlinkedOnly: Bool, page: PageRequest) async throws -> Page<StoredFile>
    /// Deletes a file and every attachment of it.
    func deleteFile(tenantID: Int64, id: Int64, audit: AuditContext) async throws -> StoredFile?
    /// Links existing files to a record. Throws `notFound` when a file id is not the tenant's.
    func attach(fileIDs: [Int64], tenantID: Int64, link: AttachmentLink, audit: AuditContext) async throws -> [AttachedFile]
    func attachment(tenantID: Int64, uuid: UUID) async throws -> AttachedFile?
    /// A record's attachments, oldest first, those that match `labels` only.
    func attachments(tenantID: Int64, recordID: Int64, page: PageRequest, labels: AttachmentLabelFilter) async throws -> Page<AttachedFile>
    /// Applies a checked change (``AttachmentChange``): description, the file's name, the record it is
    /// in, its category and tags. - Returns: `nil` when the tenant has no such attachment.
    /// - Throws: `notFound` for another tenant's record; `conflict` when that record has the file
    ///   already; `invalidInput` (field `category`) for a category the tenant does not have.
    func updateAttachment(tenantID: Int64, uuid: UUID, change: AttachmentChange, audit: AuditContext) async throws -> AttachedFile?
    /// Removes the link; deletes the file when it was its last link.
    func deleteAttachment(tenantID: Int64, uuid: UUID, audit: AuditContext) async throws -> AttachedFile?
    /// Attachments across records, oldest first, `limit` from `offset`, with the total that match.
    func attachments(tenantID: Int64, matching query: AttachmentQuery, offset: Int, limit: Int) async throws -> CountedPage<AttachedFile>
    func createCustomField(tenantID: Int64, id: String, fieldKey: String, definition: CustomFieldDefinition, audit: AuditContext) async throws -> CustomField
    func customFields(tenantID: Int64, model: String?) async throws -> [CustomField]
    func customField(tenantID: Int64, id: String) async throws -> CustomField?
    func updateCustomField(tenantID: Int64, id: String, definition: CustomFieldDefinition, audit: AuditContext) async throws -> CustomField?
    func deleteCustomField(tenantID: Int64, id: String, audit: AuditContext) async throws -> Bool
}

extension CatalogueStore {
    /// A record's attachments, oldest first.
    public func attachments(tenantID: Int64, recordID: Int64, page: PageRequest) async throws -> Page<AttachedFile> {
        try await attachments(tenantID: tenantID, recordID: recordID, page: page, labels: .any)
    }
}
