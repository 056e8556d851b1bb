/// Which of a tenant's limits an upload would pass, and where the tenant stands: carried by a
/// `quotaExceeded` error so every face can say it (the native API as the problem's `quota` member).
public struct QuotaRefusal: Sendable, Hashable {
    public enum Limit: String, Sendable {
        case bytes, files
    }

    public var limit: Limit
    /// The quota's maximum of that limit.
    public var maximum: Int64
    /// What the tenant stores now, of that limit.
    public var used: Int64

    public init(limit: Limit, maximum: Int64, used: Int64) {
        self.limit = limit
        self.maximum = maximum
        self.used = used
    }

    /// What is left of the limit (never negative).
    public var remaining: Int64 { max(maximum - used, 0) }

    /// The limit `usage` would pass with `bytes` and `files` more; `nil` when both fit.
    public static func passed(by usage: TenantUsage, bytes: Int64, files: Int64) -> QuotaRefusal? {
        if let maximum = usage.quota.maximumBytes, bytes > maximum - usage.bytes {
            return QuotaRefusal(limit: .bytes, maximum: maximum, used: usage.bytes)
        }
        if let maximum = usage.quota.maximumFiles, files > maximum - usage.files {
            return QuotaRefusal(limit: .files, maximum: maximum, used: usage.files)
        }
        return nil
    }
}
