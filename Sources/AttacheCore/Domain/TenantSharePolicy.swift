public import Foundation

/// What a tenant allows of share links (`attache tenant update`): whether they may be made at all, a
/// password on every one, the longest a link may live and the life a link gets when its maker names
/// none. Checked when a share is made or changed; turning shares off also stops every link already out.
public struct TenantSharePolicy: Sendable, Hashable, Codable {
    public var allowsShares: Bool
    public var requiresPassword: Bool
    /// The longest a share may live, from when it was made; `nil`: no limit.
    public var maximumLifetime: TimeInterval?
    /// The life of a share made without an expiry; `nil`: it lives until revoked (or the maximum).
    public var defaultLifetime: TimeInterval?

    public init(allowsShares: Bool = true, requiresPassword: Bool = false, maximumLifetime: TimeInterval? = nil, defaultLifetime: TimeInterval? = nil) {
        self.allowsShares = allowsShares
        self.requiresPassword = requiresPassword
        self.maximumLifetime = maximumLifetime
        self.defaultLifetime = defaultLifetime
    }

    /// Links allowed, no password required, no expiry imposed.
    public static let open = TenantSharePolicy()
}
