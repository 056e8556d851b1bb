import AttacheCore
import Foundation
import SQLKit

/// Retention by category: the attachments whose category's rule ran out and that no legal hold holds.
extension SQLMetadataStore {
    public func retentionDue(tenantID: Int64?, now: Date, limit: Int) async throws -> [RetentionDue] {
        let statement = Self.dueStatement(tenantID: tenantID, attachmentUUID: nil, now: now, limit: limit)
        return try await database.read { db in
            try await db.raw(statement).all().map { try $0.retentionDue() }
        }
    }

    public func deleteForRetention(tenantID: Int64, attachmentUUID: UUID, now: Date) async throws -> RetentionDue? {
        let flavor = database.flavor
        return try await database.write { db in
            if flavor == .postgres {
                // Held until the transaction ends: a hold or a change of category waits for the deletion, or comes first.
                try await db.raw("""
                    SELECT id FROM attachments WHERE tenant_id = \(bind: tenantID) AND uuid = \(bind: attachmentUUID.databaseText) FOR UPDATE
                    """).run()
            }
            guard let due = try await db.raw(Self.dueStatement(tenantID: tenantID, attachmentUUID: attachmentUUID, now: now, limit: 1)).first()?.retentionDue()
            else { return nil }
            let audit = AuditContext(actor: .system, time: now)
            guard try await Self.removeAttachment(uuid: attachmentUUID, tenantID: tenantID, audit: audit, detail: due.reason, flavor: flavor, in: db) != nil
            else { return nil }
            return due
        }
    }

    /// The attachments a rule deletes at `now`: in a category with a rule, past its due time, held
    /// neither on themselves nor on their record; oldest first.
    private static func dueStatement(tenantID: Int64?, attachmentUUID: UUID?, now: Date, limit: Int) -> SQLQueryString {
        let at = now.millisecondsSince1970
        var sql: SQLQueryString = """
            SELECT a.tenant_id, a.uuid AS attachment_uuid, r.uuid AS record_uuid, f.name AS file_name, a.category,
                   c.retention_days, c.retention_from,
                   (CASE WHEN c.retention_from = 'upload' THEN a.created_at ELSE a.expires_on END) + c.retention_days * 86400000 AS due_at
            FROM attachments a JOIN categories c ON c.tenant_id = a.tenant_id AND c.name = a.category
            JOIN records r ON r.id = a.record_id JOIN files f ON f.id = a.file_id
            WHERE c.retention_days IS NOT NULL AND a.legal_hold = 0 AND r.legal_hold = 0
              AND ((c.retention_from = 'upload' AND a.created_at + c.retention_days * 86400000 <= \(bind: at))
                OR (c.retention_from = 'expiresOn' AND a.expires_on IS NOT NULL AND a.expires_on + c.retention_days * 86400000 <= \(bind: at)))
            """
        if let tenantID { sql += " AND a.tenant_id = \(bind: tenantID)" }
        if let attachmentUUID { sql += " AND a.uuid = \(bind: attachmentUUID.databaseText)" }
        sql += " ORDER BY a.tenant_id, a.id LIMIT \(literal: limit)"
        return sql
    }
}

extension SQLRow {
    func retentionDue() throws -> RetentionDue {
        RetentionDue(
            tenantID: try int64("tenant_id"), attachmentUUID: try uuid("attachment_uuid"), recordUUID: try uuid("record_uuid"),
            fileName: try string("file_name"), category: try string("category"),
            rule: RetentionRule(days: Int(try int64("retention_days")), from: try enumValue("retention_from", as: RetentionRule.Start.self)),
            dueAt: try date("due_at")
        )
    }
}
