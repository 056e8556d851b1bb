import AttacheCore
import AttacheInMemoryStore
import Foundation
import Testing

/// What nodes coordinate through, on every implementation: the SQL stores and the in-memory fake.
enum CoordinationStoreKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres
    case memory

    static var allCases: [CoordinationStoreKind] {
        MetadataStoreKind.sqlCases.compactMap { CoordinationStoreKind(rawValue: $0.rawValue) } + [.memory]
    }

    var testDescription: String { rawValue }

    func make() async throws -> (store: any JobLeaseStore & SigningKeyStore, cleanup: @Sendable () async -> Void) {
        switch self {
        case .sqlite: return try await MetadataStoreKind.sqlite.make()
        case .postgres: return try await MetadataStoreKind.postgres.make()
        case .memory: return (InMemoryCoordinationStore(), {})
        }
    }
}

/// The contract of ``JobLeaseStore`` and ``SigningKeyStore``.
@Suite("Coordination store contract", .timeLimit(.minutes(3)))
struct CoordinationContractTests {
    /// Nodes starting at once agree on one signing key; a rotation retires it, adds one, and purges
    /// keys retired before the cutoff.
    @Test(arguments: CoordinationStoreKind.allCases)
    func oneSigningKeyWinsAndRotationsKeepTheRetired(kind: CoordinationStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        #expect(try await store.signingKeys().isEmpty)
        let results = try await withThrowingTaskGroup(of: [SigningKey].self) { group in
            for candidate in 1...8 {
                group.addTask { try await store.ensureSigningKey(Array(repeating: UInt8(candidate), count: 32)) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let first = try #require(results.first?.first)
        #expect(results.allSatisfy { $0 == [first] }, "every node adopts the same key")
        #expect(first.retiredAt == nil && first.secret.count == 32 && first.signsFrom == first.createdAt)

        let rotatedAt = Date(timeIntervalSince1970: 2_000_000_000)
        let rotated = try await store.rotateSigningKey(
            to: Array(repeating: 99, count: 32), at: rotatedAt, signsFrom: rotatedAt, purgeBefore: rotatedAt.addingTimeInterval(-1)
        )
        #expect(rotated.count == 2 && rotated[0].id == first.id && rotated[0].retiredAt == rotatedAt)
        #expect(rotated[1].retiredAt == nil && rotated[1].secret == Array(repeating: 99, count: 32) && rotated[1].signsFrom == rotatedAt)
        #expect(try await store.ensureSigningKey(Array(repeating: 5, count: 32)) == rotated, "a key exists: nothing is added")
        let later = rotatedAt.addingTimeInterval(100)
        let again = try await store.rotateSigningKey(to: Array(repeating: 7, count: 32), at: later, signsFrom: later, purgeBefore: later.addingTimeInterval(-50))
        #expect(again.map(\.id) == [rotated[1].id, again[1].id], "the key retired 100 s ago is purged, the one retired now kept")
        #expect(try await store.signingKeys() == again)
    }

    /// A rotation ahead of time stores the new key at once and retires the old one when the new one
    /// starts signing; a second rotation before then retires both at its own moment, and an immediate
    /// rotation brings a retirement planned for later forward; one that purges what it retires leaves
    /// the new key alone. A key stored without a time to sign signs from its creation.
    @Test(arguments: CoordinationStoreKind.allCases)
    func aRotationAheadOfTimeRetiresTheOldKeyWhenTheNewOneSigns(kind: CoordinationStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let start = Date(timeIntervalSince1970: 1_900_000_000)
        let onEmpty = try await store.rotateSigningKey(to: Array(repeating: 9, count: 32), at: start, signsFrom: start.addingTimeInterval(120), purgeBefore: start)
        #expect(onEmpty.count == 1 && onEmpty[0].signsFrom == start, "with no key stored, the first signs at once")
        let first = try #require(onEmpty.first)
        let now = Date(timeIntervalSince1970: 2_000_000_000)
        let planned = try await store.rotateSigningKey(
            to: Array(repeating: 2, count: 32), at: now, signsFrom: now.addingTimeInterval(120), purgeBefore: .distantPast
        )
        #expect(planned.count == 2)
        #expect(planned[0].retiredAt == now.addingTimeInterval(120), "the old key signs until the new one takes over")
        #expect(planned[1].createdAt == now && planned[1].signsFrom == now.addingTimeInterval(120) && planned[1].retiredAt == nil)
        #expect(SigningKey.signing(among: planned, at: now.addingTimeInterval(119))?.id == first.id)
        #expect(SigningKey.signing(among: planned, at: now.addingTimeInterval(120))?.id == planned[1].id)

        let second = try await store.rotateSigningKey(
            to: Array(repeating: 3, count: 32), at: now.addingTimeInterval(10), signsFrom: now.addingTimeInterval(70), purgeBefore: .distantPast
        )
        #expect(second.map(\.retiredAt) == [now.addingTimeInterval(70), now.addingTimeInterval(70), nil], "nothing signs after the newest takes over")
        #expect(SigningKey.signing(among: second, at: now.addingTimeInterval(69))?.id == first.id)
        #expect(SigningKey.signing(among: second, at: now.addingTimeInterval(70))?.id == second[2].id)

        let urgent = try await store.rotateSigningKey(
            to: Array(repeating: 4, count: 32), at: now.addingTimeInterval(20), signsFrom: now.addingTimeInterval(20), purgeBefore: .distantPast
        )
        #expect(urgent.dropLast().allSatisfy { $0.retiredAt == now.addingTimeInterval(20) }, "an immediate rotation retires every other key now")
        #expect(SigningKey.signing(among: urgent, at: now.addingTimeInterval(20))?.id == urgent[3].id)
        #expect(try await store.signingKeys() == urgent)

        let leaked = now.addingTimeInterval(30)
        let alone = try await store.rotateSigningKey(to: Array(repeating: 5, count: 32), at: leaked, signsFrom: leaked, purgeBefore: leaked)
        #expect(alone.count == 1 && alone[0].secret == Array(repeating: 5, count: 32), "no delay and no retention: the old keys are gone")
    }

    /// A lease has one holder at a time; it renews its own, and another takes it only once it expired.
    @Test(arguments: CoordinationStoreKind.allCases)
    func aLeaseHasOneHolder(kind: CoordinationStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        func take(_ holder: String, at offset: TimeInterval, for length: TimeInterval = 100, name: String = "gc") async throws -> Bool {
            try await store.acquireLease(name, holder: holder, now: t0.addingTimeInterval(offset), expiresAt: t0.addingTimeInterval(offset + length))
        }
        #expect(try await take("a", at: 0))
        #expect(try await !take("b", at: 50))
        #expect(try await take("a", at: 60), "the holder renews")
        #expect(try await !take("b", at: 150), "renewed until 160")
        #expect(try await take("b", at: 161), "expired: taken over")
        #expect(try await !take("a", at: 170))
        #expect(try await take("a", at: 170, name: "other"), "each job has its own lease")
        let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
            for node in 0..<8 {
                group.addTask { try await take("node-\(node)", at: 1000) }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(winners == 1, "of nodes racing for an expired lease, one wins")
    }
}
