public import Foundation

/// An attachment's versions. (A role of ``MetadataStore``.)
///
/// The attachment's own row holds its current version (the file it shows, its number, who made it and
/// when); each earlier version is a row that names its file. New versions are made by the insert that
/// stores their file (``AttachmentLink/newVersions``). A file row a version names is a reference like
/// an attachment's: the file, and its content, stay until no attachment and no version names it; quotas
/// count each distinct content once, so versions of the same bytes cost nothing more.
public protocol VersionStore: Sendable {
    /// The attachment's versions, newest first (the current one first); `nil` when the tenant has no
    /// such attachment.
    func attachmentVersions(tenantID: Int64, attachmentUUID: UUID) async throws -> [AttachmentVersion]?

    /// Makes version `number`'s file the current one again, as a new version (no bytes copied), when
    /// the attachment still shows `expectedSHA256` (any content when `nil`).
    /// - Returns: the attachment as it now is; `nil` when the tenant has no such attachment.
    /// - Throws: `notFound` for a version it does not have; `preconditionFailed` when it no longer
    ///   shows `expectedSHA256`.
    func restoreAttachmentVersion(
        tenantID: Int64, attachmentUUID: UUID, number: Int64, expectedSHA256: String?, audit: AuditContext
    ) async throws -> AttachedFile?

    /// Deletes an earlier version; its file goes when nothing else names it.
    /// - Returns: the version deleted; `nil` when the tenant has no such attachment or version.
    /// - Throws: `conflict` for the current version (delete the attachment, or restore another first).
    func deleteAttachmentVersion(tenantID: Int64, attachmentUUID: UUID, number: Int64, audit: AuditContext) async throws -> AttachmentVersion?

    /// Deletes up to `limit` earlier versions (of every tenant) that their tenant's
    /// ``TenantVersionPolicy`` no longer keeps at `now`, each audited by the system with the rule
    /// that removed it; their files go when nothing else names them. - Returns: how many.
    func pruneVersions(now: Date, limit: Int) async throws -> Int
}
