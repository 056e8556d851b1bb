public import Foundation

/// Runs inside a metadata transaction while it holds the lock on one blob's row.
public typealias BlobAction = @Sendable (BlobAddress) async throws -> Void

/// Where a new file should be linked as it is stored.
public struct AttachmentLink: Sendable, Hashable {
    public var recordID: Int64
    public var description: String?
    /// The custom-field slot per file, by position in the inserted list (HighLevel uploads).
    public var slots: [AttachmentSlot?]

    public init(recordID: Int64, description: String?, slots: [AttachmentSlot?] = []) {
        self.recordID = recordID
        self.description = description
        self.slots = slots
    }
}

/// Tenants, tokens, records, files, attachments and the blob references behind them.
/// Implementations: SQLite (embedded default) and PostgreSQL.
///
/// Every method that takes a `tenantID` only ever reads or writes rows of that tenant.
///
/// Blob lifetime: a blob row exists while at least one file references its content. The store calls
/// `promote` (when a blob gains its first reference) and `release` (when it loses its last) inside the
/// same transaction that changes the references, while holding a lock on that blob's address. So an upload and a
/// delete of the same content can never interleave: either the upload sees the blob gone and stages it
/// again, or the delete sees the new reference and keeps it.
public protocol MetadataStore: Sendable {
    /// Brings the schema up to date. Safe to run concurrently with a running server.
    func migrate() async throws
    /// Throws when the database cannot be reached.
    func checkHealth() async throws
    /// Releases connections.
    func shutdown() async

    // MARK: Tenants and tokens

    func createTenant(slug: String, name: String) async throws -> Tenant
    func tenant(slug: String) async throws -> Tenant?
    func tenant(id: Int64) async throws -> Tenant?
    func tenants() async throws -> [Tenant]

    func createToken(tenantID: Int64, scope: TokenScope, label: String?, secretHash: String, expiresAt: Date?) async throws -> AccessToken
    /// The live (not revoked, not expired) token with this secret hash and its tenant.
    func activeToken(secretHash: String) async throws -> (AccessToken, Tenant)?
    func tokens(tenantID: Int64) async throws -> [AccessToken]
    /// - Returns: whether a live token was revoked.
    func revokeToken(id: Int64, tenantID: Int64) async throws -> Bool

    func createCredential(tenantID: Int64, kind: CredentialKind, identifier: String, scope: TokenScope, secretHash: String) async throws -> Credential
    /// The credential of this kind and identifier whose secret hashes to `secretHash`.
    func credential(kind: CredentialKind, identifier: String, secretHash: String) async throws -> Credential?

    // MARK: Records

    func createRecord(tenantID: Int64, type: RecordType, externalIdentifier: String?, title: String?) async throws -> Record
    func record(tenantID: Int64, uuid: UUID) async throws -> Record?
    func record(tenantID: Int64, id: Int64) async throws -> Record?
    func records(tenantID: Int64, matching query: RecordQuery, page: PageRequest) async throws -> Page<Record>
    /// Updates the fields that are non-nil. A double optional clears the field when the inner value is nil.
    func updateRecord(tenantID: Int64, uuid: UUID, title: String??, externalIdentifier: String??) async throws -> Record?
    /// Deletes a record, its attachments, and files left without any attachment.
    func deleteRecord(tenantID: Int64, uuid: UUID, release: BlobAction) async throws -> Bool

    // MARK: Files

    /// Stores files (and, with `link`, their attachments) all or nothing.
    func insertFiles(
        _ files: [NewFile],
        tenantID: Int64,
        link: AttachmentLink?,
        promote: BlobAction
    ) async throws -> [(StoredFile, Attachment?)]
    func file(tenantID: Int64, id: Int64) async throws -> StoredFile?
    func files(tenantID: Int64, ids: [Int64]) async throws -> [StoredFile]
    /// Deletes a file and every attachment of it.
    func deleteFile(tenantID: Int64, id: Int64, release: BlobAction) async throws -> StoredFile?
    /// Whether any file references the content at this address.
    func blobIsReferenced(_ address: BlobAddress) async throws -> Bool
    /// Calls `release` for an address no file references, holding the blob's lock so that no upload
    /// of the same content can commit meanwhile. - Returns: whether `release` was called.
    func releaseBlobIfUnreferenced(_ address: BlobAddress, release: BlobAction) async throws -> Bool
    /// Calls `visit` for every blob row with its recorded size.
    func forEachBlob(_ visit: (BlobAddress, Int64) async throws -> Void) async throws

    // MARK: Attachments

    /// Links existing files to a record. Throws `notFound` when a file id is not the tenant's.
    func attach(fileIDs: [Int64], tenantID: Int64, link: AttachmentLink) async throws -> [AttachedFile]
    func attachment(tenantID: Int64, uuid: UUID) async throws -> AttachedFile?
    func attachments(tenantID: Int64, recordID: Int64, page: PageRequest) async throws -> Page<AttachedFile>
    /// Updates the description (double optional as in ``updateRecord``) and renames the file when `fileName` is set.
    func updateAttachment(tenantID: Int64, uuid: UUID, description: String??, fileName: String?) async throws -> AttachedFile?
    /// Removes the link; deletes the file when it was its last link.
    func deleteAttachment(tenantID: Int64, uuid: UUID, release: BlobAction) async throws -> AttachedFile?
    /// Attachments across records, oldest first, `limit` from `offset`, with the total that match.
    func attachments(tenantID: Int64, matching query: AttachmentQuery, offset: Int, limit: Int) async throws -> CountedPage<AttachedFile>

    // MARK: Custom fields

    func createCustomField(tenantID: Int64, id: String, fieldKey: String, definition: CustomFieldDefinition) async throws -> CustomField
    func customFields(tenantID: Int64, model: String?) async throws -> [CustomField]
    func customField(tenantID: Int64, id: String) async throws -> CustomField?
    func updateCustomField(tenantID: Int64, id: String, definition: CustomFieldDefinition) async throws -> CustomField?
    func deleteCustomField(tenantID: Int64, id: String) async throws -> Bool
}
