import Crypto
public import Foundation

/// The secret a webhook endpoint's deliveries are signed with, as Standard Webhooks writes it:
/// `whsec_` and the base64 of the key's bytes (32 random bytes here; the specification allows 24 to 64).
public struct WebhookSecret: Sendable, Hashable, CustomStringConvertible {
    public static let prefix = "whsec_"
    static let keyByteCount = 32

    /// The secret as it is given out and kept: `whsec_…`.
    public let text: String
    private let key: [UInt8]

    /// - Returns: `nil` unless `text` is `whsec_` and the base64 of 24 to 64 bytes.
    public init?(text: String) {
        guard text.hasPrefix(Self.prefix), let bytes = Data(base64Encoded: String(text.dropFirst(Self.prefix.count))),
            (24...64).contains(bytes.count)
        else { return nil }
        self.text = text
        self.key = Array(bytes)
    }

    /// A new secret of 32 random bytes.
    public static func generate() -> WebhookSecret {
        let bytes = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        guard let secret = WebhookSecret(text: prefix + bytes.base64EncodedString()) else {
            preconditionFailure("32 random bytes make a secret")
        }
        return secret
    }

    /// The `v1` signature of one delivery attempt: HMAC-SHA256 over `id.timestamp.body`, in base64.
    public func signature(messageID: String, timestamp: Int64, body: [UInt8]) -> String {
        var mac = HMAC<SHA256>(key: SymmetricKey(data: key))
        mac.update(data: Array("\(messageID).\(timestamp).".utf8))
        mac.update(data: body)
        return "v1," + Data(mac.finalize()).base64EncodedString()
    }

    /// Never the secret itself: it is shown once, when issued.
    public var description: String { "whsec_…" }
}
