import Foundation

/// A tenant's categories of documents (``Category``): defined by admins, read by anyone of the tenant,
/// each attachment in at most one.
extension AttacheService {
    /// - Throws: `forbidden` without an admin token; `invalidInput` for a name or rule that is not
    ///   one; `conflict` when the tenant has the category.
    public func createCategory(_ principal: Principal, name: String, description: String?, retention: RetentionRule?) async throws -> Category {
        try principal.require(.admin)
        try Category.checkName(name)
        try Self.checkCategory(description: description, retention: retention)
        let now = Date()
        return try await metadata.createCategory(
            tenantID: principal.tenant.id, Category(name: name, description: description, retention: retention, createdAt: now, updatedAt: now),
            audit: principal.auditContext(at: now)
        )
    }

    public func categories(_ principal: Principal) async throws -> [Category] {
        try principal.require(.read)
        return try await metadata.categories(tenantID: principal.tenant.id)
    }

    public func category(_ principal: Principal, name: String) async throws -> Category {
        try principal.require(.read)
        guard let category = try await metadata.category(tenantID: principal.tenant.id, name: name) else { throw Self.noCategory(name) }
        return category
    }

    /// Changes a category's description and retention rule (`.some(nil)` removes one).
    public func updateCategory(_ principal: Principal, name: String, description: String??, retention: RetentionRule??) async throws -> Category {
        try principal.require(.admin)
        try Self.checkCategory(description: description ?? nil, retention: retention ?? nil)
        guard let category = try await metadata.updateCategory(
            tenantID: principal.tenant.id, name: name, description: description, retention: retention, audit: principal.auditContext()
        ) else {
            throw Self.noCategory(name)
        }
        return category
    }

    /// - Throws: `conflict` while attachments are in it.
    public func deleteCategory(_ principal: Principal, name: String) async throws {
        try principal.require(.admin)
        guard try await metadata.deleteCategory(tenantID: principal.tenant.id, name: name, audit: principal.auditContext()) else {
            throw Self.noCategory(name)
        }
    }

    /// A new attachment's category and tags, checked: the name's form (the store checks that it
    /// exists), the tags normalized.
    static func checkedLabels(of link: AttachmentLink) throws(AttacheError) -> AttachmentLink {
        var checked = link
        checked.tags = try checkedLabels(category: link.category, tags: link.tags)
        return checked
    }

    /// Checks a new attachment's category name's form and returns its tags normalized.
    static func checkedLabels(category: String?, tags: [String]) throws(AttacheError) -> [String] {
        if let category { try Category.checkName(category, field: "category") }
        return try AttachmentTags.normalized(tags)
    }

    private static func checkCategory(description: String?, retention: RetentionRule?) throws(AttacheError) {
        if let description, description.unicodeScalars.count > 500 {
            throw AttacheError(.invalidInput, "description must be at most 500 characters.", field: "description")
        }
        if let retention, !(1...RetentionRule.maximumDays).contains(retention.days) {
            throw AttacheError(.invalidInput, "retention.days must be from 1 to \(RetentionRule.maximumDays).", field: "retention")
        }
    }

    private static func noCategory(_ name: String) -> AttacheError {
        AttacheError(.notFound, "There is no category \(name).")
    }
}
