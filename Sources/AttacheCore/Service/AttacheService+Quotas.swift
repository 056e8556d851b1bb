extension AttacheService {
    /// Sets a tenant's quota (`nil` limits: none). - Throws: `notFound`, `invalidInput` for a negative limit.
    public func setQuota(tenantSlug: String, _ quota: TenantQuota) async throws -> Tenant {
        guard (quota.maximumBytes ?? 0) >= 0, (quota.maximumFiles ?? 0) >= 0 else {
            throw AttacheError(.invalidInput, "A quota is a number of bytes or files, zero or more.")
        }
        let tenant = try await tenant(slug: tenantSlug)
        guard try await metadata.setQuota(quota, tenantID: tenant.id) else {
            throw AttacheError(.notFound, "There is no tenant '\(tenantSlug)'.")
        }
        var updated = tenant
        updated.quota = quota
        return updated
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
    public func checkQuota(_ principal: Principal, incomingBytes bytes: Int64) async throws {
        guard !principal.tenant.quota.isUnlimited else { return }
        let usage = try await metadata.usage(tenantID: principal.tenant.id)
        if let refusal = QuotaRefusal.passed(by: usage, bytes: bytes, files: 1) {
            throw AttacheError.quotaExceeded(refusal)
        }
    }

    /// What the tenant stores beside its byte quota, for an upload to check its bytes against as they
    /// arrive; `nil` without a byte quota.
    func byteQuotaUsage(_ principal: Principal) async throws -> TenantUsage? {
        guard principal.tenant.quota.maximumBytes != nil else { return nil }
        return try await metadata.usage(tenantID: principal.tenant.id)
    }
}
