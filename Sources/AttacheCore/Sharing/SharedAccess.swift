/// A request through a live share link: the share, and the caller it acts as (read-only, in the
/// share's tenant, audited as the share).
public struct SharedAccess: Sendable {
    public var share: Share
    public var principal: Principal
    /// The hash of the share's password (``PasswordHash``), if it has one.
    let passwordHash: String?
}
