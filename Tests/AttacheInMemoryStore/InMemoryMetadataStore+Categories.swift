package import AttacheCore
package import Foundation

/// ``CategoryStore``.
extension InMemoryMetadataStore {
    package func createCategory(tenantID: Int64, _ category: Category, audit: AuditContext) throws -> Category {
        try transaction { tables in
            guard tables.categories[tenantID]?[category.name] == nil else {
                throw AttacheError(.conflict, "There is a category \(category.name) already.", field: "name")
            }
            var stored = category
            stored.createdAt = category.createdAt.roundedToMilliseconds
            stored.updatedAt = stored.createdAt
            tables.categories[tenantID, default: [:]][category.name] = stored
            try tables.writeAuditEvents([audit.event(.categoryCreate, tenantID: tenantID, detail: stored.auditName)])
            return stored
        }
    }

    package func categories(tenantID: Int64) -> [Category] {
        (tables.categories[tenantID] ?? [:]).values.sorted { $0.name < $1.name }
    }

    package func category(tenantID: Int64, name: String) -> Category? {
        tables.categories[tenantID]?[name]
    }

    package func updateCategory(tenantID: Int64, name: String, description: String??, retention: RetentionRule??, audit: AuditContext) throws -> Category? {
        try transaction { tables in
            guard var category = tables.categories[tenantID]?[name] else { return nil }
            if let description { category.description = description }
            if let retention { category.retention = retention }
            category.updatedAt = audit.time.roundedToMilliseconds
            tables.categories[tenantID]?[name] = category
            try tables.writeAuditEvents([audit.event(.categoryUpdate, tenantID: tenantID, detail: category.auditName)])
            return category
        }
    }

    package func deleteCategory(tenantID: Int64, name: String, audit: AuditContext) throws -> Bool {
        try transaction { tables in
            let used = tables.attachments.values.filter { $0.tenantID == tenantID && $0.category == name }.count
            guard used == 0 else {
                throw AttacheError(.conflict, "\(used) attachment(s) are in category \(name); move them to another category (or none) first.")
            }
            guard let removed = tables.categories[tenantID]?.removeValue(forKey: name) else { return false }
            try tables.writeAuditEvents([audit.event(.categoryDelete, tenantID: tenantID, detail: removed.auditName)])
            return true
        }
    }

}

extension InMemoryTables {
    func requireCategory(_ name: String, tenantID: Int64) throws(AttacheError) {
        guard categories[tenantID]?[name] != nil else {
            throw Category.undefined(name)
        }
    }
}

/// Retention by category.
extension InMemoryMetadataStore {
    package func retentionDue(tenantID: Int64?, now: Date, limit: Int) -> [RetentionDue] {
        Array(tables.retentionDue(tenantID: tenantID, attachmentUUID: nil, now: now).prefix(limit))
    }

    package func deleteForRetention(tenantID: Int64, attachmentUUID: UUID, now: Date) throws -> RetentionDue? {
        try transaction { tables in
            guard let due = tables.retentionDue(tenantID: tenantID, attachmentUUID: attachmentUUID, now: now).first,
                try tables.removeAttachment(uuid: attachmentUUID, tenantID: tenantID, audit: AuditContext(actor: .system, time: now), detail: due.reason) != nil
            else { return nil }
            return due
        }
    }
}
