public import Foundation

extension AttacheService {
    /// How long `attache keys rotate` keeps a retired key by default: longer than any link lives.
    public static let retiredKeyRetention: TimeInterval = 30 * 86_400

    /// The stored link signing keys, after storing `candidate` as the signing key if there is none yet
    /// (the first node to start creates it; every other node adopts it).
    public func signingKeys(adopting candidate: [UInt8]) async throws -> [SigningKey] {
        try await metadata.ensureSigningKey(candidate)
    }

    /// The stored link signing keys, oldest first.
    public func signingKeys() async throws -> [SigningKey] {
        try await metadata.signingKeys()
    }

    /// How long `attache keys rotate` waits by default before the new key signs: twice the servers'
    /// default reload interval (60 s), so every node holds the key before any link signed with it exists.
    public static let defaultKeyActivationDelay: TimeInterval = 120

    /// Stores a new random key that starts signing links `activationDelay` from `now` (keep it above
    /// every node's reload interval: until then nodes learn the key and verify with it, while the old
    /// key still signs). The old key keeps verifying the links it signed until they expire; keys
    /// retired `retention` ago or longer are deleted (with no delay and no retention, the old keys go
    /// at once, and every link they signed stops opening: the answer to a leaked key).
    public func rotateSigningKey(
        now: Date = Date(), activationDelay: TimeInterval = defaultKeyActivationDelay, retention: TimeInterval = retiredKeyRetention
    ) async throws -> [SigningKey] {
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return try await metadata.rotateSigningKey(
            to: secret, at: now, signsFrom: now.addingTimeInterval(max(activationDelay, 0)), purgeBefore: now.addingTimeInterval(-retention)
        )
    }
}
