package import AttacheCore
package import Foundation

/// ``AuditStore``.
extension InMemoryMetadataStore {
    package func appendAuditEvents(_ events: [AuditEvent]) throws {
        try transaction { tables in try tables.writeAuditEvents(events) }
    }

    package func auditEvents(tenantID: Int64, matching query: AuditQuery, page: PageRequest) -> Page<AuditEvent> {
        let since = query.since?.roundedToMilliseconds
        let matching = tables.auditEvents.filter { event in
            event.tenantID == tenantID
                && (query.recordUUID.map { event.recordUUID == $0 } ?? true)
                && (query.fileID.map { event.fileID == $0 } ?? true)
                && (query.action.map { event.action == $0 } ?? true)
                && (since.map { event.time >= $0 } ?? true)
        }
        return InMemoryTables.page(matching, page: page, number: \.id)
    }

    package func deleteAuditEvents(before cutoff: Date, limit: Int) -> Int {
        InMemoryTables.removeOldest(&tables.auditEvents, before: cutoff, limit: limit, time: \.time)
    }
}
