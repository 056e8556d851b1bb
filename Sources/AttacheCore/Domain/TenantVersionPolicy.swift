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

    /// Why retention deleted an earlier version, as the audit trail says it: the rule that did.
    public func reason(beyondKept: Bool) -> String {
        if beyondKept { return "beyond the last \(keepLast ?? 0) kept" }
        let seconds = Int64(maximumAge ?? 0)
        if seconds % 86_400 == 0 { return "older than \(seconds / 86_400) day(s)" }
        if seconds % 3600 == 0 { return "older than \(seconds / 3600) hour(s)" }
        return "older than \(seconds) second(s)"
    }
}
