public import Foundation

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
/// Every method that changes records, files, attachments or tokens takes an ``AuditContext`` and writes
/// the change's audit events (see ``AuditAction``) in the change's own transaction: a change that
/// commits always has its events, and one that rolls back has none.
///
/// Blob lifetime (no content I/O ever runs inside one of its transactions):
/// 1. An upload claims each address (``claimBlobs(_:)``), promotes content where the claim says so, then
///    commits its files with ``insertFiles(_:tenantID:link:claims:)``, which checks that every claim still
///    holds (see ``BlobClaim``).
/// 2. A delete removes references only; a blob that loses its last reference is marked released, with
///    the time, and its content stays readable.
/// 3. `gc` marks blobs released before a cutoff for deletion (a new generation, so no claim taken
///    earlier can commit), removes their content, then their rows (``finishBlobDeletion(_:)``).
/// Every step that reads and changes a blob row holds that address's lock (SQLite: the single writer;
/// PostgreSQL: an advisory lock, taken in address order).
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
    /// Records what a scan found in a content, on every file of it (a `file.quarantine` event per file
    /// found infected). - Returns: how many files.
    func setScanStatus(_ status: ScanStatus, of address: BlobAddress, audit: AuditContext) async throws -> Int
    /// Lifts the quarantine of files found damaged whose content at `address` is whole again (restored
    /// from a backup). - Returns: how many files.
    func clearDamage(of address: BlobAddress) async throws -> Int
    /// The files whose content is at `address`, each with the attachments (and their records) linking it.
    func filesHolding(_ address: BlobAddress) async throws -> [FileLinks]
    /// Sets a tenant's quota. - Returns: `false` when there is no such tenant.
    func setQuota(_ quota: TenantQuota, tenantID: Int64) async throws -> Bool
    /// What the tenant stores now, and its quota.
    func usage(tenantID: Int64) async throws -> TenantUsage

    /// Creates a token and writes `action` (`token.create` or `sign_in`) with the token's id as detail.
    /// A sign-in's token names the credential that made it (`signedInAs`), which it lives and dies with.
    func createToken(
        tenantID: Int64, scope: TokenScope, label: String?, secretHash: String, expiresAt: Date?, signedInAs: SignInIdentity?,
        audit: AuditContext, recording action: AuditAction
    ) async throws -> AccessToken
    /// The live (not revoked, not expired) token with this secret hash and its tenant.
    func activeToken(secretHash: String) async throws -> (AccessToken, Tenant)?
    func tokens(tenantID: Int64) async throws -> [AccessToken]
    /// - Returns: whether a live token was revoked.
    func revokeToken(id: Int64, tenantID: Int64, audit: AuditContext) async throws -> Bool

    /// - Throws: `conflict` when a credential of this kind has this identifier already.
    func createCredential(tenantID: Int64, kind: CredentialKind, identifier: String, scope: TokenScope, secretHash: String, audit: AuditContext) async throws -> Credential
    /// The credential of this kind and identifier, with the hash of its secret.
    func credential(kind: CredentialKind, identifier: String) async throws -> (Credential, secretHash: String)?
    /// The tenant's credentials, revoked ones too, oldest first.
    func credentials(tenantID: Int64) async throws -> [Credential]
    /// Revokes the tenant's credential and every session token it made, and writes `credential.revoke`.
    /// - Returns: the credential; `nil` when the tenant has no live one of this kind and identifier.
    func revokeCredential(tenantID: Int64, kind: CredentialKind, identifier: String, audit: AuditContext) async throws -> Credential?
    /// Gives the tenant's live credential a new secret, ends every session token it made, and writes
    /// `credential.rotate`. - Returns: the credential; `nil` when there is no live one.
    func rotateCredential(
        tenantID: Int64, kind: CredentialKind, identifier: String, secretHash: String, audit: AuditContext
    ) async throws -> Credential?

    // MARK: Records

    func createRecord(tenantID: Int64, type: RecordType, externalIdentifier: String?, title: String?, audit: AuditContext) async throws -> Record
    func record(tenantID: Int64, uuid: UUID) async throws -> Record?
    func record(tenantID: Int64, id: Int64) async throws -> Record?
    func records(tenantID: Int64, matching query: RecordQuery, page: PageRequest) async throws -> Page<Record>
    /// Updates the fields that are non-nil. A double optional clears the field when the inner value is nil.
    func updateRecord(tenantID: Int64, uuid: UUID, title: String??, externalIdentifier: String??, audit: AuditContext) async throws -> Record?
    /// Deletes a record, its attachments, and files left without any attachment.
    func deleteRecord(tenantID: Int64, uuid: UUID, audit: AuditContext) async throws -> Bool

    // MARK: Files

    /// Claims the addresses of content about to be stored (one claim per address).
    /// - Throws: ``BlobLifecycleError/deletionInProgress(_:)`` while `gc` removes one of them.
    func claimBlobs(_ addresses: [BlobAddress: Int64]) async throws -> [BlobAddress: BlobClaim]
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
    /// Calls `visit` for every blob that files reference, with its recorded size.
    func forEachBlob(_ visit: (BlobAddress, Int64) async throws -> Void) async throws

    // MARK: Collecting content

    /// Marks for deletion up to `limit` blobs that no file references and that were released before
    /// `releasedBefore`, and returns them with deletions that were marked before `staleBefore` and never
    /// finished (their process died).
    func markBlobsForDeletion(releasedBefore: Date, staleBefore: Date, limit: Int) async throws -> [BlobDeletion]
    /// Marks content that has no blob row (left by a crash between promotion and commit) for deletion.
    /// - Returns: `nil` when a row exists (the content is claimed, or collected through its row).
    func markOrphanContentForDeletion(_ address: BlobAddress) async throws -> BlobDeletion?
    /// Removes the row of a deletion whose content is gone.
    func finishBlobDeletion(_ deletion: BlobDeletion) async throws

    // MARK: Attachments

    /// Links existing files to a record. Throws `notFound` when a file id is not the tenant's.
    func attach(fileIDs: [Int64], tenantID: Int64, link: AttachmentLink, audit: AuditContext) async throws -> [AttachedFile]
    func attachment(tenantID: Int64, uuid: UUID) async throws -> AttachedFile?
    func attachments(tenantID: Int64, recordID: Int64, page: PageRequest) async throws -> Page<AttachedFile>
    /// Updates the description (double optional as in ``updateRecord``) and renames the file when `fileName` is set.
    /// Changes an attachment's description, its file's name, and/or moves it to the record `recordID`.
    /// - Throws: `notFound` for another tenant's record; `conflict` when that record has the file already.
    func updateAttachment(
        tenantID: Int64, uuid: UUID, description: String??, fileName: String?, recordID: Int64?, audit: AuditContext
    ) async throws -> AttachedFile?
    /// Removes the link; deletes the file when it was its last link.
    func deleteAttachment(tenantID: Int64, uuid: UUID, audit: AuditContext) async throws -> AttachedFile?
    /// Attachments across records, oldest first, `limit` from `offset`, with the total that match.
    func attachments(tenantID: Int64, matching query: AttachmentQuery, offset: Int, limit: Int) async throws -> CountedPage<AttachedFile>

    // MARK: Leases

    /// Takes or renews the lease on the job `name` for `holder` until `expiresAt`: granted when nobody
    /// holds it, it expired (`now` is past its end), or `holder` has it already. So of several nodes
    /// running the same periodic job, one does it; when that one dies, another takes over after expiry.
    func acquireLease(_ name: String, holder: String, now: Date, expiresAt: Date) async throws -> Bool

    // MARK: Resumable uploads

    /// Creates a resumable upload, receiving, with nothing received yet.
    func createResumableUpload(_ new: NewResumableUpload, id: UUID, tenantID: Int64, createdAt: Date, expiresAt: Date) async throws -> ResumableUpload
    /// The tenant's upload, whatever its state; `nil` when there is none.
    func resumableUpload(tenantID: Int64, id: UUID) async throws -> ResumableUpload?
    /// What the tenant's unfinished resumable uploads hold against its quota: each its declared length,
    /// or what it received while the length is deferred; `excluding` one upload.
    func resumableReservation(tenantID: Int64, excluding: UUID?) async throws -> Int64
    /// Takes (or renews) the right to append at `offset` to a receiving upload for `holder` until
    /// `until`: granted when the upload has exactly `offset` bytes and nobody holds it, the holder's
    /// time ran out, or `holder` has it already.
    /// - Returns: the upload as it is under the lock; `nil` when not granted.
    func lockResumableUpload(tenantID: Int64, id: UUID, at offset: Int64, holder: String, now: Date, until: Date) async throws -> ResumableUpload?
    /// Gives the right up (when `holder` still has it).
    func unlockResumableUpload(id: UUID, holder: String) async throws
    /// Registers, before any byte is written, the staging key `holder`'s chunk goes to, so gc keeps it
    /// while the lock lives. - Returns: whether `holder` still holds the upload.
    func registerResumableStaging(id: UUID, holder: String, stagingKey: String) async throws -> Bool
    /// Adds a part at the upload's current offset, moves the offset past it, fixes a deferred length,
    /// pushes the expiry back and gives the upload up — only while `holder` holds the upload and the
    /// offset is the part's.
    /// - Returns: the updated upload; `nil` when the lock or the offset moved (nothing changed).
    func appendResumablePart(
        tenantID: Int64, id: UUID, part: ResumablePart, holder: String, length: Int64?, expiresAt: Date
    ) async throws -> ResumableUpload?
    /// The upload's parts in offset order.
    func resumableParts(id: UUID) async throws -> [ResumablePart]
    /// Marks a receiving upload failed (its content was refused) and drops its parts.
    /// - Returns: the parts, whose staged content the caller discards.
    func failResumableUpload(tenantID: Int64, id: UUID, reason: String) async throws -> [ResumablePart]
    /// Deletes the upload (terminated by its client).
    /// - Returns: its parts, whose staged content the caller discards; `nil` when there was no upload.
    func deleteResumableUpload(tenantID: Int64, id: UUID) async throws -> [ResumablePart]?
    /// Deletes uploads that expired before `cutoff` (receiving ones) or were settled before it.
    /// - Returns: their parts, whose staged content the caller discards.
    func deleteExpiredResumableUploads(before cutoff: Date) async throws -> [ResumablePart]
    /// The staging keys of every part still referenced and every chunk being written, which staged-content
    /// cleanup must keep.
    func resumableStagingKeys() async throws -> Set<String>

    // MARK: Signing keys

    /// Every signing key kept, oldest first.
    func signingKeys() async throws -> [SigningKey]
    /// Stores `candidate` as the signing key unless there is one already (one wins however many nodes
    /// start at once: SQLite's single writer, PostgreSQL's advisory lock). - Returns: every key kept.
    func ensureSigningKey(_ candidate: [UInt8]) async throws -> [SigningKey]
    /// Retires the signing key at `time`, stores `secret` as the new one, and deletes keys retired
    /// before `purgeBefore`. - Returns: every key kept.
    func rotateSigningKey(to secret: [UInt8], at time: Date, purgeBefore: Date) async throws -> [SigningKey]

    // MARK: Audit trail

    /// Writes events that belong to no change of this store (downloads, refused uploads, failed sign-ins).
    func appendAuditEvents(_ events: [AuditEvent]) async throws
    /// A tenant's events that match, in id order (``PageRequest/newestFirst`` reverses it).
    func auditEvents(tenantID: Int64, matching query: AuditQuery, page: PageRequest) async throws -> Page<AuditEvent>
    /// Deletes up to `limit` events (of every tenant) older than `cutoff`. - Returns: how many.
    func deleteAuditEvents(before cutoff: Date, limit: Int) async throws -> Int

    // MARK: Custom fields

    func createCustomField(tenantID: Int64, id: String, fieldKey: String, definition: CustomFieldDefinition, audit: AuditContext) async throws -> CustomField
    func customFields(tenantID: Int64, model: String?) async throws -> [CustomField]
    func customField(tenantID: Int64, id: String) async throws -> CustomField?
    func updateCustomField(tenantID: Int64, id: String, definition: CustomFieldDefinition, audit: AuditContext) async throws -> CustomField?
    func deleteCustomField(tenantID: Int64, id: String, audit: AuditContext) async throws -> Bool
}
