public import Foundation

/// The link signing keys every node shares. (A role of ``MetadataStore``.)
public protocol SigningKeyStore: Sendable {
    /// Every signing key kept, oldest first.
    func signingKeys() async throws -> [SigningKey]
    /// Stores `candidate` as the signing key unless there is one already (one wins however many nodes
    /// start at once: SQLite's single writer, PostgreSQL's advisory lock). - Returns: every key kept.
    func ensureSigningKey(_ candidate: [UInt8]) async throws -> [SigningKey]
    /// Retires the signing key at `time`, stores `secret` as the new one, and deletes keys retired
    /// before `purgeBefore`. - Returns: every key kept.
    func rotateSigningKey(to secret: [UInt8], at time: Date, purgeBefore: Date) async throws -> [SigningKey]
}
