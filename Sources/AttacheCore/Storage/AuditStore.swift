public import Foundation

/// The audit trail, beyond the events changes write themselves. (A role of ``MetadataStore``.)
public protocol AuditStore: Sendable {
    /// Writes events that belong to no change of this store (downloads, refused uploads, failed sign-ins).
    func appendAuditEvents(_ events: [AuditEvent]) async throws
    /// A tenant's events that match, in id order (``PageRequest/newestFirst`` reverses it).
    func auditEvents(tenantID: Int64, matching query: AuditQuery, page: PageRequest) async throws -> Page<AuditEvent>
    /// Deletes up to `limit` events (of every tenant) older than `cutoff`. - Returns: how many.
    func deleteAuditEvents(before cutoff: Date, limit: Int) async throws -> Int
}
