import AttacheCore
import Foundation
import SQLKit

/// ``CategoryStore``: `categories`, and the `category` and `tags` of attachments.
extension SQLMetadataStore {
    public func createCategory(tenantID: Int64, _ category: Category, audit: AuditContext) async throws -> Category {
        let at = category.createdAt.millisecondsSince1970
        return try await database.write { db in
            guard let row = try await db.raw("""
                INSERT INTO categories (tenant_id, name, description, retention_days, retention_from, created_at, updated_at)
                VALUES (\(bind: tenantID), \(bind: category.name), \(bind: category.description), \(bind: category.retention.map { Int64($0.days) }),
                        \(bind: category.retention?.from.rawValue), \(bind: at), \(bind: at))
                ON CONFLICT (tenant_id, name) DO NOTHING
                RETURNING \(unsafeRaw: SQLColumns.category)
                """).first()
            else {
                throw AttacheError(.conflict, "There is a category \(category.name) already.", field: "name")
            }
            let created = try row.category()
            try await Self.writeAuditEvents([audit.event(.categoryCreate, tenantID: tenantID, detail: created.auditName)], in: db)
            return created
        }
    }

    public func categories(tenantID: Int64) async throws -> [Category] {
        try await database.read { db in
            try await db.raw("SELECT \(unsafeRaw: SQLColumns.category) FROM categories WHERE tenant_id = \(bind: tenantID) ORDER BY name")
                .all().map { try $0.category() }
        }
    }

    public func category(tenantID: Int64, name: String) async throws -> Category? {
        try await database.read { db in
            try await db.raw("SELECT \(unsafeRaw: SQLColumns.category) FROM categories WHERE tenant_id = \(bind: tenantID) AND name = \(bind: name)")
                .first()?.category()
        }
    }

    public func updateCategory(tenantID: Int64, name: String, description: String??, retention: RetentionRule??, audit: AuditContext) async throws -> Category? {
        try await database.write { db in
            var sets: [SQLQueryString] = ["updated_at = \(bind: audit.time.millisecondsSince1970)"]
            if let description { sets.append("description = \(bind: description)") }
            if let retention {
                sets.append("retention_days = \(bind: retention.map { Int64($0.days) }), retention_from = \(bind: retention?.from.rawValue)")
            }
            guard let row = try await db.raw("""
                UPDATE categories SET \(sets.joined(separator: ", ")) WHERE tenant_id = \(bind: tenantID) AND name = \(bind: name)
                RETURNING \(unsafeRaw: SQLColumns.category)
                """).first()
            else { return nil }
            let updated = try row.category()
            try await Self.writeAuditEvents([audit.event(.categoryUpdate, tenantID: tenantID, detail: updated.auditName)], in: db)
            return updated
        }
    }

    public func deleteCategory(tenantID: Int64, name: String, audit: AuditContext) async throws -> Bool {
        try await database.write { db in
            let used = try await db.raw("""
                SELECT COUNT(*) AS used FROM attachments WHERE tenant_id = \(bind: tenantID) AND category = \(bind: name)
                """).first()?.int64("used") ?? 0
            guard used == 0 else {
                throw AttacheError(.conflict, "\(used) attachment(s) are in category \(name); move them to another category (or none) first.")
            }
            guard let row = try await db.raw("""
                DELETE FROM categories WHERE tenant_id = \(bind: tenantID) AND name = \(bind: name) RETURNING \(unsafeRaw: SQLColumns.category)
                """).first()
            else { return false }
            try await Self.writeAuditEvents([audit.event(.categoryDelete, tenantID: tenantID, detail: (try row.category()).auditName)], in: db)
            return true
        }
    }

    /// - Throws: `invalidInput` (field `category`) when the tenant has no category of that name.
    static func requireCategory(_ name: String, tenantID: Int64, in db: any SQLDatabase) async throws {
        guard try await db.raw("SELECT 1 AS found FROM categories WHERE tenant_id = \(bind: tenantID) AND name = \(bind: name)").first() != nil else {
            throw Category.undefined(name)
        }
    }

    /// Tags as stored: `,a,b,` (so `LIKE '%,tag,%'` finds one), `NULL` for none.
    static func tagsText(_ tags: [String]) -> String? {
        tags.isEmpty ? nil : "," + tags.joined(separator: ",") + ","
    }

    /// The condition that an attachment (`a`) has the tag, ignoring the case of ASCII letters on both
    /// engines (``AttachmentTags/folded(_:)``): SQLite's `LIKE` folds exactly those; PostgreSQL's
    /// column is folded by `translate`, as `lower` would fold other letters too.
    static func hasTag(_ tag: String, flavor: SQLFlavor) -> SQLQueryString {
        let pattern = "%," + likePattern(prefix: AttachmentTags.folded(tag)).dropLast() + ",%"
        switch flavor {
        case .sqlite: return "a.tags LIKE \(bind: pattern) ESCAPE '\\'"
        case .postgres:
            return "translate(a.tags, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') LIKE \(bind: pattern) ESCAPE '\\'"
        }
    }
}

extension SQLColumns {
    static let category = "name, description, retention_days, retention_from, created_at, updated_at"
}

extension SQLRow {
    func category() throws -> Category {
        var retention: RetentionRule?
        if let days = try optionalInt64("retention_days") {
            retention = RetentionRule(days: Int(days), from: try enumValue("retention_from", as: RetentionRule.Start.self))
        }
        return Category(
            name: try string("name"), description: try optionalString("description"), retention: retention, createdAt: try date("created_at"),
            updatedAt: try date("updated_at")
        )
    }
}
