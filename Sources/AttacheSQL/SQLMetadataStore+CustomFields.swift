import AttacheCore
import Foundation
import SQLKit

extension SQLMetadataStore {
    public func createCustomField(
        tenantID: Int64, id: String, fieldKey: String, definition: CustomFieldDefinition, audit: AuditContext
    ) async throws -> CustomField {
        let now = audit.time.millisecondsSince1970
        return try await database.write { db in
            let row = try await db.raw("""
                INSERT INTO custom_fields (id, tenant_id, name, field_key, data_type, placeholder, position, model,
                                           accepted_formats, multiple_files, maximum_files, created_at, updated_at)
                VALUES (\(bind: id), \(bind: tenantID), \(bind: definition.name), \(bind: fieldKey), \(bind: definition.dataType),
                        \(bind: definition.placeholder), \(bind: definition.position), \(bind: definition.model),
                        \(bind: definition.acceptedFormats.joined(separator: ",")), \(bind: definition.allowsMultipleFiles ? 1 : 0),
                        \(bind: definition.maximumFiles), \(bind: now), \(bind: now))
                RETURNING \(unsafeRaw: SQLColumns.customField)
                """).first()
            guard let row else { throw SQLStoreError.missingReturnedRow(statement: "INSERT INTO custom_fields") }
            let field = try row.customField()
            try await Self.writeAuditEvents([audit.event(.customFieldCreate, tenantID: tenantID, detail: Self.auditName(field))], in: db)
            return field
        }
    }

    public func customFields(tenantID: Int64, model: String?) async throws -> [CustomField] {
        var sql: SQLQueryString = "SELECT \(unsafeRaw: SQLColumns.customField) FROM custom_fields WHERE tenant_id = \(bind: tenantID)"
        if let model { sql += " AND model = \(bind: model)" }
        sql += " ORDER BY position, created_at, id"
        let statement = sql
        return try await database.read { db in
            try await db.raw(statement).all().map { try $0.customField() }
        }
    }

    public func customField(tenantID: Int64, id: String) async throws -> CustomField? {
        try await database.read { db in
            try await db.raw("SELECT \(unsafeRaw: SQLColumns.customField) FROM custom_fields WHERE tenant_id = \(bind: tenantID) AND id = \(bind: id)")
                .first()?.customField()
        }
    }

    public func updateCustomField(tenantID: Int64, id: String, definition: CustomFieldDefinition, audit: AuditContext) async throws -> CustomField? {
        let now = audit.time.millisecondsSince1970
        return try await database.write { db in
            let updated = try await db.raw("""
                UPDATE custom_fields SET name = \(bind: definition.name), placeholder = \(bind: definition.placeholder),
                    position = \(bind: definition.position), model = \(bind: definition.model),
                    accepted_formats = \(bind: definition.acceptedFormats.joined(separator: ",")),
                    multiple_files = \(bind: definition.allowsMultipleFiles ? 1 : 0), maximum_files = \(bind: definition.maximumFiles),
                    updated_at = \(bind: now)
                WHERE tenant_id = \(bind: tenantID) AND id = \(bind: id)
                RETURNING \(unsafeRaw: SQLColumns.customField)
                """).first()?.customField()
            guard let updated else { return nil }
            try await Self.writeAuditEvents([audit.event(.customFieldUpdate, tenantID: tenantID, detail: Self.auditName(updated))], in: db)
            return updated
        }
    }

    public func deleteCustomField(tenantID: Int64, id: String, audit: AuditContext) async throws -> Bool {
        try await database.write { db in
            guard let removed = try await db.raw("""
                DELETE FROM custom_fields WHERE tenant_id = \(bind: tenantID) AND id = \(bind: id) RETURNING \(unsafeRaw: SQLColumns.customField)
                """).first()?.customField()
            else { return false }
            try await Self.writeAuditEvents([audit.event(.customFieldDelete, tenantID: tenantID, detail: Self.auditName(removed))], in: db)
            return true
        }
    }

    /// How an audit event names a custom field: `field <id> '<name>'`.
    private static func auditName(_ field: CustomField) -> String {
        "field \(field.id) '\(field.definition.name)'"
    }
}
