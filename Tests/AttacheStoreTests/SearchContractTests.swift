import AttacheCore
@testable import AttacheSQL
import Foundation
import SQLKit
import Testing

private let audit = AuditContext(actor: .cli)

/// The contract of ``SearchIndex``, on every metadata store: words found at the start of words of a
/// file's name, description and record, folded for case and accents, in the caller's tenant only, and
/// the index follows every change at once (rename, description, record title, delete).
@Suite("Search index contract", .timeLimit(.minutes(3)))
struct SearchContractTests {
    static func sha(_ seed: Int) -> String { String(format: "%064x", seed) }

    static func names(_ hits: [SearchHit]) -> [String] { hits.map(\.attached.file.name) }

    /// Works every derived job queued: a text job of content in `texts` (by SHA-256) reads that text,
    /// every other job fails.
    static func readTexts(_ texts: [String: String], in store: any MetadataStore) async throws {
        let now = Date()
        while let job = try await store.claimDerivationJob(holder: "n1", now: now, leaseEnd: now.addingTimeInterval(60)) {
            if job.kind == .text, let text = texts[job.address.sha256] {
                #expect(try await store.completeDerivationJob(job, holder: "n1", result: .text(DerivedText(status: .extracted, text: text)), now: now))
            } else {
                #expect(try await store.failDerivationJob(job, holder: "n1", reason: "not needed here", retryAt: nil, now: now))
            }
        }
    }

    @Test(arguments: MetadataStoreKind.allCases)
    func wordsAreFoundInTheirTenantAndFollowEveryChange(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let acme = try await store.createTenant(slug: "acme", name: "Acme")
        let globex = try await store.createTenant(slug: "globex", name: "Globex")
        let jansen = try await store.createRecord(tenantID: acme.id, type: .person, externalIdentifier: "CRM-4711", title: "Jörg Jansen", audit: audit)
        let flat = try await store.createRecord(tenantID: acme.id, type: .property, externalIdentifier: nil, title: "Keizersgracht 12", audit: audit)
        let other = try await store.createRecord(tenantID: globex.id, type: .person, externalIdentifier: nil, title: "Jansen", audit: audit)
        let stored = try await MetadataStoreContractTests.store(
            [MetadataStoreContractTests.newFile(Self.sha(1), name: "lease_jansen_2024.pdf"), MetadataStoreContractTests.newFile(Self.sha(2), name: "Überprüfung.pdf")],
            in: store, tenantID: acme.id, link: AttachmentLink(recordID: jansen.id, description: "signed at the office")
        )
        _ = try await MetadataStoreContractTests.store(
            [MetadataStoreContractTests.newFile(Self.sha(3), name: "gas safety certificate.pdf")], in: store, tenantID: acme.id,
            link: AttachmentLink(recordID: flat.id, description: nil)
        )
        _ = try await MetadataStoreContractTests.store(
            [MetadataStoreContractTests.newFile(Self.sha(4), name: "lease_jansen_2024.pdf")], in: store, tenantID: globex.id,
            link: AttachmentLink(recordID: other.id, description: nil)
        )
        func search(_ text: String, tenant: Tenant = acme, type: RecordType? = nil, record: UUID? = nil) async throws -> [SearchHit] {
            try await store.searchAttachments(tenantID: tenant.id, query: SearchQuery(text: text, recordType: type, recordUUID: record))
        }

        // Words of the name (split at punctuation), case and accents folded; every word must be found,
        // the last as a prefix, as it is typed, the others whole.
        #expect(Self.names(try await search("jansen 2024")) == ["lease_jansen_2024.pdf"])
        #expect(Self.names(try await search("jansen 20")) == ["lease_jansen_2024.pdf"])
        #expect(try await search("jans 2024").isEmpty)
        #expect(Self.names(try await search("gas safety cert")) == ["gas safety certificate.pdf"])
        #expect(try await search("gas saf certificate").isEmpty)
        #expect(Self.names(try await search("LEAS")) == ["lease_jansen_2024.pdf"])
        #expect(Self.names(try await search("uberpr")) == ["Überprüfung.pdf"])
        #expect(try await search("jansen 2023").isEmpty)
        #expect(try await search("!! --").isEmpty, "no word finds nothing, not everything")
        // The index's own mark of the tenant is no word (PostgreSQL's lexeme was `tenant=<id>`, which "tenant" found).
        #expect(try await search("tenant").isEmpty)
        #expect(try await search("ten").isEmpty)
        // The record's title and external identifier, and the description.
        #expect(Set(Self.names(try await search("jorg"))) == ["lease_jansen_2024.pdf", "Überprüfung.pdf"])
        #expect(Set(Self.names(try await search("crm 4711"))) == ["lease_jansen_2024.pdf", "Überprüfung.pdf"])
        #expect(Set(Self.names(try await search("office"))) == ["lease_jansen_2024.pdf", "Überprüfung.pdf"])
        #expect(Self.names(try await search("keizersgracht gas")) == ["gas safety certificate.pdf"])
        // Within a record type or one record.
        #expect(Self.names(try await search("pdf", type: .property)) == ["gas safety certificate.pdf"])
        #expect(Set(Self.names(try await search("pdf", record: jansen.uuid))) == ["lease_jansen_2024.pdf", "Überprüfung.pdf"])
        // Only the caller's tenant, whatever the words.
        #expect(try await search("lease").allSatisfy { $0.attached.attachment.tenantID == acme.id })
        #expect(try await search("lease", tenant: globex).map(\.attached.record.uuid) == [other.uuid])
        #expect(try await search("keizersgracht", tenant: globex).isEmpty)
        // Pages.
        let first = try await store.searchAttachments(tenantID: acme.id, query: SearchQuery(text: "pdf", limit: 2))
        let rest = try await store.searchAttachments(tenantID: acme.id, query: SearchQuery(text: "pdf", limit: 2, cursor: "o2"))
        #expect(first.count == 2 && rest.count == 1 && Set(Self.names(first + rest)).count == 3)

        // Every change is followed at once.
        let lease = try #require(stored.first?.1)
        _ = try await store.updateAttachment(tenantID: acme.id, uuid: lease.uuid, change: AttachmentChange(description: .some("countersigned"), fileName: "huurcontract.pdf"), audit: audit)
        #expect(Self.names(try await search("huurcontract countersigned")) == ["huurcontract.pdf"])
        #expect(try await search("lease").isEmpty)
        #expect(Self.names(try await search("office")) == ["Überprüfung.pdf"])
        _ = try await store.updateRecord(tenantID: acme.id, uuid: jansen.uuid, title: .some("Anna de Vries"), externalIdentifier: nil, legalHold: nil, audit: audit)
        #expect(Set(Self.names(try await search("vries"))) == ["huurcontract.pdf", "Überprüfung.pdf"])
        #expect(try await search("jorg").isEmpty)
        // A label changes nothing the index holds; a move to another record does.
        let review = try #require(stored.last?.1)
        _ = try await store.updateAttachment(tenantID: acme.id, uuid: review.uuid, change: AttachmentChange(tags: ["checked"]), audit: audit)
        #expect(Set(Self.names(try await search("vries"))) == ["huurcontract.pdf", "Überprüfung.pdf"])
        _ = try await store.updateAttachment(tenantID: acme.id, uuid: review.uuid, change: AttachmentChange(recordID: flat.id), audit: audit)
        #expect(Set(Self.names(try await search("keizersgracht"))) == ["gas safety certificate.pdf", "Überprüfung.pdf"])
        #expect(Self.names(try await search("vries")) == ["huurcontract.pdf"])
        _ = try await store.updateAttachment(tenantID: acme.id, uuid: review.uuid, change: AttachmentChange(recordID: jansen.id), audit: audit)
        _ = try await store.deleteAttachment(tenantID: acme.id, uuid: lease.uuid, audit: audit)
        #expect(Self.names(try await search("vries")) == ["Überprüfung.pdf"])
        _ = try await store.deleteRecord(tenantID: acme.id, uuid: jansen.uuid, audit: audit)
        #expect(try await search("vries").isEmpty)
        #expect(Self.names(try await search("lease", tenant: globex)) == ["lease_jansen_2024.pdf"])
    }

    /// A tenant whose id begins another's (1 and 12) finds none of the other's words: PostgreSQL's
    /// indexes hold lexemes that carry their tenant (`t1_gas`, `t12_gas`, migration 37).
    @Test(arguments: MetadataStoreKind.allCases)
    func aTenantWhoseIdBeginsAnothersFindsNoneOfItsWords(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        var tenants: [Tenant] = []
        for n in 0..<20 { tenants.append(try await store.createTenant(slug: "tenant\(n)", name: "Tenant \(n)")) }
        let first = try #require(tenants.first)
        let other = try #require(tenants.dropFirst().first { String($0.id).hasPrefix(String(first.id)) }, "no id begins \(first.id)")
        let record = try await store.createRecord(tenantID: other.id, type: .property, externalIdentifier: nil, title: "Boiler house", audit: audit)
        _ = try await MetadataStoreContractTests.store(
            [MetadataStoreContractTests.newFile(Self.sha(41), name: "2024 boiler.pdf")], in: store, tenantID: other.id,
            link: AttachmentLink(recordID: record.id, description: nil)
        )
        for text in ["boiler", "boil", "2024 boiler", "house boiler", "2", String(String(other.id).dropFirst(String(first.id).count))] {
            #expect(try await store.searchAttachments(tenantID: first.id, query: SearchQuery(text: text)).isEmpty, "\(text)")
        }
        #expect(Self.names(try await store.searchAttachments(tenantID: other.id, query: SearchQuery(text: "house boil"))) == ["2024 boiler.pdf"])
    }

    /// SQLite keys an entry by its tenant's id and its attachment's (`SQLSchema+Search`): an attachment
    /// whose id does not fit its 40 bits is refused with its transaction, never indexed under a key that
    /// names another tenant's range.
    @Test func anAttachmentBeyondTheSearchKeysIsRefused() async throws {
        let (store, cleanup) = try await MetadataStoreKind.sqlite.makeUnmigrated()
        defer { Task { await cleanup() } }
        try await store.migrate()
        let acme = try await store.createTenant(slug: "acme", name: "Acme")
        let record = try await store.createRecord(tenantID: acme.id, type: .property, externalIdentifier: nil, title: nil, audit: audit)
        let link = AttachmentLink(recordID: record.id, description: nil)
        _ = try await MetadataStoreContractTests.store([MetadataStoreContractTests.newFile(Self.sha(51), name: "first.pdf")], in: store, tenantID: acme.id, link: link)
        let last = (Int64(1) << SQLSchema.sqliteSearchKeyAttachmentBits) - 1
        try await store.database.write { db in
            try await db.raw("UPDATE sqlite_sequence SET seq = \(bind: last - 1) WHERE name = 'attachments'").run()
        }
        _ = try await MetadataStoreContractTests.store([MetadataStoreContractTests.newFile(Self.sha(52), name: "last.pdf")], in: store, tenantID: acme.id, link: link)
        await #expect(throws: (any Error).self) {
            _ = try await MetadataStoreContractTests.store([MetadataStoreContractTests.newFile(Self.sha(53), name: "beyond.pdf")], in: store, tenantID: acme.id, link: link)
        }
        #expect(Self.names(try await store.searchAttachments(tenantID: acme.id, query: SearchQuery(text: "pdf"))) == ["first.pdf", "last.pdf"])
    }

    /// Changes that reindex one attachment from transactions that do not lock each other (its own row,
    /// its record's title) race without a failure, and the entry ends with the last of each. On
    /// PostgreSQL both once deleted the entry, found none, and the second insert failed on the first's
    /// row (a duplicate key); the function now writes over it.
    @Test(arguments: MetadataStoreKind.sqlCases)
    func reindexingOneAttachmentFromRacingChangesNeverFails(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let acme = try await store.createTenant(slug: "acme", name: "Acme")
        let record = try await store.createRecord(tenantID: acme.id, type: .property, externalIdentifier: nil, title: "title0", audit: audit)
        let stored = try await MetadataStoreContractTests.store(
            [MetadataStoreContractTests.newFile(Self.sha(31), name: "meter.pdf")], in: store, tenantID: acme.id,
            link: AttachmentLink(recordID: record.id, description: "description0")
        )
        let attachment = try #require(stored.first?.1)
        let rounds = 40
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for round in 1...rounds {
                    _ = try await store.updateRecord(
                        tenantID: acme.id, uuid: record.uuid, title: .some("title\(round)"), externalIdentifier: nil, legalHold: nil, audit: audit
                    )
                }
            }
            group.addTask {
                for round in 1...rounds {
                    _ = try await store.updateAttachment(
                        tenantID: acme.id, uuid: attachment.uuid, change: AttachmentChange(description: .some("description\(round)")), audit: audit
                    )
                }
            }
            try await group.waitForAll()
        }
        let hits = try await store.searchAttachments(tenantID: acme.id, query: SearchQuery(text: "title\(rounds) description\(rounds)"))
        #expect(Self.names(hits) == ["meter.pdf"])
    }

    /// What a hit shows: the fields where words were found, with the words marked.
    @Test(arguments: MetadataStoreKind.allCases.filter { $0 != .memory })
    func snippetsMarkTheWordsFound(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let acme = try await store.createTenant(slug: "acme", name: "Acme")
        let record = try await store.createRecord(tenantID: acme.id, type: .property, externalIdentifier: nil, title: "Prinsengracht 3", audit: audit)
        _ = try await MetadataStoreContractTests.store(
            [MetadataStoreContractTests.newFile(Self.sha(5), name: "floor plan.pdf")], in: store, tenantID: acme.id,
            link: AttachmentLink(recordID: record.id, description: nil)
        )
        let hit = try #require(try await store.searchAttachments(tenantID: acme.id, query: SearchQuery(text: "plan prinsen")).first)
        // (PostgreSQL's parser may take `plan.pdf` as one word, and mark it whole.)
        let marked = hit.snippet.filter(\.isMatch).map { $0.text.lowercased() }
        #expect(marked.count == 2 && marked[0].hasPrefix("plan") && marked[1] == "prinsengracht", "\(hit.snippet)")
        #expect(hit.snippet.map(\.text).joined() == "floor plan.pdf · Prinsengracht 3", "\(hit.snippet)")
    }

    /// Hits come best first: a word in the file's name before one in its record's title, before one in
    /// its description, before one only in its content's text; on SQLite a word the text holds three
    /// times before one it holds once (PostgreSQL indexes the text's words without their count).
    @Test(arguments: MetadataStoreKind.sqlCases)
    func hitsAreRankedByWhereTheWordsAre(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let acme = try await store.createTenant(slug: "acme", name: "Acme")
        let flat = try await store.createRecord(tenantID: acme.id, type: .property, externalIdentifier: nil, title: "Keizersgracht 1", audit: audit)
        let house = try await store.createRecord(tenantID: acme.id, type: .property, externalIdentifier: nil, title: "Boiler house", audit: audit)
        let texts = [Self.sha(21): "a boiler once among many other words of a report", Self.sha(22): "the boiler, the boiler and the boiler again"]
        // Stored in the order the ranking must undo.
        for (sha, name, record, description) in [
            (Self.sha(21), "once.pdf", flat, nil), (Self.sha(22), "thrice.pdf", flat, nil), (Self.sha(23), "notes.pdf", flat, "boiler checked"),
            (Self.sha(24), "report.pdf", house, nil), (Self.sha(25), "boiler-service.pdf", flat, nil),
        ] as [(String, String, Record, String?)] {
            _ = try await MetadataStoreContractTests.store(
                [MetadataStoreContractTests.newFile(sha, name: name)], in: store, tenantID: acme.id, link: AttachmentLink(recordID: record.id, description: description)
            )
        }
        try await Self.readTexts(texts, in: store)
        let ranked = Self.names(try await store.searchAttachments(tenantID: acme.id, query: SearchQuery(text: "boiler")))
        #expect(Array(ranked.prefix(3)) == ["boiler-service.pdf", "report.pdf", "notes.pdf"], "\(ranked)")
        if kind == .sqlite {
            #expect(ranked.suffix(2) == ["thrice.pdf", "once.pdf"], "\(ranked)")
        } else {
            #expect(Set(ranked.suffix(2)) == ["thrice.pdf", "once.pdf"] && ranked.count == 5, "\(ranked)")
        }
    }

    /// However a page falls, the pages of a search give the hits of one search in its order, each once.
    /// On PostgreSQL a page is found in two parts (the hits a heading ranks, then the rest by
    /// attachment, `SQLMetadataStore+Search`): pages of every size cross the boundary.
    @Test(arguments: MetadataStoreKind.sqlCases)
    func pagesFollowTheRankingAcrossEveryBoundary(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let acme = try await store.createTenant(slug: "acme", name: "Acme")
        let globex = try await store.createTenant(slug: "globex", name: "Globex")
        let flat = try await store.createRecord(tenantID: acme.id, type: .property, externalIdentifier: nil, title: "Keizersgracht 1", audit: audit)
        let house = try await store.createRecord(tenantID: acme.id, type: .property, externalIdentifier: nil, title: "Boiler house", audit: audit)
        let elsewhere = try await store.createRecord(tenantID: globex.id, type: .property, externalIdentifier: nil, title: "Boiler meter", audit: audit)
        // Words in the text only (found, at the floor), in headings (ranked), both, and in another tenant.
        var texts: [String: String] = [:]
        var stored: [(String, Record, String?, Tenant)] = []
        for n in 0..<6 {
            texts[Self.sha(100 + n)] = n.isMultiple(of: 2) ? "the boiler and the meter in the cellar" : "a boiler once"
            stored.append(("report-\(n).pdf", flat, nil, acme))
        }
        for n in 0..<4 { stored.append(("boiler-\(n).pdf", flat, n == 0 ? "meter readings" : nil, acme)) }
        for n in 0..<3 { stored.append(("meter-\(n).pdf", house, nil, acme)) }
        stored.append(("notes.pdf", flat, "boiler serviced", acme))
        stored.append(("boiler meter.pdf", elsewhere, nil, globex))
        for (index, (name, record, description, tenant)) in stored.enumerated() {
            _ = try await MetadataStoreContractTests.store(
                [MetadataStoreContractTests.newFile(Self.sha(100 + index), name: name)], in: store, tenantID: tenant.id,
                link: AttachmentLink(recordID: record.id, description: description)
            )
        }
        try await Self.readTexts(texts, in: store)
        // Found: every "boiler" of acme (6 texts, 4 names, 3 in the Boiler house, a description);
        // "boiler meter": 3 texts, boiler-0 (name and description), the Boiler house's meters.
        for (text, count) in [("boiler", 14), ("boiler meter", 7)] {
            let all = try await store.searchAttachments(tenantID: acme.id, query: SearchQuery(text: text, limit: 200))
            #expect(all.count == count, "\(text): \(Self.names(all))")
            #expect(all.allSatisfy { $0.attached.attachment.tenantID == acme.id })
            if kind == .postgres {
                // The hits found in the text alone come last, in the order they were stored.
                let textOnly = Self.names(all).filter { $0.hasPrefix("report-") }
                #expect(Array(Self.names(all).suffix(textOnly.count)) == textOnly.sorted(), "\(text): \(Self.names(all))")
            }
            for limit in 1...5 {
                var paged: [SearchHit] = []
                var cursor: String?
                repeat {
                    let query = try SearchQuery(text: text, limit: limit, cursor: cursor)
                    let page = try await store.searchAttachments(tenantID: acme.id, query: query)
                    paged += page
                    cursor = query.cursor(after: page.count)
                } while cursor != nil
                #expect(paged.map(\.attached.attachment.id) == all.map(\.attached.attachment.id), "\(text), pages of \(limit)")
            }
        }
    }
}
