import AttacheCore
@testable import AttacheSQL
import Foundation
import SQLKit
import Testing

private let audit = AuditContext(actor: .cli)

/// Upgrades of a database made by an earlier release, on both SQL stores.
@Suite("Schema upgrades", .timeLimit(.minutes(3)))
struct SchemaUpgradeTests {
    static func sha(_ seed: Int) -> String { String(format: "%064x", 0xF000 + seed) }

    /// Schema 24 shipped the search index with an empty body; 25 adds derived work, and entries
    /// take the text read from their content — for attachments made before the upgrade too; 27 ranks
    /// PostgreSQL's entries on their weighted fields, old entries too; 36 rewrites their tenant's lexeme
    /// and copies their headings.
    @Test(arguments: MetadataStoreKind.sqlCases)
    func aSearchIndexOfSchema24TakesContentTextAfterTheUpgrade(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.makeUnmigrated()
        defer { Task { await cleanup() } }
        try await store.migrate(through: 24)
        // The rows are written by this release's store, whose changes write their change events too
        // (migration 28): its tables are there for those writes only, and go before the upgrade,
        // which so runs from schema 24 as it shipped.
        let (acme, record) = try await Self.withChangeFeedTables(of: store) {
            try await Self.storeRowsOfSchema24(in: store)
        }
        try await store.migrate()
        let link = AttachmentLink(recordID: record.id, description: nil)
        // Ranked as entries made now are (on PostgreSQL, migration 27 gives old entries their weighted fields).
        #expect(try await Self.names(store.searchAttachments(tenantID: acme.id, query: SearchQuery(text: "meter"))) == ["meter-readings.zip", "cupboard.zip"])
        // On PostgreSQL, migration 36 gives old entries the tenant's lexeme that no word finds.
        #expect(try await store.searchAttachments(tenantID: acme.id, query: SearchQuery(text: "tenant")).isEmpty)
        // Content stored after the upgrade is read, and found by its text, beside the old entry.
        let notes = NewFile(name: "notes.txt", size: 10, mimeType: "text/plain", kind: .document, sha256: Self.sha(2))
        _ = try await MetadataStoreContractTests.store([notes], in: store, tenantID: acme.id, link: link)
        let now = Date()
        let job = try #require(try await store.claimDerivationJob(holder: "n1", now: now, leaseEnd: now.addingTimeInterval(60)))
        #expect(try await store.completeDerivationJob(job, holder: "n1", result: .text(DerivedText(status: .extracted, text: "boiler serviced, meter 4411")), now: now))
        #expect(try await Self.names(store.searchAttachments(tenantID: acme.id, query: SearchQuery(text: "boiler"))) == ["notes.txt"])
        #expect(try await Self.names(store.searchAttachments(tenantID: acme.id, query: SearchQuery(text: "meter"))) == ["meter-readings.zip", "cupboard.zip", "notes.txt"])
    }

    /// Schema 38 makes SQLite's index again, each entry keyed by its tenant (a no-op on PostgreSQL):
    /// what schema 37 indexed — names, descriptions, records and content text — is found after the
    /// upgrade, ranked, in its tenant only, and the entries keep following changes.
    @Test(arguments: MetadataStoreKind.sqlCases)
    func aSearchIndexOfSchema37IsFoundAsBeforeAfterTheUpgrade(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.makeUnmigrated()
        defer { Task { await cleanup() } }
        try await store.migrate(through: 37)
        let acme = try await store.createTenant(slug: "acme", name: "Acme")
        let globex = try await store.createTenant(slug: "globex", name: "Globex")
        let house = try await store.createRecord(tenantID: acme.id, type: .property, externalIdentifier: "PD-7", title: "Boiler house", audit: audit)
        let other = try await store.createRecord(tenantID: globex.id, type: .property, externalIdentifier: nil, title: "Boiler room", audit: audit)
        for (index, (name, record, tenant, description)) in [
            ("notes.txt", house, acme, "gas meter"), ("boiler.pdf", house, acme, nil), ("plan.pdf", house, acme, nil), ("boiler.pdf", other, globex, nil),
        ].enumerated() {
            let file = NewFile(name: name, size: 10, mimeType: "application/pdf", kind: .document, sha256: Self.sha(40 + index))
            _ = try await MetadataStoreContractTests.store([file], in: store, tenantID: tenant.id, link: AttachmentLink(recordID: record.id, description: description))
        }
        try await SearchContractTests.readTexts([Self.sha(42): "the boiler was serviced by Jansen"], in: store)
        // The rows were indexed by schema 37's triggers; this release's search reads schema 38's index.
        try await store.migrate()
        for (text, found) in [
            // SQLite ranks the text's word too; PostgreSQL ranks headings alone, then by attachment.
            ("boiler", kind == .sqlite ? ["boiler.pdf", "plan.pdf", "notes.txt"] : ["boiler.pdf", "notes.txt", "plan.pdf"]),
            ("gas meter", ["notes.txt"]), ("jansen", ["plan.pdf"]),
            ("pd", ["boiler.pdf", "plan.pdf", "notes.txt"]), ("house", ["notes.txt", "boiler.pdf", "plan.pdf"]),
        ] {
            #expect(Self.names(try await store.searchAttachments(tenantID: acme.id, query: SearchQuery(text: text))) == found, "\(text)")
        }
        #expect(Self.names(try await store.searchAttachments(tenantID: globex.id, query: SearchQuery(text: "boiler"))) == ["boiler.pdf"])
        #expect(try await store.searchAttachments(tenantID: globex.id, query: SearchQuery(text: "jansen")).isEmpty)
        // A record's new title reaches the entries made by the upgrade.
        _ = try await store.updateRecord(tenantID: acme.id, uuid: house.uuid, title: .some("Keizersgracht 12"), externalIdentifier: nil, legalHold: nil, audit: audit)
        #expect(Self.names(try await store.searchAttachments(tenantID: acme.id, query: SearchQuery(text: "keizersgracht"))).count == 3)
        #expect(Self.names(try await store.searchAttachments(tenantID: acme.id, query: SearchQuery(text: "house"))).isEmpty)
    }

    /// What the test stores under schema 24: a record with two archives, a word in a description first,
    /// then in a name (archives queue no derived work, which that schema has no table for).
    static func storeRowsOfSchema24(in store: SQLMetadataStore) async throws -> (Tenant, Record) {
        let acme = try await store.createTenant(slug: "acme", name: "Acme")
        let record = try await store.createRecord(tenantID: acme.id, type: .property, externalIdentifier: nil, title: "Keizersgracht 12", audit: audit)
        let link = AttachmentLink(recordID: record.id, description: nil)
        let cupboard = NewFile(name: "cupboard.zip", size: 10, mimeType: "application/zip", kind: .document, sha256: Self.sha(3))
        _ = try await MetadataStoreContractTests.store([cupboard], in: store, tenantID: acme.id, link: AttachmentLink(recordID: record.id, description: "meter cupboard"))
        let old = NewFile(name: "meter-readings.zip", size: 10, mimeType: "application/zip", kind: .document, sha256: Self.sha(1))
        _ = try await MetadataStoreContractTests.store([old], in: store, tenantID: acme.id, link: link)
        return (acme, record)
    }

    /// Runs `body` with the tables and columns of migrations 28 to 33 made (the change feed and its
    /// webhook deliveries, which every write of audit events writes to; attachments' versions,
    /// category and tags, which every read of an attachment reads; a resumable upload's category and
    /// tags), and drops them again.
    static func withChangeFeedTables<Result>(of store: SQLMetadataStore, _ body: () async throws -> Result) async throws -> Result {
        let migrations = SQLSchema.migrations.filter { (28...33).contains($0.version) }
        guard migrations.count == 6 else { throw TestSetupError("no migrations 28 to 33") }
        let flavor = store.database.flavor
        try await store.database.write { db in
            for statement in migrations.flatMap({ $0.statements(flavor) }) { try await db.raw(SQLQueryString(statement)).run() }
        }
        let result = try await body()
        try await store.database.write { db in
            try await db.raw("DROP INDEX attachments_by_category").run()
            for table in ["categories", "attachment_versions", "webhook_deliveries", "webhook_endpoints", "change_events"] {
                try await db.raw("DROP TABLE \(unsafeRaw: table)").run()
            }
            try await db.raw("ALTER TABLE tenants DROP COLUMN event_counter").run()
            let columns = [
                ("attachments", "version"), ("attachments", "version_author"), ("attachments", "version_at"), ("resumable_uploads", "version_of"),
                ("resumable_uploads", "version_sha256"), ("tenants", "versions_keep"), ("tenants", "versions_max_age"), ("attachments", "category"),
                ("attachments", "tags"), ("attachments", "expires_on"), ("attachments", "legal_hold"), ("records", "legal_hold"),
                ("resumable_uploads", "category"), ("resumable_uploads", "tags"),
            ]
            for (table, column) in columns { try await db.raw("ALTER TABLE \(unsafeRaw: table) DROP COLUMN \(unsafeRaw: column)").run() }
        }
        return result
    }

    static func names(_ hits: [SearchHit]) -> [String] { hits.map(\.attached.file.name) }
}
