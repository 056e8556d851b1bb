public import Foundation
import Logging

extension AttacheService {
    /// The errors that refuse an upload for what it holds, audited as `file.refuse`: malware, the quota,
    /// the size limit, the type. (A malformed or abandoned request is no refusal; it is only logged.)
    static let uploadRefusals: Set<AttacheError.Code> = [.contentInfected, .quotaExceeded, .contentTooLarge, .unsupportedMediaType]

    /// The caller's tenant's audit events that match, oldest first (or newest, as `page` says).
    /// - Throws: `forbidden` unless the caller has an admin token.
    public func auditEvents(_ principal: Principal, matching query: AuditQuery, page: PageRequest) async throws -> Page<AuditEvent> {
        try principal.require(.admin)
        return try await metadata.auditEvents(tenantID: principal.tenant.id, matching: query, page: page)
    }

    /// A tenant's audit events, for the CLI.
    public func auditEvents(tenantSlug: String, matching query: AuditQuery, page: PageRequest) async throws -> Page<AuditEvent> {
        try await metadata.auditEvents(tenantID: tenant(slug: tenantSlug).id, matching: query, page: page)
    }

    /// Writes a `file.refuse` event (and counts the refusal by reason) when `error` refused an upload
    /// of `principal`'s for its content (see ``uploadRefusals``); other errors are not recorded. Never
    /// throws: the caller is about to answer with `error`, and a failure to audit is logged.
    /// - Parameters:
    ///   - record: the record the upload was for, if any.
    ///   - size: the request's declared length, if it had one.
    public func recordRefusedUpload(_ principal: Principal, error: any Error, record: Record? = nil, size: Int64? = nil) async {
        guard let refusal = error as? AttacheError, Self.uploadRefusals.contains(refusal.code) else { return }
        metrics.refusedUpload(reason: refusal.code.name)
        let detail = AuditEvent.refusalDetail(of: refusal)
        let event = principal.auditContext().event(.fileRefuse, tenantID: principal.tenant.id, recordUUID: record?.uuid, size: size, detail: detail)
        do {
            try await metadata.appendAuditEvents([event])
        } catch {
            logger.error("refused upload not audited", metadata: ["detail": "\(detail)", "error": "\(String(reflecting: error))"])
        }
    }

    /// Deletes audit events older than `retention` (all tenants), and the change events and ended
    /// webhook deliveries of the same age, in batches. - Returns: how many of each.
    public func trimAuditTrail(olderThan retention: TimeInterval, now: Date = Date()) async throws -> (audit: Int, changes: Int, deliveries: Int) {
        let cutoff = now.addingTimeInterval(-retention)
        let audit = try await Self.deleteInBatches { try await metadata.deleteAuditEvents(before: cutoff, limit: $0) }
        let changes = try await Self.deleteInBatches { try await metadata.deleteChangeEvents(before: cutoff, limit: $0) }
        let deliveries = try await Self.deleteInBatches { try await metadata.deleteWebhookDeliveries(before: cutoff, limit: $0) }
        return (audit, changes, deliveries)
    }

    /// Calls `deleteBatch` with a batch size until it deletes fewer than that. - Returns: how many in all.
    static func deleteInBatches(_ deleteBatch: (Int) async throws -> Int) async throws -> Int {
        let size = collectionBatchSize * 5
        var removed = 0
        while true {
            let batch = try await deleteBatch(size)
            removed += batch
            if batch < size { return removed }
        }
    }
}
