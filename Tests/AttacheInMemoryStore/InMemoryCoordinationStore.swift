package import AttacheCore
package import Foundation

/// What nodes coordinate through — job leases and the shared signing keys — kept in memory: a fake of
/// ``JobLeaseStore`` and ``SigningKeyStore`` that passes the same contract as the SQL stores
/// (``CoordinationContractTests``), for tests of the rules built on them without a database.
package actor InMemoryCoordinationStore: JobLeaseStore, SigningKeyStore {
    private var leases: [String: (holder: String, expiresAt: Date)] = [:]
    private var keys: [SigningKey] = []
    private var nextKeyID: Int64 = 1

    package init() {}

    package func acquireLease(_ name: String, holder: String, now: Date, expiresAt: Date) -> Bool {
        if let lease = leases[name], lease.holder != holder, lease.expiresAt >= now { return false }
        leases[name] = (holder, expiresAt)
        return true
    }

    package func signingKeys() -> [SigningKey] {
        keys
    }

    package func ensureSigningKey(_ candidate: [UInt8]) -> [SigningKey] {
        if keys.isEmpty { keys.append(newKey(candidate, at: Date())) }
        return keys
    }

    package func rotateSigningKey(to secret: [UInt8], at time: Date, signsFrom: Date, purgeBefore: Date) -> [SigningKey] {
        let activation = keys.isEmpty ? time : max(signsFrom, time)
        for index in keys.indices where (keys[index].retiredAt ?? .distantFuture) > activation {
            keys[index].retiredAt = activation
        }
        keys.removeAll { ($0.retiredAt ?? .distantFuture) <= purgeBefore }
        keys.append(newKey(secret, at: time, signsFrom: activation))
        return keys
    }

    private func newKey(_ secret: [UInt8], at time: Date, signsFrom: Date? = nil) -> SigningKey {
        defer { nextKeyID += 1 }
        return SigningKey(id: nextKeyID, secret: secret, createdAt: time, signsFrom: signsFrom)
    }
}
