package import AttacheCore
package import Foundation

/// A ``MetadataStore`` kept in memory: a fake that passes the same contract suites as the SQL stores
/// (`MetadataStoreContractTests`, `QuotaContractTests`, `CoordinationContractTests`), so the service's
/// rules can be tested without a database (`ATTACHE_TEST_STORES=memory` runs the HTTP suite on it).
///
/// Every change runs on a copy of the tables and is kept only when it succeeds, as a transaction is;
/// the actor runs one change at a time, as SQLite's single writer does. Not for production: nothing
/// survives the process.
package actor InMemoryMetadataStore: MetadataStore {
    var tables = InMemoryTables()
    let coordination = InMemoryCoordinationStore()

    package init() {}

    package func migrate() {}

    package func checkHealth() {}

    package func shutdown() {}

    /// Runs `change` on a copy of the tables, and keeps the copy only when `change` returns.
    func transaction<Result>(_ change: (inout InMemoryTables) throws -> Result) rethrows -> Result {
        var copy = tables
        let result = try change(&copy)
        tables = copy
        return result
    }

    // MARK: JobLeaseStore, SigningKeyStore

    package func acquireLease(_ name: String, holder: String, now: Date, expiresAt: Date) async -> Bool {
        await coordination.acquireLease(name, holder: holder, now: now, expiresAt: expiresAt)
    }

    package func signingKeys() async -> [SigningKey] {
        await coordination.signingKeys()
    }

    package func ensureSigningKey(_ candidate: [UInt8]) async -> [SigningKey] {
        await coordination.ensureSigningKey(candidate)
    }

    package func rotateSigningKey(to secret: [UInt8], at time: Date, signsFrom: Date, purgeBefore: Date) async -> [SigningKey] {
        await coordination.rotateSigningKey(to: secret, at: time, signsFrom: signsFrom, purgeBefore: purgeBefore)
    }
}
