/// A request through a live share link: the share, and the caller it acts as (read-only, in the
/// share's tenant, audited as the share).
public struct SharedAccess: Sendable {
    public var share: Share
    public var principal: Principal
    /// The hash of the share's password (``PasswordHash``), if it has one.
    let passwordHash: String?

    /// Names the share's current password without revealing anything of it (a digest of its salted
    /// hash), or `nil` when it has none: what proves an unlock names it, so setting a new password
    /// locks out everyone who gave the old one.
    public var passwordVersion: String? {
        passwordHash.map { String(TokenSecret.hash($0).prefix(32)) }
    }
}
