public import Foundation

/// A link for people outside the CRM. A download share (`/s/<token>`) shows an attachment, or a
/// record's attachments at the moment of each request, and serves their content; a drop link (an
/// upload share) takes files into a record and shows nothing. Its token is shown once, when it is
/// made; the store keeps only a hash of it (and of its password, if it has one).
public struct Share: Sendable, Hashable {
    /// What a share is for.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Shows files and serves them.
        case download
        /// Takes files into its record; never lists or serves any.
        case upload
    }

    /// What a share shows.
    public enum Target: Sendable, Hashable {
        case attachment(UUID)
        case record(UUID)
    }

    public var id: UUID
    public var tenantID: Int64
    public var kind: Kind
    public var target: Target
    /// The record the share belongs to: its target, or the record its attachment was on when shared.
    public var recordUUID: UUID
    public var label: String?
    public var expiresAt: Date?
    /// How many downloads it serves; `nil`: no limit.
    public var maxDownloads: Int64?
    /// Downloads counted so far (continuations of a counted download are not counted again).
    public var downloads: Int64
    /// How many files a drop link takes; `nil`: no limit.
    public var maxFiles: Int64?
    /// How many bytes, all its files together, a drop link takes; `nil`: no limit.
    public var maxBytes: Int64?
    /// Files a drop link has taken so far, and their bytes.
    public var filesReceived: Int64
    public var bytesReceived: Int64
    public var hasPassword: Bool
    public var createdAt: Date
    public var updatedAt: Date
    public var revokedAt: Date?

    public init(
        id: UUID, tenantID: Int64, kind: Kind = .download, target: Target, recordUUID: UUID, label: String?, expiresAt: Date?,
        maxDownloads: Int64?, downloads: Int64 = 0, maxFiles: Int64? = nil, maxBytes: Int64? = nil, filesReceived: Int64 = 0,
        bytesReceived: Int64 = 0, hasPassword: Bool, createdAt: Date, updatedAt: Date, revokedAt: Date? = nil
    ) {
        self.id = id
        self.tenantID = tenantID
        self.kind = kind
        self.target = target
        self.recordUUID = recordUUID
        self.label = label
        self.expiresAt = expiresAt
        self.maxDownloads = maxDownloads
        self.downloads = downloads
        self.maxFiles = maxFiles
        self.maxBytes = maxBytes
        self.filesReceived = filesReceived
        self.bytesReceived = bytesReceived
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

    /// Whether it has served all its downloads (a download share) or taken all the files or bytes it
    /// was made for (a drop link).
    public var isExhausted: Bool {
        switch kind {
        case .download: maxDownloads.map { downloads >= $0 } ?? false
        case .upload: (maxFiles.map { filesReceived >= $0 } ?? false) || (maxBytes.map { bytesReceived >= $0 } ?? false)
        }
    }

    /// The bytes a drop link still takes; `nil`: no limit.
    public var bytesLeft: Int64? {
        maxBytes.map { max($0 - bytesReceived, 0) }
    }

    /// The files a drop link still takes; `nil`: no limit.
    public var filesLeft: Int64? {
        maxFiles.map { max($0 - filesReceived, 0) }
    }
}
