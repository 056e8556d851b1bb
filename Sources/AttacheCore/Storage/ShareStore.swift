public import Foundation

/// Share links: their rows (a hash of each token and password, never the secrets) and their download
/// counts. Every change writes its audit event in its own transaction. (A role of ``MetadataStore``.)
public protocol ShareStore: Sendable {
    /// Stores a new share and writes `share.create`.
    func createShare(_ share: Share, tokenHash: String, passwordHash: String?, audit: AuditContext) async throws -> Share
    /// The tenant's shares, newest first (then by id): all, or those of a record (its own and its
    /// attachments'), or of an attachment; a page of them.
    func shares(tenantID: Int64, recordUUID: UUID?, attachmentUUID: UUID?, page: NewestFirstPageRequest) async throws -> Page<Share>
    func share(tenantID: Int64, id: UUID) async throws -> Share?
    /// The share with this token hash, revoked or not, with its password hash.
    func share(tokenHash: String) async throws -> (Share, passwordHash: String?)?
    /// Changes a share that is not revoked and writes `share.update`. - Returns: `nil` when there is none.
    func updateShare(tenantID: Int64, id: UUID, change: ShareChange, audit: AuditContext) async throws -> Share?
    /// Revokes a share and writes `share.revoke`. - Returns: `nil` when there is no live one.
    func revokeShare(tenantID: Int64, id: UUID, audit: AuditContext) async throws -> Share?
    /// Counts one download when the share is live at `now` and under its limit, in one step, so that
    /// however many requests race, no more than the limit are counted.
    /// - Returns: the share after counting; `nil` when nothing was counted.
    func countShareDownload(id: UUID, now: Date) async throws -> Share?
    /// Decides one password attempt of `client` on the share by `limit` from the attempts stored, and
    /// stores the result, in one step: racing attempts, on any node, are decided one after the other.
    /// - Returns: when the client may try again, if refused; `nil` when admitted.
    func admitSharePassword(shareID: UUID, client: String, limit: PasswordGuessLimit, now: Date) async throws -> Date?
    /// Forgets the client's attempts on the share: it gave the right password.
    func forgetSharePasswordAttempts(shareID: UUID, client: String) async throws
    /// Forgets attempts last counted before `before` whose lock-out, if any, has run out.
    /// - Returns: how many clients' attempts were forgotten.
    func pruneSharePasswordAttempts(before: Date) async throws -> Int
}
