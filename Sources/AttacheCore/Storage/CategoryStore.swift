public import Foundation

/// A tenant's categories (``Category``). (A role of ``MetadataStore``.) An attachment names its
/// category, which must exist when it is set; a category in use is not deleted.
public protocol CategoryStore: Sendable {
    /// - Throws: `conflict` when the tenant has a category of that name.
    func createCategory(tenantID: Int64, _ category: Category, audit: AuditContext) async throws -> Category
    /// The tenant's categories, by name.
    func categories(tenantID: Int64) async throws -> [Category]
    func category(tenantID: Int64, name: String) async throws -> Category?
    /// Sets a category's description and retention (`.some(nil)` removes one). - Returns: `nil` when
    /// the tenant has no such category.
    func updateCategory(tenantID: Int64, name: String, description: String??, retention: RetentionRule??, audit: AuditContext) async throws -> Category?
    /// - Returns: `false` when the tenant has no such category.
    /// - Throws: `conflict` while attachments are in it.
    func deleteCategory(tenantID: Int64, name: String, audit: AuditContext) async throws -> Bool
}
