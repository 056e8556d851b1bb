import AttacheCore
import Foundation
import Testing

/// Tenant quotas in every metadata store: content counts once per tenant, as stored; a commit that
/// would pass a limit stores nothing; concurrent commits cannot both take the last room.
@Suite("Quota contract", .timeLimit(.minutes(3)))
struct QuotaContractTests {
    static func file(_ letter: Character, size: Int64) -> NewFile {
        NewFile(name: "\(letter).pdf", size: size, mimeType: "application/pdf", kind: .document, sha256: String(repeating: letter, count: 64))
    }

    static func expectQuotaExceeded(_ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected quota_exceeded")
        } catch let error as AttacheError {
            #expect(error.code == .quotaExceeded)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(arguments: MetadataStoreKind.allCases)
    func limitsHoldAndDeduplicatedContentCountsOnce(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let tenant = try await store.createTenant(slug: "acme", name: "Acme")
        let other = try await store.createTenant(slug: "globex", name: "Globex")
        #expect(try await store.usage(tenantID: tenant.id) == TenantUsage(bytes: 0, files: 0, quota: .unlimited))
        #expect(try await store.setQuota(TenantQuota(maximumBytes: 100, maximumFiles: 2), tenantID: tenant.id))
        #expect(try await store.setQuota(.unlimited, tenantID: 999_999) == false)
        #expect(try await store.tenant(id: tenant.id)?.quota == TenantQuota(maximumBytes: 100, maximumFiles: 2))

        try await MetadataStoreContractTests.store([Self.file("a", size: 60)], in: store, tenantID: tenant.id)
        try await MetadataStoreContractTests.store([Self.file("a", size: 60)], in: store, tenantID: tenant.id)
        #expect(try await store.usage(tenantID: tenant.id).bytes == 60, "the same content twice is stored once")
        #expect(try await store.usage(tenantID: tenant.id).files == 2)
        await Self.expectQuotaExceeded {
            try await MetadataStoreContractTests.store([Self.file("e", size: 1)], in: store, tenantID: tenant.id)
        }
        #expect(try await store.usage(tenantID: tenant.id) == TenantUsage(bytes: 60, files: 2, quota: TenantQuota(maximumBytes: 100, maximumFiles: 2)))

        #expect(try await store.setQuota(TenantQuota(maximumBytes: 100, maximumFiles: nil), tenantID: tenant.id))
        await Self.expectQuotaExceeded {
            try await MetadataStoreContractTests.store([Self.file("b", size: 30), Self.file("c", size: 11)], in: store, tenantID: tenant.id)
        }
        #expect(try await store.usage(tenantID: tenant.id).bytes == 60, "a refused commit stores none of its files")
        try await MetadataStoreContractTests.store([Self.file("f", size: 40)], in: store, tenantID: tenant.id)
        #expect(try await store.usage(tenantID: tenant.id).bytes == 100, "exactly the limit fits")

        // Another tenant's content and quota are its own.
        try await MetadataStoreContractTests.store([Self.file("d", size: 500)], in: store, tenantID: other.id)
        #expect(try await store.usage(tenantID: other.id) == TenantUsage(bytes: 500, files: 1, quota: .unlimited))
    }

    @Test(arguments: MetadataStoreKind.allCases)
    func concurrentCommitsCannotShareTheLastRoom(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let tenant = try await store.createTenant(slug: "acme", name: "Acme")
        #expect(try await store.setQuota(TenantQuota(maximumBytes: 100), tenantID: tenant.id))
        let letters = Array("abcdefghij")
        let stored = await withTaskGroup(of: Bool.self) { group in
            for letter in letters {
                group.addTask {
                    do {
                        try await MetadataStoreContractTests.store([Self.file(letter, size: 30)], in: store, tenantID: tenant.id)
                        return true
                    } catch {
                        return false
                    }
                }
            }
            var count = 0
            for await ok in group where ok { count += 1 }
            return count
        }
        #expect(stored == 3, "three files of 30 bytes fit in 100")
        #expect(try await store.usage(tenantID: tenant.id).bytes == 90)
    }
}
