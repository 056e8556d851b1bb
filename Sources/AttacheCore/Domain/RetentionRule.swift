public import Foundation

/// When an attachment of a category is deleted: `days` after it was uploaded, or after its
/// `expiresOn` date (a passport scan kept until its passport expires, and a while after). A legal hold
/// on the attachment or its record suspends it.
public struct RetentionRule: Sendable, Hashable, Codable {
    public enum Start: String, Sendable, Hashable, Codable, CaseIterable {
        /// From when the attachment was made.
        case upload
        /// From the attachment's `expiresOn` date; one without a date is kept.
        case expiresOn
    }

    public var days: Int
    public var from: Start

    public init(days: Int, from: Start) {
        self.days = days
        self.from = from
    }

    /// When the rule deletes an attachment made at `createdAt` with the date `expiresOn`: `days` after
    /// the one it counts from; `nil` when that date is missing (an `expiresOn` rule keeps an attachment
    /// without one). The SQL store's `retentionDue` computes the same in its query.
    public func dueAt(createdAt: Date, expiresOn: Date?) -> Date? {
        let start: Date? = switch from {
        case .upload: createdAt
        case .expiresOn: expiresOn
        }
        return start?.addingTimeInterval(TimeInterval(days) * 86_400)
    }

    /// The longest rule: a hundred years.
    public static let maximumDays = 36_500
}
