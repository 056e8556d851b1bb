import AttacheCore
@testable import AttacheSQL
import Foundation
import Testing

private let audit = AuditContext(actor: .cli)

/// Upgrades of a database made by an earlier release, on both SQL stores.
@Suite("Schema upgrades", .timeLimit(.minutes(3)))
struct SchemaUpgradeTests {
    static func sha(_ seed: Int) -> String { String(format: "%064x", 0xF000 + seed) }

    /// Schema 24 shipped the search index with an empty body; 25 adds derived work, and entries
    /// take the text read from their content — for attachments made before the upgrade too; 27 ranks
    /// PostgreSQL's entries on their weighted fields, old entries too.
    @Test(arguments: MetadataStoreKind.sqlCases)
    func aSearchIndexOfSchema24TakesContentTextAfterTheUpgrade(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.makeUnmigrated()
        defer { Task { await cleanup() } }
        try await store.migrate(through: 24)
        let acme = try await store.createTenant(slug: "acme", name: "Acme")
        let record = try await store.createRecord(tenantID: acme.id, type: .property, externalIdentifier: nil, title: "Keizersgracht 12", audit: audit)
        let link = AttachmentLink(recordID: record.id, description: nil)
        // Stored under schema 24 (archives: they queue no derived work, which that schema has no table for),
        // the word in a description first, then in a name.
        let cupboard = NewFile(name: "cupboard.zip", size: 10, mimeType: "application/zip", kind: .document, sha256: Self.sha(3))
        _ = try await MetadataStoreContractTests.store([cupboard], in: store, tenantID: acme.id, link: AttachmentLink(recordID: record.id, description: "meter cupboard"))
        let old = NewFile(name: "meter-readings.zip", size: 10, mimeType: "application/zip", kind: .document, sha256: Self.sha(1))
        _ = try await MetadataStoreContractTests.store([old], in: store, tenantID: acme.id, link: link)

        try await store.migrate()
        // Ranked as entries made now are (on PostgreSQL, migration 27 gives old entries their weighted fields).
        #expect(try await Self.names(store.searchAttachments(tenantID: acme.id, query: SearchQuery(text: "meter"))) == ["meter-readings.zip", "cupboard.zip"])
        // Content stored after the upgrade is read, and found by its text, beside the old entry.
        let notes = NewFile(name: "notes.txt", size: 10, mimeType: "text/plain", kind: .document, sha256: Self.sha(2))
        _ = try await MetadataStoreContractTests.store([notes], in: store, tenantID: acme.id, link: link)
        let now = Date()
        let job = try #require(try await store.claimDerivationJob(holder: "n1", now: now, leaseEnd: now.addingTimeInterval(60)))
        #expect(try await store.completeDerivationJob(job, holder: "n1", result: .text(DerivedText(status: .extracted, text: "boiler serviced, meter 4411")), now: now))
        #expect(try await Self.names(store.searchAttachments(tenantID: acme.id, query: SearchQuery(text: "boiler"))) == ["notes.txt"])
        #expect(try await Self.names(store.searchAttachments(tenantID: acme.id, query: SearchQuery(text: "meter"))) == ["meter-readings.zip", "cupboard.zip", "notes.txt"])
    }

    static func names(_ hits: [SearchHit]) -> [String] { hits.map(\.attached.file.name) }
}
