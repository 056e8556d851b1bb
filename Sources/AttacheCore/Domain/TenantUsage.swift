/// What a tenant stores now, beside its quota.
public struct TenantUsage: Sendable, Hashable, Codable {
    /// Bytes of distinct content (deduplicated content counts once).
    public var bytes: Int64
    public var files: Int64
    public var quota: TenantQuota

    public init(bytes: Int64, files: Int64, quota: TenantQuota) {
        self.bytes = bytes
        self.files = files
        self.quota = quota
    }

    /// Whether adding `bytes` more (and `files` more) stays within the quota.
    public func allows(bytes more: Int64, files moreFiles: Int64 = 0) -> Bool {
        if let maximum = quota.maximumBytes, more > maximum - bytes { return false }
        if let maximum = quota.maximumFiles, moreFiles > maximum - files { return false }
        return true
    }
}
