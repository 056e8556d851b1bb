public import Foundation

/// An attachment a retention rule deletes: its category's rule has run out, and no legal hold (on it
/// or on its record) holds it.
public struct RetentionDue: Sendable, Hashable {
    public var tenantID: Int64
    public var attachmentUUID: UUID
    public var recordUUID: UUID
    public var fileName: String
    public var category: String
    public var rule: RetentionRule
    /// When the rule ran out.
    public var dueAt: Date

    public init(tenantID: Int64, attachmentUUID: UUID, recordUUID: UUID, fileName: String, category: String, rule: RetentionRule, dueAt: Date) {
        self.tenantID = tenantID
        self.attachmentUUID = attachmentUUID
        self.recordUUID = recordUUID
        self.fileName = fileName
        self.category = category
        self.rule = rule
        self.dueAt = dueAt
    }

    /// What the audit trail says of the deletion.
    public var reason: String {
        "retention: category \(category), \(rule.days) day(s) after \(rule.from.rawValue)"
    }
}
