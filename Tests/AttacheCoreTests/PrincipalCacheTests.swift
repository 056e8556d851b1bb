import Foundation
import Testing

@testable import AttacheCore

@Suite("Token cache", .timeLimit(.minutes(3)))
struct PrincipalCacheTests {
    static let principal = Principal(tenant: Tenant(id: 1, slug: "acme", name: "Acme", createdAt: Date()), scope: .read)

    @Test func entriesLastTheirLifetimeButNeverPastTheTokensExpiry() {
        let cache = PrincipalCache(lifetime: 5)
        let now = Date()
        cache.remember(Self.principal, forHash: "a", tokenExpiresAt: nil, now: now)
        cache.remember(Self.principal, forHash: "b", tokenExpiresAt: now.addingTimeInterval(1), now: now)
        #expect(cache.principal(forHash: "a", now: now.addingTimeInterval(4)) == Self.principal)
        #expect(cache.principal(forHash: "a", now: now.addingTimeInterval(6)) == nil)
        #expect(cache.principal(forHash: "b", now: now.addingTimeInterval(0.5)) == Self.principal)
        #expect(cache.principal(forHash: "b", now: now.addingTimeInterval(2)) == nil)
        #expect(cache.principal(forHash: "unknown", now: now) == nil)
    }

    @Test func zeroLifetimeDisablesAndCapacityBounds() {
        let off = PrincipalCache(lifetime: 0)
        off.remember(Self.principal, forHash: "a", tokenExpiresAt: nil)
        #expect(off.principal(forHash: "a") == nil)
        let small = PrincipalCache(lifetime: 60, capacity: 2)
        for hash in ["a", "b", "c"] {
            small.remember(Self.principal, forHash: hash, tokenExpiresAt: nil)
        }
        #expect(small.principal(forHash: "a") == nil)
        #expect(small.principal(forHash: "c") == Self.principal)
    }
}
