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

    /// Starts signing links with a new random key. The old key keeps verifying the links it signed
    /// until they expire; keys retired more than `retention` ago are deleted.
    public func rotateSigningKey(now: Date = Date(), retention: TimeInterval = retiredKeyRetention) async throws -> [SigningKey] {
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return try await metadata.rotateSigningKey(to: secret, at: now, purgeBefore: now.addingTimeInterval(-retention))
    }
}
