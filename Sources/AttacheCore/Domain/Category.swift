public import Foundation

/// A kind of document a tenant defines (`lease`, `id-document`, `invoice`, …): an attachment is in at
/// most one, and a category may carry a retention rule (``RetentionRule``) that `gc` enforces.
public struct Category: Sendable, Hashable {
    /// Lower-case letters, digits, `-` and `_`, starting with a letter or digit; at most 64.
    public var name: String
    public var description: String?
    public var retention: RetentionRule?
    public var createdAt: Date
    public var updatedAt: Date

    public init(name: String, description: String?, retention: RetentionRule?, createdAt: Date, updatedAt: Date) {
        self.name = name
        self.description = description
        self.retention = retention
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Checks a category's name. - Throws: `invalidInput` (field `name`, or `field`).
    public static func checkName(_ name: String, field: String = "name") throws(AttacheError) {
        let allowed = name.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D || $0 == 0x5F }
        guard (1...64).contains(name.utf8.count), allowed, let first = name.utf8.first, first != 0x2D, first != 0x5F else {
            throw AttacheError(.invalidInput, "\(field) must be 1 to 64 lower-case letters, digits, '-' or '_', starting with a letter or digit.", field: field)
        }
    }

    /// What labelling an attachment with a category the tenant has not defined answers.
    public static func undefined(_ name: String) -> AttacheError {
        AttacheError(.invalidInput, "There is no category \(name); an admin defines categories at /v1/categories.", field: "category")
    }
}

extension Category {
    /// How the audit trail names it: `category lease`, with its rule.
    public var auditName: String {
        "category \(name)" + (retention.map { ": deleted \($0.days) day(s) after \($0.from.rawValue)" } ?? "")
    }
}
