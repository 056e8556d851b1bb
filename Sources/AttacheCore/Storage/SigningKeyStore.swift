public import Foundation

/// The link signing keys every node shares. (A role of ``MetadataStore``.)
public protocol SigningKeyStore: Sendable {
    /// Every signing key kept, oldest first.
    func signingKeys() async throws -> [SigningKey]
    /// Stores `candidate` as the signing key unless there is one already (one wins however many nodes
    /// start at once: SQLite's single writer, PostgreSQL's advisory lock). - Returns: every key kept.
    func ensureSigningKey(_ candidate: [UInt8]) async throws -> [SigningKey]
    /// Stores `secret` at `time` as a key that signs from `signsFrom` (or `time`, if later; at once when
    /// no key is stored, as there is nothing else to sign with), retires at
    /// `signsFrom` every key not retired by then, and deletes keys retired at `purgeBefore` or earlier.
    /// - Returns: every key kept.
    func rotateSigningKey(to secret: [UInt8], at time: Date, signsFrom: Date, purgeBefore: Date) async throws -> [SigningKey]
}
