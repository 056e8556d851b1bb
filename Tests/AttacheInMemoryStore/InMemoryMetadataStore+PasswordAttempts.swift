package import AttacheCore
package import Foundation

/// ``ShareStore``'s password attempts.
extension InMemoryMetadataStore {
    static func attemptsKey(_ shareID: UUID, _ client: String) -> String { shareID.lowercasedText + "|" + client }

    package func admitSharePassword(shareID: UUID, client: String, limit: PasswordGuessLimit, now: Date) -> Date? {
        transaction { tables in
            let key = Self.attemptsKey(shareID, client)
            let (attempts, refusedUntil) = limit.admit(tables.sharePasswordAttempts[key]?.attempts, now: now)
            tables.sharePasswordAttempts[key] = (attempts, now)
            return refusedUntil
        }
    }

    package func forgetSharePasswordAttempts(shareID: UUID, client: String) {
        transaction { tables in tables.sharePasswordAttempts[Self.attemptsKey(shareID, client)] = nil }
    }

    package func pruneSharePasswordAttempts(before: Date) -> Int {
        transaction { tables in
            let old = tables.sharePasswordAttempts.filter { $0.value.updatedAt < before && ($0.value.attempts.lockedUntil ?? .distantPast) < before }
            for key in old.keys { tables.sharePasswordAttempts[key] = nil }
            return old.count
        }
    }
}
