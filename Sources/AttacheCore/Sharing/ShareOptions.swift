public import Foundation

/// What a new share link is made with, as a client asked for it (checked by
/// ``AttacheService/createShare(_:for:options:)``).
public struct ShareOptions: Sendable, Hashable {
    public var kind: Share.Kind
    public var label: String?
    public var expiresAt: Date?
    /// A download share's limit.
    public var maxDownloads: Int64?
    /// A drop link's limits.
    public var maxFiles: Int64?
    public var maxBytes: Int64?
    public var password: String?

    public init(
        kind: Share.Kind = .download, label: String? = nil, expiresAt: Date? = nil, maxDownloads: Int64? = nil, maxFiles: Int64? = nil,
        maxBytes: Int64? = nil, password: String? = nil
    ) {
        self.kind = kind
        self.maxFiles = maxFiles
        self.maxBytes = maxBytes
        self.label = label
        self.expiresAt = expiresAt
        self.maxDownloads = maxDownloads
        self.password = password
    }

    public static let maximumLabelLength = 200
    public static let maximumPasswordBytes = 1024
    public static let maximumDownloads: Int64 = 1_000_000
    public static let maximumFiles: Int64 = 100_000
    /// A drop link's byte limit: at most 1 PiB (a tenant's quota is what really bounds it).
    public static let maximumBytes: Int64 = 1 << 50
}
