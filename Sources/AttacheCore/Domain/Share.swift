public import Foundation

/// A link for people outside the CRM: `/s/<token>` shows an attachment, or a record's attachments at
/// the moment of each request, and serves their content. Its token is shown once, when it is made;
/// the store keeps only a hash of it (and of its password, if it has one).
public struct Share: Sendable, Hashable {
    /// What a share shows.
    public enum Target: Sendable, Hashable {
        case attachment(UUID)
        case record(UUID)
    }

    public var id: UUID
    public var tenantID: Int64
    public var target: Target
    /// The record the share belongs to: its target, or the record its attachment was on when shared.
    public var recordUUID: UUID
    public var label: String?
    public var expiresAt: Date?
    /// How many downloads it serves; `nil`: no limit.
    public var maxDownloads: Int64?
    /// Downloads counted so far (continuations of a counted download are not counted again).
    public var downloads: Int64
    public var hasPassword: Bool
    public var createdAt: Date
    public var updatedAt: Date
    public var revokedAt: Date?

    public init(
        id: UUID, tenantID: Int64, target: Target, recordUUID: UUID, label: String?, expiresAt: Date?, maxDownloads: Int64?, downloads: Int64 = 0,
        hasPassword: Bool, createdAt: Date, updatedAt: Date, revokedAt: Date? = nil
    ) {
        self.id = id
        self.tenantID = tenantID
        self.target = target
        self.recordUUID = recordUUID
        self.label = label
        self.expiresAt = expiresAt
        self.maxDownloads = maxDownloads
        self.downloads = downloads
        self.hasPassword = hasPassword
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.revokedAt = revokedAt
    }

    /// The attachment an attachment share shows.
    public var attachmentUUID: UUID? {
        if case .attachment(let uuid) = target { uuid } else { nil }
    }

    /// Whether it serves requests at `time`: not revoked, not expired.
    public func isLive(at time: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { $0 > time } ?? true)
    }

    /// Whether its download limit is reached.
    public var isExhausted: Bool {
        maxDownloads.map { downloads >= $0 } ?? false
    }
}
