/// Limits on what one tenant may store; `nil` means no limit.
public struct TenantQuota: Sendable, Hashable, Codable {
    /// Bytes of content, each distinct content counted once per tenant (as it is stored).
    public var maximumBytes: Int64?
    public var maximumFiles: Int64?

    public init(maximumBytes: Int64? = nil, maximumFiles: Int64? = nil) {
        self.maximumBytes = maximumBytes
        self.maximumFiles = maximumFiles
    }

    public static let unlimited = TenantQuota()

    public var isUnlimited: Bool { maximumBytes == nil && maximumFiles == nil }
}
