import AttacheCore
import Foundation
import SQLKit

extension SQLMetadataStore {
    public func appendAuditEvents(_ events: [AuditEvent]) async throws {
        guard !events.isEmpty else { return }
        try await database.write { db in
            try await Self.writeAuditEvents(events, in: db)
        }
    }

    public func auditEvents(tenantID: Int64, matching query: AuditQuery, page: PageRequest) async throws -> Page<AuditEvent> {
        var sql: SQLQueryString = "SELECT \(unsafeRaw: SQLColumns.auditEvent) FROM audit_events WHERE tenant_id = \(bind: tenantID)"
        if let record = query.recordUUID { sql += " AND record_uuid = \(bind: record.databaseText)" }
        if let file = query.fileID { sql += " AND file_id = \(bind: file)" }
        if let action = query.action { sql += " AND action = \(bind: action.rawValue)" }
        if let since = query.since { sql += " AND occurred_at >= \(bind: since.millisecondsSince1970)" }
        sql += page.keysetClause(on: "number")
        let statement = sql
        let events = try await database.read { db in
            try await db.raw(statement).all().map { try $0.auditEvent() }
        }
        return PageCursor.page(events, limit: page.limit, id: \.id)
    }

    public func deleteAuditEvents(before cutoff: Date, limit: Int) async throws -> Int {
        try await database.write { db in
            try await db.raw("""
                DELETE FROM audit_events WHERE id IN (
                    SELECT id FROM audit_events WHERE occurred_at < \(bind: cutoff.millisecondsSince1970)
                    ORDER BY occurred_at LIMIT \(literal: limit))
                RETURNING id
                """).all().count
        }
    }

    /// Writes `events` with the statements of the transaction `db` is in, each numbered in its tenant,
    /// and their change events (``writeChangeEvents(of:in:)``).
    static func writeAuditEvents(_ events: [AuditEvent], in db: any SQLDatabase) async throws {
        guard !events.isEmpty else { return }
        let flavor = SQLFlavor(of: db)
        var numbers: [Int64] = []
        var drawn: [Int64: [Int64]] = [:]
        for (tenantID, count) in events.reduce(into: [Int64: Int](), { $0[$1.tenantID, default: 0] += 1 }) {
            drawn[tenantID] = Array(try await flavor.nextNumbers(count: count, in: .auditEvents, tenantID: tenantID, in: db).reversed())
        }
        for event in events {
            guard let number = drawn[event.tenantID]?.popLast() else { throw SQLStoreError.missingReturnedRow(statement: "next audit number") }
            numbers.append(number)
        }
        var sql: SQLQueryString = """
            INSERT INTO audit_events (number, tenant_id, occurred_at, action, actor, record_uuid, file_id, attachment_uuid, size,
                                      client_address, request_id, detail, file_name) VALUES
            """
        for (index, event) in events.enumerated() {
            sql += index == 0 ? " " : ", "
            sql += """
                (\(bind: numbers[index]), \(bind: event.tenantID), \(bind: event.time.millisecondsSince1970), \(bind: event.action.rawValue),
                 \(bind: event.actor.text), \(bind: event.recordUUID?.databaseText), \(bind: event.fileID),
                 \(bind: event.attachmentUUID?.databaseText), \(bind: event.size), \(bind: event.clientAddress),
                 \(bind: event.requestID), \(bind: event.detail), \(bind: event.fileName))
                """
        }
        try await db.raw(sql).run()
        try await writeChangeEvents(of: events, in: db)
    }
}

extension SQLColumns {
    static let auditEvent = """
        number AS id, tenant_id, occurred_at, action, actor, record_uuid, file_id, attachment_uuid, size, client_address, request_id, detail,
        file_name
        """
}

extension SQLRow {
    func auditEvent() throws -> AuditEvent {
        guard let actor = AuditActor(text: try string("actor")) else {
            throw SQLStoreError.corruptRow(column: "actor")
        }
        return AuditEvent(
            id: try int64("id"),
            time: try date("occurred_at"),
            tenantID: try int64("tenant_id"),
            action: try enumValue("action", as: AuditAction.self),
            actor: actor,
            recordUUID: try decodeNil(column: "record_uuid") ? nil : uuid("record_uuid"),
            fileID: try optionalInt64("file_id"),
            fileName: try optionalString("file_name"),
            attachmentUUID: try decodeNil(column: "attachment_uuid") ? nil : uuid("attachment_uuid"),
            size: try optionalInt64("size"),
            clientAddress: try optionalString("client_address"),
            requestID: try optionalString("request_id"),
            detail: try optionalString("detail")
        )
    }
}
