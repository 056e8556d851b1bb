import AttacheCore
@testable import AttacheSQL
import Foundation
import SQLKit
import Testing

private let audit = AuditContext(actor: .cli)

/// Records, files and attachments carry numbers drawn per tenant (``NumberedTable``): what one tenant
/// sees says nothing of another's volume, and ids issued before numbering existed stay valid.
@Suite("Per-tenant numbers", .timeLimit(.minutes(3)))
struct NumberingTests {
    static func newFile(_ seed: Int, name: String) -> NewFile {
        NewFile(name: name, size: 10, mimeType: "application/pdf", kind: .document, sha256: String(repeating: String(seed % 10), count: 64))
    }

    @Test(arguments: MetadataStoreKind.allCases)
    func aTenantsNumbersIgnoreOtherTenants(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let acme = try await store.createTenant(slug: "acme", name: "Acme")
        let globex = try await store.createTenant(slug: "globex", name: "Globex")
        var acmeRecords: [Record] = []
        for _ in 0..<3 {
            acmeRecords.append(try await store.createRecord(tenantID: acme.id, type: .person, externalIdentifier: nil, title: nil, audit: audit))
        }
        let acmeFiles = try await MetadataStoreContractTests.store(
            (0..<4).map { Self.newFile($0, name: "acme\($0).pdf") }, in: store, tenantID: acme.id,
            link: AttachmentLink(recordID: acmeRecords[2].id, description: nil)
        )
        let globexRecord = try await store.createRecord(tenantID: globex.id, type: .person, externalIdentifier: nil, title: nil, audit: audit)
        let globexFiles = try await MetadataStoreContractTests.store(
            [Self.newFile(7, name: "globex.pdf")], in: store, tenantID: globex.id, link: AttachmentLink(recordID: globexRecord.id, description: nil)
        )
        #expect(acmeRecords.map(\.id) == [1, 2, 3])
        #expect(acmeFiles.map(\.0.id) == [1, 2, 3, 4])
        #expect(acmeFiles.map { $0.1?.id } == [1, 2, 3, 4])
        #expect(acmeFiles.map { $0.1?.recordID } == [3, 3, 3, 3])
        #expect(globexRecord.id == 1)
        #expect(globexFiles.map(\.0.id) == [1])
        #expect(globexFiles.map { $0.1?.id } == [1])

        // The same number names each tenant's own row.
        #expect(try await store.file(tenantID: globex.id, id: 1)?.name == "globex.pdf")
        #expect(try await store.file(tenantID: acme.id, id: 1)?.name == "acme0.pdf")
        #expect(try await store.file(tenantID: globex.id, id: 2) == nil)
        #expect(try await store.record(tenantID: globex.id, id: 3) == nil)
        let listed = try await store.attachments(tenantID: acme.id, recordID: 3, page: PageRequest(limit: 2))
        #expect(listed.items.map(\.file.id) == [1, 2])
        let rest = try await store.attachments(tenantID: acme.id, recordID: 3, page: try PageRequest(limit: 2, cursor: try #require(listed.nextCursor)))
        #expect(rest.items.map(\.file.id) == [3, 4])
        #expect(try await store.attachments(tenantID: globex.id, recordID: 3, page: PageRequest()).items.isEmpty)

        // Attaching, moving and deleting by number stay within the tenant.
        let moved = try await store.attach(fileIDs: [1], tenantID: acme.id, link: AttachmentLink(recordID: 1, description: nil), audit: audit)
        #expect(moved.map(\.record.id) == [1])
        #expect(moved.map(\.attachment.fileID) == [1])
        await #expect(throws: AttacheError.self) {
            try await store.attach(fileIDs: [2], tenantID: globex.id, link: AttachmentLink(recordID: 1, description: nil), audit: audit)
        }
        #expect(try await store.deleteFile(tenantID: globex.id, id: 4, audit: audit) == nil)
        #expect(try await store.deleteFile(tenantID: acme.id, id: 4, audit: audit)?.name == "acme3.pdf")
        #expect(try await store.file(tenantID: acme.id, id: 4) == nil)
        let again = try await MetadataStoreContractTests.store([Self.newFile(8, name: "later.pdf")], in: store, tenantID: acme.id)
        #expect(again.map(\.0.id) == [5])

        // Tokens too (audit actors name them): each tenant's are 1, 2, …; revoking goes by the tenant's number.
        func token(_ tenant: Tenant) async throws -> AccessToken {
            try await store.createToken(
                tenantID: tenant.id, scope: .write, label: nil, secretHash: UUID().uuidString, expiresAt: nil, signedInAs: nil,
                audit: audit, recording: .tokenCreate
            )
        }
        #expect(try await [token(acme), token(acme)].map(\.id) == [1, 2])
        #expect(try await token(globex).id == 1)
        #expect(try await store.revokeToken(id: 2, tenantID: globex.id, audit: audit) == false)
        #expect(try await store.revokeToken(id: 2, tenantID: acme.id, audit: audit))
        #expect(try await store.tokens(tenantID: acme.id).map { $0.revokedAt != nil } == [false, true])

        // Audit events too: each tenant's trail is numbered 1, 2, 3, … whatever the other wrote.
        for tenant in [acme, globex] {
            let events = try await store.auditEvents(tenantID: tenant.id, matching: AuditQuery(), page: PageRequest(limit: 200)).items
            #expect(events.map(\.id).sorted() == Array(1...Int64(events.count)), "\(tenant.slug)")
        }
    }

    /// A database whose rows got global ids (schema 14) keeps them as numbers, and each tenant's new
    /// numbers start above every id issued before, deleted rows' ids included.
    @Test(arguments: MetadataStoreKind.sqlCases)
    func idsIssuedBeforeNumberingStayValid(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.makeUnmigrated()
        defer { Task { await cleanup() } }
        try await store.migrate(through: 14)
        try await store.database.write { db in
            for slug in ["acme", "globex"] {
                try await db.raw("INSERT INTO tenants (slug, name, next_reference, created_at) VALUES (\(bind: slug), \(bind: slug), 1001, 0)").run()
            }
        }
        // Read as schema 14 has them (the store's own reads know every later column).
        let tenantIDs = try await store.database.read { db in
            try await db.raw("SELECT id, slug FROM tenants").all().reduce(into: [String: Int64]()) { ids, row in
                ids[try row.decode(column: "slug", as: String.self)] = try row.decode(column: "id", as: Int64.self)
            }
        }
        let acme = (id: try #require(tenantIDs["acme"]), slug: "acme")
        let globex = (id: try #require(tenantIDs["globex"]), slug: "globex")
        let claims = try await store.claimBlobs([BlobAddress(tenantID: acme.id, sha256: String(repeating: "a", count: 64)): 10])
        #expect(claims.count == 1)
        try await store.database.write { db in
            for (id, tenant) in [(1, acme.id), (2, globex.id), (3, acme.id), (4, acme.id)] {
                try await db.raw("""
                    INSERT INTO records (id, uuid, tenant_id, type, reference, created_at, updated_at)
                    VALUES (\(bind: id), \(bind: UUID().databaseText), \(bind: tenant), 'person', \(bind: "r\(id)"), 0, 0)
                    """).run()
            }
            try await db.raw("""
                INSERT INTO blobs (tenant_id, sha256, size, created_at) VALUES (\(bind: acme.id), \(bind: String(repeating: "b", count: 64)), 10, 0)
                """).run()
            for id in [1, 2] {
                try await db.raw("""
                    INSERT INTO files (id, uuid, tenant_id, name, size, mime_type, kind, sha256, created_at, updated_at)
                    VALUES (\(bind: id), \(bind: UUID().databaseText), \(bind: acme.id), \(bind: "old\(id).pdf"), 10, 'application/pdf', 'Document',
                            \(bind: String(repeating: "b", count: 64)), 0, 0)
                    """).run()
            }
            try await db.raw("""
                INSERT INTO attachments (id, uuid, tenant_id, record_id, file_id, created_at, updated_at)
                VALUES (9, \(bind: UUID().databaseText), \(bind: acme.id), 3, 1, 0, 0)
                """).run()
            try await db.raw("""
                INSERT INTO audit_events (id, tenant_id, occurred_at, action, actor) VALUES (7, \(bind: acme.id), 0, 'record.create', 'cli')
                """).run()
            try await db.raw("""
                INSERT INTO tokens (id, tenant_id, scope, secret_hash, created_at) VALUES (5, \(bind: acme.id), 'write', 'old-token', 0)
                """).run()
            // The newest record is deleted: its id is never handed out again.
            try await db.raw("DELETE FROM records WHERE id = 4").run()
            if store.database.flavor == .postgres {
                // Rows given explicit ids leave the sequences behind; the ids the server issued are what they count.
                for (table, last) in [("records", 4), ("files", 2), ("attachments", 9), ("audit_events", 7), ("tokens", 5)] {
                    try await db.raw("SELECT setval(\(bind: "\(table)_id_seq")::regclass, \(bind: last)) AS value").run()
                }
            }
        }
        try await store.migrate()

        #expect(try await store.record(tenantID: acme.id, id: 1)?.reference == "r1")
        #expect(try await store.record(tenantID: acme.id, id: 3)?.reference == "r3")
        #expect(try await store.record(tenantID: globex.id, id: 2)?.reference == "r2")
        #expect(try await store.record(tenantID: acme.id, id: 2) == nil)
        #expect(try await store.file(tenantID: acme.id, id: 2)?.name == "old2.pdf")
        let old = try await store.attachments(tenantID: acme.id, recordID: 3, page: PageRequest()).items
        #expect(old.map(\.attachment.id) == [9])
        #expect(old.map(\.file.name) == ["old1.pdf"])

        let newRecord = try await store.createRecord(tenantID: acme.id, type: .contact, externalIdentifier: nil, title: nil, audit: audit)
        let newGlobexRecord = try await store.createRecord(tenantID: globex.id, type: .contact, externalIdentifier: nil, title: nil, audit: audit)
        #expect(newRecord.id == 5)
        #expect(newGlobexRecord.id == 5)
        let newFiles = try await store.insertFiles(
            [NewFile(name: "new.pdf", size: 10, mimeType: "application/pdf", kind: .document, sha256: String(repeating: "a", count: 64))],
            tenantID: acme.id, link: AttachmentLink(recordID: 3, description: nil), claims: claims, audit: audit
        )
        #expect(newFiles.map(\.0.id) == [3])
        #expect(newFiles.map { $0.1?.id } == [10])
        let listed = try await store.attachments(tenantID: acme.id, recordID: 3, page: PageRequest()).items
        #expect(listed.map(\.file.name) == ["old1.pdf", "new.pdf"])
        // The audit event written before numbering keeps its id; the new ones come above it, per tenant.
        let acmeEvents = try await store.auditEvents(tenantID: acme.id, matching: AuditQuery(), page: PageRequest(limit: 100)).items
        #expect(acmeEvents.map(\.id).sorted() == [7, 8, 9])
        let globexEvents = try await store.auditEvents(tenantID: globex.id, matching: AuditQuery(), page: PageRequest(limit: 100)).items
        #expect(globexEvents.map(\.id) == [8])
        // The token issued before keeps its id, and still signs in; new ones come above it.
        #expect(try await store.activeToken(secretHash: "old-token")?.0.id == 5)
        let newToken = try await store.createToken(
            tenantID: globex.id, scope: .read, label: nil, secretHash: "new-token", expiresAt: nil, signedInAs: nil, audit: audit, recording: .tokenCreate
        )
        #expect(newToken.id == 6)
    }
}
