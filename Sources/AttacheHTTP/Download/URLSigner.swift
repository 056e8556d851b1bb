import AttacheCore
import Crypto
import Foundation

/// Signs and verifies links that open content without an `Authorization` header.
///
/// A signed link is the content path plus `tenant`, `expires` (Unix seconds) and `signature`, where
/// the signature is HMAC-SHA256, in URL-safe base64, over `GET`, the path, the tenant slug and the
/// expiry. Changing any of them, or using the link after it expires, gives 403. The keys are a
/// ``SigningKeyring``'s: links are signed with its signing key and verified against every key that
/// may have signed a link still valid.
public struct URLSigner: Sendable {
    /// Default lifetime of a signed link: one hour.
    public static let defaultLifetime: TimeInterval = 3600

    public let keyring: SigningKeyring
    public let lifetime: TimeInterval

    /// The longest lifetime a link can have (ten years), so an expiry always fits its integer.
    public static let maximumLifetime: TimeInterval = 10 * 365 * 24 * 3600

    public init(keyring: SigningKeyring, lifetime: TimeInterval = URLSigner.defaultLifetime) {
        self.keyring = keyring
        self.lifetime = lifetime.isFinite ? min(max(lifetime, -Self.maximumLifetime), Self.maximumLifetime) : Self.defaultLifetime
    }

    /// A signer with one fixed secret.
    public init(secret: [UInt8], lifetime: TimeInterval = URLSigner.defaultLifetime) {
        self.init(keyring: SigningKeyring(secret: secret), lifetime: lifetime)
    }

    /// The query string (without `?`) that signs `path` for `tenantSlug`.
    package func query(path: String, tenantSlug: String, now: Date = Date()) -> String {
        let expires = Int64(now.addingTimeInterval(lifetime).timeIntervalSince1970)
        let signature = keyring.signing(at: now)?.signature(of: Self.message(path: path, tenantSlug: tenantSlug, expires: expires)) ?? ""
        return "tenant=\(tenantSlug)&expires=\(expires)&signature=\(signature)"
    }

    /// Checks a signed link.
    /// - Throws: `forbidden` when the signature does not match or the link has expired.
    package func verify(path: String, tenantSlug: String, expires: String, signature: String, now: Date = Date()) throws(AttacheError) {
        // Only the form the server issues: digits, no sign, no leading zero (`+17…`, `017…` are not it).
        guard let expiry = Int64(expires), String(expiry) == expires, expiry >= 0 else {
            throw AttacheError(.forbidden, "The link's signature is not valid.")
        }
        let message = Self.message(path: path, tenantSlug: tenantSlug, expires: expiry)
        let matches = keyring.verifying(now: now, lifetime: lifetime).contains { $0.isSignature(signature, of: message) }
        guard matches else {
            throw AttacheError(.forbidden, "The link's signature is not valid.")
        }
        guard Double(expiry) >= now.timeIntervalSince1970 else {
            throw AttacheError(.forbidden, "The link has expired; ask the API for a new one.")
        }
    }

    /// What a link's signature covers. Tickets (``URLSigner/ticket(for:lifetime:now:)``) sign messages
    /// that start with another word, so neither can stand for the other.
    private static func message(path: String, tenantSlug: String, expires: Int64) -> String {
        "GET\n\(path)\n\(tenantSlug)\n\(expires)"
    }
}
