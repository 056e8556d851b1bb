public import Foundation

/// Leases of periodic jobs, so of several nodes one runs each. (A role of ``MetadataStore``.)
public protocol JobLeaseStore: Sendable {
    /// Takes or renews the lease on the job `name` for `holder` until `expiresAt`: granted when nobody
    /// holds it, it expired (`now` is past its end), or `holder` has it already. So of several nodes
    /// running the same periodic job, one does it; when that one dies, another takes over after expiry.
    func acquireLease(_ name: String, holder: String, now: Date, expiresAt: Date) async throws -> Bool
}
