public import Foundation

/// How long a tenant keeps the earlier versions of its attachments' files (`attache tenant update
/// --versions-keep --versions-max-age`): the last `keepLast` versions of each attachment (the current
/// one counted), and none older than `maximumAge`. The server's own collection (`gc`, under its lease,
/// on one node) deletes the rest — no cron. The current version is never deleted by retention.
public struct TenantVersionPolicy: Sendable, Hashable, Codable {
    /// Versions kept per attachment, the current one counted (at least 1); `nil`: every version.
    public var keepLast: Int?
    /// The oldest an earlier version may be; `nil`: any age.
    public var maximumAge: TimeInterval?

    public init(keepLast: Int? = nil, maximumAge: TimeInterval? = nil) {
        self.keepLast = keepLast
        self.maximumAge = maximumAge
    }

    /// Every version is kept.
    public static let keepAll = TenantVersionPolicy()

    public var keepsAll: Bool { keepLast == nil && maximumAge == nil }
}
