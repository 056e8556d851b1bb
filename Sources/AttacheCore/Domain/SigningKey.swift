import Foundation

/// A secret that signs download links. The newest key not retired signs; a retired key still verifies
/// the links it signed until they expire.
public struct SigningKey: Sendable, Hashable {
    public var id: Int64
    public var secret: [UInt8]
    public var createdAt: Date
    /// When a newer key replaced it; `nil` while it is the signing key.
    public var retiredAt: Date?

    public init(id: Int64, secret: [UInt8], createdAt: Date, retiredAt: Date? = nil) {
        self.id = id
        self.secret = secret
        self.createdAt = createdAt
        self.retiredAt = retiredAt
    }
}
