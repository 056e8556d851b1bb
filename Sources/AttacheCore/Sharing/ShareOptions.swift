public import Foundation

/// What a new share link is made with, as a client asked for it (checked by
/// ``AttacheService/createShare(_:for:options:)``).
public struct ShareOptions: Sendable, Hashable {
    public var label: String?
    public var expiresAt: Date?
    public var maxDownloads: Int64?
    public var password: String?

    public init(label: String? = nil, expiresAt: Date? = nil, maxDownloads: Int64? = nil, password: String? = nil) {
        self.label = label
        self.expiresAt = expiresAt
        self.maxDownloads = maxDownloads
        self.password = password
    }

    public static let maximumLabelLength = 200
    public static let maximumPasswordBytes = 1024
    public static let maximumDownloads: Int64 = 1_000_000
}
