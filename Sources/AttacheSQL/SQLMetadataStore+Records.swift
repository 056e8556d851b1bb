import AttacheCore
import Foundation
import SQLKit

extension SQLMetadataStore {
    public func createRecord(tenantID: Int64, type: RecordType, externalIdentifier: String?, title: String?, audit: AuditContext) async throws -> Record {
        let now = audit.time.millisecondsSince1970
        let uuid = UUID().databaseText
        let flavor = database.flavor
        return try await database.write { db in
            let counter = try await db.raw("""
                UPDATE tenants SET next_reference = next_reference + 1 WHERE id = \(bind: tenantID)
                RETURNING next_reference - 1 AS reference
                """).first()
            guard let counter else { throw AttacheError(.notFound, "There is no tenant \(tenantID).") }
            let reference = String(try counter.int64("reference"))
            let number = try await flavor.nextNumber(in: .records, tenantID: tenantID, in: db)
            let row = try await db.raw("""
                INSERT INTO records (number, uuid, tenant_id, type, reference, external_identifier, title, created_at, updated_at, title_key)
                VALUES (\(bind: number), \(bind: uuid), \(bind: tenantID), \(bind: type.rawValue), \(bind: reference),
                        \(bind: externalIdentifier), \(bind: title), \(bind: now), \(bind: now), \(bind: title.map(TitleSearchKey.make)))
                RETURNING \(unsafeRaw: SQLColumns.record)
                """).first()
            guard let row else { throw SQLStoreError.missingReturnedRow(statement: "INSERT INTO records") }
            let record = try row.record()
            try await Self.writeAuditEvents([audit.event(.recordCreate, tenantID: tenantID, recordUUID: record.uuid)], in: db)
            return record
        }
    }

    public func record(tenantID: Int64, uuid: UUID) async throws -> Record? {
        try await database.read { db in
            try await db.raw("""
                SELECT \(unsafeRaw: SQLColumns.record) FROM records
                WHERE tenant_id = \(bind: tenantID) AND uuid = \(bind: uuid.databaseText)
                """).first()?.record()
        }
    }

    public func record(tenantID: Int64, id: Int64) async throws -> Record? {
        try await database.read { db in
            try await db.raw("SELECT \(unsafeRaw: SQLColumns.record) FROM records WHERE tenant_id = \(bind: tenantID) AND number = \(bind: id)")
                .first()?.record()
        }
    }

    public func records(tenantID: Int64, matching query: RecordQuery, page: PageRequest) async throws -> Page<Record> {
        var sql: SQLQueryString = "SELECT \(unsafeRaw: SQLColumns.record) FROM records WHERE tenant_id = \(bind: tenantID)"
        if let type = query.type { sql += " AND type = \(bind: type.rawValue)" }
        if let externalIdentifier = query.externalIdentifier { sql += " AND external_identifier = \(bind: externalIdentifier)" }
        if let reference = query.reference { sql += " AND reference = \(bind: reference)" }
        if let prefix = query.titlePrefix {
            sql += " AND title_key LIKE \(bind: Self.likePattern(prefix: TitleSearchKey.make(prefix))) ESCAPE '\\'"
        }
        sql += page.keysetClause(on: "number")
        let statement = sql
        let rows = try await database.read { db in
            try await db.raw(statement).all().map { try $0.record() }
        }
        return PageCursor.page(rows, limit: page.limit, id: \.id)
    }

    public func updateRecord(tenantID: Int64, uuid: UUID, title: String??, externalIdentifier: String??, legalHold: Bool?, audit: AuditContext) async throws -> Record? {
        var assignments: [SQLQueryString] = ["updated_at = \(bind: audit.time.millisecondsSince1970)"]
        if let legalHold { assignments.append("legal_hold = \(bind: legalHold ? 1 : 0)") }
        if let title { assignments.append("title = \(bind: title), title_key = \(bind: title.map(TitleSearchKey.make))") }
        if let externalIdentifier { assignments.append("external_identifier = \(bind: externalIdentifier)") }
        let statement: SQLQueryString = """
            UPDATE records SET \(assignments.joined(separator: ", "))
            WHERE tenant_id = \(bind: tenantID) AND uuid = \(bind: uuid.databaseText)
            RETURNING \(unsafeRaw: SQLColumns.record)
            """
        return try await database.write { db in
            guard let record = try await db.raw(statement).first()?.record() else { return nil }
            try await Self.writeAuditEvents(
                [audit.event(.recordUpdate, tenantID: tenantID, recordUUID: uuid, detail: legalHold.map { $0 ? "legal hold on" : "legal hold off" })], in: db
            )
            return record
        }
    }

    public func deleteRecord(tenantID: Int64, uuid: UUID, audit: AuditContext) async throws -> Bool {
        let flavor = database.flavor
        return try await database.write { db in
            guard let recordID = try await db.raw("""
                SELECT id FROM records WHERE tenant_id = \(bind: tenantID) AND uuid = \(bind: uuid.databaseText)
                """).first()?.int64("id")
            else { return false }
            let links = try await db.raw("""
                SELECT a.id, a.uuid, a.file_id, f.number AS file_number, f.name, f.size FROM attachments a JOIN files f ON f.id = a.file_id
                WHERE a.tenant_id = \(bind: tenantID) AND a.record_id = \(bind: recordID) ORDER BY a.number
                """).all()
            let versionFiles = try await Self.deleteVersions(ofAttachmentRows: try links.map { try $0.int64("id") }, in: db)
            try await db.raw("DELETE FROM attachments WHERE tenant_id = \(bind: tenantID) AND record_id = \(bind: recordID)").run()
            try await db.raw("DELETE FROM records WHERE id = \(bind: recordID)").run()
            // The record's attachments go with it, each with its event (the change feed tells of each).
            var events = [audit.event(.recordDelete, tenantID: tenantID, recordUUID: uuid)]
            for link in links {
                events.append(
                    audit.event(
                        .attachmentDelete, tenantID: tenantID, recordUUID: uuid, fileID: try link.int64("file_number"), fileName: try link.string("name"),
                        attachmentUUID: try link.uuid("uuid"), size: try link.int64("size")
                    )
                )
            }
            let shown = try links.map { try $0.int64("file_id") }
            for fileID in shown + Set(versionFiles).subtracting(shown).sorted() {
                if let file = try await Self.deleteFileIfUnlinked(fileID, tenantID: tenantID, flavor: flavor, in: db) {
                    events.append(audit.event(.fileDelete, tenantID: tenantID, recordUUID: uuid, fileID: file.id, fileName: file.name, size: file.size))
                }
            }
            try await Self.writeAuditEvents(events, in: db)
            return true
        }
    }

    /// A `LIKE` pattern matching what starts with `prefix`, its own `%`, `_` and `\\` taken literally.
    static func likePattern(prefix: String) -> String {
        var pattern = ""
        for character in prefix {
            if character == "%" || character == "_" || character == "\\" { pattern.append("\\") }
            pattern.append(character)
        }
        return pattern + "%"
    }
}
