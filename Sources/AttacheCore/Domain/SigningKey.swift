import Foundation

/// A secret that signs download links.
///
/// A rotation is two-phase: the new key is stored at once, and every node that loads it verifies links
/// signed with it from then on, but it signs only from ``signsFrom`` — a moment chosen later than every
/// node's next reload, so no node hands out a link that another node cannot check yet. Until then the
/// old key signs; its ``retiredAt`` is that same moment. A retired key still verifies the links it
/// signed until they expire.
public struct SigningKey: Sendable, Hashable {
    public var id: Int64
    public var secret: [UInt8]
    public var createdAt: Date
    /// When this key starts signing links: its creation, or later for a key rotated in ahead of time.
    public var signsFrom: Date
    /// When a newer key takes over signing; `nil` while no newer key is stored.
    public var retiredAt: Date?

    public init(id: Int64, secret: [UInt8], createdAt: Date, signsFrom: Date? = nil, retiredAt: Date? = nil) {
        self.id = id
        self.secret = secret
        self.createdAt = createdAt
        self.signsFrom = signsFrom ?? createdAt
        self.retiredAt = retiredAt
    }

    /// Whether the key is the one that signs at `now`, among `keys` (the store's, oldest first): the
    /// newest whose ``signsFrom`` has come, or the oldest should none have.
    public static func signing(among keys: [SigningKey], at now: Date) -> SigningKey? {
        keys.last { $0.signsFrom <= now } ?? keys.first
    }
}
