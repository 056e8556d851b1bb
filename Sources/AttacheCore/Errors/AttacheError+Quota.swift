extension AttacheError {
    /// The refusal of an upload that does not fit the tenant's quota.
    public static func quotaExceeded(_ quota: TenantQuota) -> AttacheError {
        let limits = [quota.maximumBytes.map { "\($0) bytes" }, quota.maximumFiles.map { "\($0) files" }]
            .compactMap { $0 }.joined(separator: " and ")
        return AttacheError(.quotaExceeded, "The upload does not fit the tenant's quota of \(limits); nothing was stored.")
    }
}
