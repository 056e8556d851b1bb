/// Tenants, their quotas and what they store. (A role of ``MetadataStore``.)
public protocol TenantStore: Sendable {
    func createTenant(slug: String, name: String) async throws -> Tenant
    func tenant(slug: String) async throws -> Tenant?
    func tenant(id: Int64) async throws -> Tenant?
    func tenants() async throws -> [Tenant]
    /// Sets a tenant's quota. - Returns: `false` when there is no such tenant.
    func setQuota(_ quota: TenantQuota, tenantID: Int64) async throws -> Bool
    /// Sets what a tenant allows of share links. - Returns: `false` when there is no such tenant.
    func setSharePolicy(_ policy: TenantSharePolicy, tenantID: Int64) async throws -> Bool
    /// Sets how long a tenant keeps earlier versions. - Returns: `false` when there is no such tenant.
    func setVersionPolicy(_ policy: TenantVersionPolicy, tenantID: Int64) async throws -> Bool
    /// What the tenant stores now, and its quota.
    func usage(tenantID: Int64) async throws -> TenantUsage
}
