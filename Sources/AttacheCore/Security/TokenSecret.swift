import Crypto
import Foundation

/// Creates bearer token secrets and the hashes under which they are stored.
public enum TokenSecret {
    /// Every secret starts with this, so leaked tokens are easy to recognise.
    public static let prefix = "att_"

    /// A new random secret: the prefix and 32 random bytes in URL-safe base64.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return prefix + Base64URL.encode(bytes)
    }

    /// `byteCount` random bytes as lower-case hex.
    public static func randomHex(byteCount: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<byteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }.hexString
    }

    /// A random id of letters and digits, like HighLevel's 20-character ids.
    public static func randomIdentifier(length: Int = 20) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }

    /// The stored form of a secret: lower-case hex SHA-256.
    public static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).hexString
    }
}
