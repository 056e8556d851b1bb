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

    /// Attachments whose category's retention rule ran out at `now`, held by no legal hold — of one
    /// tenant, or of every tenant when `tenantID` is `nil` — oldest first, up to `limit`.
    func retentionDue(tenantID: Int64?, now: Date, limit: Int) async throws -> [RetentionDue]

    /// Deletes an attachment for retention, when — checked again in the deleting transaction — its
    /// rule has still run out and no legal hold holds it; audited by the system with the rule. Its file
    /// and earlier versions go as with any deletion. - Returns: what was deleted; `nil` when nothing
    /// was (a hold came, the category changed, or it is gone already).
    func deleteForRetention(tenantID: Int64, attachmentUUID: UUID, now: Date) async throws -> RetentionDue?
}
