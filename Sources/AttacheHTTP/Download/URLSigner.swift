import AttacheCore
import Crypto
import Foundation

/// Signs and verifies links that open content without an `Authorization` header.
///
/// A signed link is the content path plus `tenant`, `expires` (Unix seconds) and `signature`, where
/// the signature is HMAC-SHA256, in URL-safe base64, over `GET`, the path, the tenant slug and the
/// expiry. Changing any of them, or using the link after it expires, gives 403.
public struct URLSigner: Sendable {
    /// Default lifetime of a signed link: one hour.
    public static let defaultLifetime: TimeInterval = 3600

    private let keyed: KeyedHMAC
    public let lifetime: TimeInterval

    /// The longest lifetime a link can have (ten years), so an expiry always fits its integer.
    public static let maximumLifetime: TimeInterval = 10 * 365 * 24 * 3600

    public init(secret: [UInt8], lifetime: TimeInterval = URLSigner.defaultLifetime) {
        self.keyed = KeyedHMAC(key: SymmetricKey(data: secret))
        self.lifetime = lifetime.isFinite ? min(max(lifetime, -Self.maximumLifetime), Self.maximumLifetime) : Self.defaultLifetime
    }

    /// The query string (without `?`) that signs `path` for `tenantSlug`.
    package func query(path: String, tenantSlug: String, now: Date = Date()) -> String {
        let expires = Int64(now.addingTimeInterval(lifetime).timeIntervalSince1970)
        let signature = sign(path: path, tenantSlug: tenantSlug, expires: expires)
        return "tenant=\(tenantSlug)&expires=\(expires)&signature=\(signature)"
    }

    /// Checks a signed link.
    /// - Throws: `forbidden` when the signature does not match or the link has expired.
    package func verify(path: String, tenantSlug: String, expires: String, signature: String, now: Date = Date()) throws(AttacheError) {
        guard let expiry = Int64(expires) else {
            throw AttacheError(.forbidden, "The link's signature is not valid.")
        }
        let expected = sign(path: path, tenantSlug: tenantSlug, expires: expiry)
        guard constantTimeEqual(Array(expected.utf8), Array(signature.utf8)) else {
            throw AttacheError(.forbidden, "The link's signature is not valid.")
        }
        guard Double(expiry) >= now.timeIntervalSince1970 else {
            throw AttacheError(.forbidden, "The link has expired; ask the API for a new one.")
        }
    }

    private func sign(path: String, tenantSlug: String, expires: Int64) -> String {
        var message = "GET\n\(path)\n\(tenantSlug)\n\(expires)"
        var mac = keyed.start()
        message.withUTF8 { mac.update(data: UnsafeRawBufferPointer($0)) }
        return mac.finalize().withUnsafeBytes { Base64URL.encode($0) }
    }

    private func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// An HMAC already keyed: keying hashes the padded key twice, which cost more than signing a link.
/// Each signature starts from a copy (the hash states are copy-on-write values).
private struct KeyedHMAC: @unchecked Sendable {
    private let prototype: HMAC<SHA256>

    init(key: SymmetricKey) {
        prototype = HMAC<SHA256>(key: key)
    }

    func start() -> HMAC<SHA256> { prototype }
}
