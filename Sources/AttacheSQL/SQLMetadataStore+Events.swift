import AttacheCore
import Foundation
import SQLKit

/// ``EventStore``: the change feed in `change_events`, numbered from `tenants.event_counter`.
extension SQLMetadataStore {
    public func changeEvents(tenantID: Int64, after: Int64, types: Set<ChangeEventType>?, limit: Int) async throws -> ChangeFeedRead {
        try await database.read { db in
            // The newest number first: every event up to it has committed (its transaction held the
            // counter until it did), so the events read below it are all there will ever be.
            guard let tenant = try await db.raw("SELECT event_counter FROM tenants WHERE id = \(bind: tenantID)").first() else {
                throw SQLStoreError.missingReturnedRow(statement: "a tenant's event counter")
            }
            let newest = try tenant.int64("event_counter")
            let oldestRow = try await db.raw("SELECT MIN(number) AS oldest FROM change_events WHERE tenant_id = \(bind: tenantID)").first()
            let oldest = try oldestRow?.decode(column: "oldest", as: Int64?.self) ?? newest + 1
            var sql: SQLQueryString = """
                SELECT \(unsafeRaw: SQLColumns.changeEvent) FROM change_events
                WHERE tenant_id = \(bind: tenantID) AND number > \(bind: after) AND number <= \(bind: newest)
                """
            if let types {
                sql += " AND type IN (\(binds: types.map(\.rawValue).sorted()))"
            }
            sql += " ORDER BY number LIMIT \(literal: limit)"
            let events = try await db.raw(sql).all().map { try $0.changeEvent() }
            return ChangeFeedRead(events: events, newest: newest, oldest: oldest)
        }
    }

    public func deleteChangeEvents(before cutoff: Date, limit: Int) async throws -> Int {
        try await database.write { db in
            try await db.raw("""
                DELETE FROM change_events WHERE (tenant_id, number) IN (
                    SELECT tenant_id, number FROM change_events WHERE occurred_at < \(bind: cutoff.millisecondsSince1970)
                    ORDER BY occurred_at LIMIT \(literal: limit))
                RETURNING number
                """).all().count
        }
    }

    /// Writes the change events of `audit` with the statements of the transaction `db` is in. Each
    /// tenant's numbers come from its counter row, which the transaction holds until it commits: a
    /// second transaction of the tenant waits for the first, so numbers follow commit order and a
    /// rolled-back transaction leaves no gap. (Tenants in id order, so two transactions never wait
    /// for each other.) The events' webhook deliveries are made here too.
    static func writeChangeEvents(of audit: [AuditEvent], in db: any SQLDatabase) async throws {
        let events = ChangeEvent.of(audit)
        guard !events.isEmpty else { return }
        let byTenant = Dictionary(grouping: events, by: \.tenantID)
        for tenantID in byTenant.keys.sorted() {
            guard let tenantEvents = byTenant[tenantID] else { continue }
            let count = Int64(tenantEvents.count)
            guard let counter = try await db.raw("""
                UPDATE tenants SET event_counter = event_counter + \(bind: count) WHERE id = \(bind: tenantID) RETURNING event_counter
                """).first()
            else {
                throw SQLStoreError.missingReturnedRow(statement: "next event numbers")
            }
            let first = try counter.int64("event_counter") - count + 1
            var sql: SQLQueryString = """
                INSERT INTO change_events (tenant_id, number, type, occurred_at, actor, record_uuid, attachment_uuid, file_id, file_name, size, detail) VALUES
                """
            for (index, event) in tenantEvents.enumerated() {
                sql += index == 0 ? " " : ", "
                sql += """
                    (\(bind: tenantID), \(bind: first + Int64(index)), \(bind: event.type.rawValue), \(bind: event.time.millisecondsSince1970),
                     \(bind: event.actor), \(bind: event.recordUUID?.databaseText), \(bind: event.attachmentUUID?.databaseText),
                     \(bind: event.fileID), \(bind: event.fileName), \(bind: event.size), \(bind: event.detail))
                    """
            }
            try await db.raw(sql).run()
            let numbered = tenantEvents.enumerated().map { index, event in
                var numbered = event
                numbered.number = first + Int64(index)
                return numbered
            }
            try await queueWebhookDeliveries(of: numbered, tenantID: tenantID, in: db)
        }
    }
}

extension SQLColumns {
    static let changeEvent = "number, type, occurred_at, tenant_id, actor, record_uuid, attachment_uuid, file_id, file_name, size, detail"
}

extension SQLRow {
    func changeEvent() throws -> ChangeEvent {
        ChangeEvent(
            number: try int64("number"), type: try enumValue("type", as: ChangeEventType.self), time: try date("occurred_at"), tenantID: try int64("tenant_id"), actor: try string("actor"),
            recordUUID: try decodeNil(column: "record_uuid") ? nil : uuid("record_uuid"),
            attachmentUUID: try decodeNil(column: "attachment_uuid") ? nil : uuid("attachment_uuid"), fileID: try optionalInt64("file_id"),
            fileName: try optionalString("file_name"), size: try optionalInt64("size"), detail: try optionalString("detail")
        )
    }
}
