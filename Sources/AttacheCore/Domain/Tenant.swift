import Foundation

/// One client environment. Every record, file, attachment and token belongs to exactly one tenant.
public struct Tenant: Sendable, Hashable, Codable {
    public var id: Int64
    /// Short, URL-safe, unique name (`[a-z0-9][a-z0-9-]*`).
    public var slug: String
    public var name: String
    public var createdAt: Date
    public var quota: TenantQuota
    public var sharePolicy: TenantSharePolicy
    public var versionPolicy: TenantVersionPolicy

    public init(
        id: Int64, slug: String, name: String, createdAt: Date, quota: TenantQuota = .unlimited, sharePolicy: TenantSharePolicy = .open,
        versionPolicy: TenantVersionPolicy = .keepAll
    ) {
        self.versionPolicy = versionPolicy
        self.id = id
        self.slug = slug
        self.name = name
        self.createdAt = createdAt
        self.quota = quota
        self.sharePolicy = sharePolicy
    }
}
