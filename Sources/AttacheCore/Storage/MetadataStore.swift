public import Foundation

/// Where a new file should be linked as it is stored.
public struct AttachmentLink: Sendable, Hashable {
    public var recordID: Int64
    public var description: String?
    /// The custom-field slot per file, by position in the inserted list (HighLevel uploads).
    public var slots: [AttachmentSlot?]
    /// The drop link the files arrive through: the insert counts them and their bytes against its
    /// limits in the same transaction, and stores nothing when they would go past one or the link is
    /// no longer live (`linkExhausted`, `notFound`).
    public var dropShare: UUID?
    /// The attachment each file becomes the new version of, by position in the inserted list, instead
    /// of a new attachment (`nil`, or past the list's end: a new attachment). The insert checks, under
    /// the attachment's lock, that it still shows the content named, keeps the file it showed as its
    /// previous version, and shows the new one — in the file's slot, when it has one
    /// (`preconditionFailed` when another change came first, `notFound` when the attachment is gone).
    public var newVersions: [VersionPrecondition?]
    /// The category and tags every new attachment gets (normalized; the category must exist).
    public var category: String?
    public var tags: [String] = []

    public init(
        recordID: Int64, description: String?, slots: [AttachmentSlot?] = [], dropShare: UUID? = nil, newVersions: [VersionPrecondition?] = []
    ) {
        self.recordID = recordID
        self.dropShare = dropShare
        self.newVersions = newVersions
        self.description = description
        self.slots = slots
    }
}

/// Tenants, tokens, records, files, attachments and the blob references behind them: the roles
/// ``TenantStore``, ``CredentialStore``, ``CatalogueStore``, ``BlobLedger``, ``ResumableUploadStore``,
/// ``AuditStore``, ``JobLeaseStore``, ``SigningKeyStore``, ``ShareStore``, ``SearchIndex``, ``DerivationStore``,
/// ``EventStore``, ``WebhookStore``, ``VersionStore`` and ``CategoryStore``, each in a file of its own, where the SQL store's seams are. Implementations:
/// SQLite (embedded default) and PostgreSQL.
///
/// Every method that takes a `tenantID` only ever reads or writes rows of that tenant.
///
/// Every method that changes records, files, attachments or tokens takes an ``AuditContext`` and writes
/// the change's audit events (see ``AuditAction``) in the change's own transaction, and with them its
/// change events (``ChangeEvent``): a change that commits always has its events, and one that rolls
/// back has none.
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
public protocol MetadataStore: TenantStore, CredentialStore, CatalogueStore, BlobLedger, ResumableUploadStore, AuditStore, JobLeaseStore,
    SigningKeyStore, ShareStore, SearchIndex, DerivationStore, EventStore, WebhookStore, VersionStore, CategoryStore
{
    /// Brings the schema up to date. Safe to run concurrently with a running server.
    func migrate() async throws
    /// Throws when the database cannot be reached.
    func checkHealth() async throws
    /// Releases connections.
    func shutdown() async
}
