public import Foundation
extension AttacheService {
    /// Sets a tenant's quota (`nil` limits: none). - Throws: `notFound`, `invalidInput` for a negative limit.
    public func setQuota(tenantSlug: String, _ quota: TenantQuota) async throws -> Tenant {
        guard (quota.maximumBytes ?? 0) >= 0, (quota.maximumFiles ?? 0) >= 0 else {
            throw AttacheError(.invalidInput, "A quota is a number of bytes or files, zero or more.")
        }
        return try await changeTenant(tenantSlug, store: { try await metadata.setQuota(quota, tenantID: $0) }, apply: { $0.quota = quota })
    }

    /// Sets what a tenant allows of share links. - Throws: `notFound`; `invalidInput` for a lifetime
    /// that is not positive, or a default longer than the maximum.
    public func setSharePolicy(tenantSlug: String, _ policy: TenantSharePolicy) async throws -> Tenant {
        guard (policy.maximumLifetime ?? 1) > 0, (policy.defaultLifetime ?? 1) > 0 else {
            throw AttacheError(.invalidInput, "A share lifetime is a positive time.")
        }
        if let longest = policy.maximumLifetime, let usual = policy.defaultLifetime, usual > longest {
            throw AttacheError(.invalidInput, "The default share lifetime cannot be longer than the maximum.")
        }
        return try await changeTenant(tenantSlug, store: { try await metadata.setSharePolicy(policy, tenantID: $0) }, apply: { $0.sharePolicy = policy })
    }

    /// Sets how long a tenant keeps earlier versions. - Throws: `notFound`; `invalidInput` for keeping
    /// fewer than one version or an age that is not positive.
    public func setVersionPolicy(tenantSlug: String, _ policy: TenantVersionPolicy) async throws -> Tenant {
        guard (policy.keepLast ?? 1) >= 1, (policy.maximumAge ?? 1) > 0 else {
            throw AttacheError(.invalidInput, "Versions kept are one or more (the current one counts), and their age a positive time.")
        }
        return try await changeTenant(tenantSlug, store: { try await metadata.setVersionPolicy(policy, tenantID: $0) }, apply: { $0.versionPolicy = policy })
    }

    /// One change of a tenant's settings: `store` writes it (`false`: the tenant is gone), `apply` gives
    /// the tenant as it is now. - Throws: `notFound`.
    private func changeTenant(
        _ slug: String, store: (Int64) async throws -> Bool, apply: (inout Tenant) -> Void
    ) async throws -> Tenant {
        var tenant = try await tenant(slug: slug)
        guard try await store(tenant.id) else {
            throw AttacheError(.notFound, "There is no tenant '\(slug)'.")
        }
        apply(&tenant)
        return tenant
    }

    /// What the caller's tenant stores, and its quota.
    public func usage(_ principal: Principal) async throws -> TenantUsage {
        try await metadata.usage(tenantID: principal.tenant.id)
    }

    /// What a tenant stores, for the CLI.
    public func usage(tenantID: Int64) async throws -> TenantUsage {
        try await metadata.usage(tenantID: tenantID)
    }

    /// Refuses, before its body is read, an upload that cannot fit: `bytes` (the declared length) more
    /// than the tenant's room, or no room for one more file. The commit checks again, exactly.
    /// - Throws: `quotaExceeded`.
    /// What the tenant's unfinished resumable uploads hold (their declared lengths, or what they
    /// received while deferred) counts as used: staged bytes cannot get around the quota.
    public func checkQuota(_ principal: Principal, incomingBytes bytes: Int64, excludingUpload: UUID? = nil) async throws {
        guard !principal.tenant.quota.isUnlimited else { return }
        if let refusal = QuotaRefusal.passed(by: try await usageWithReservations(principal, excluding: excludingUpload), bytes: bytes, files: 1) {
            throw AttacheError.quotaExceeded(refusal)
        }
    }

    /// The tenant's usage with its resumable uploads' reservations counted as stored bytes.
    func usageWithReservations(_ principal: Principal, excluding: UUID?) async throws -> TenantUsage {
        var usage = try await metadata.usage(tenantID: principal.tenant.id)
        if usage.quota.maximumBytes != nil {
            usage.bytes += try await metadata.resumableReservation(tenantID: principal.tenant.id, excluding: excluding)
        }
        return usage
    }

    /// What the tenant stores beside its byte quota, for an upload to check its bytes against as they
    /// arrive; `nil` without a byte quota.
    func byteQuotaUsage(_ principal: Principal) async throws -> TenantUsage? {
        guard principal.tenant.quota.maximumBytes != nil else { return nil }
        return try await metadata.usage(tenantID: principal.tenant.id)
    }
}
