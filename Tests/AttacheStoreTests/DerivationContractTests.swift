import AttacheCore
import Foundation
import Testing

private let audit = AuditContext(actor: .cli)

/// The contract of ``DerivationStore``, on every metadata store: a job per content and kind, made with
/// the content; claimed by one node at a time, taken over when its lease ends; ended once, by the claim
/// that holds it; retried when told, failed for good when not; the text searchable with every
/// attachment of the content, and gone with the content.
@Suite("Derived work contract", .timeLimit(.minutes(3)))
struct DerivationContractTests {
    static func sha(_ seed: Int) -> String { String(format: "%064x", 0xD000 + seed) }

    static func file(_ seed: Int, name: String, mimeType: String = "text/plain") -> NewFile {
        NewFile(name: name, size: 10, mimeType: mimeType, kind: FileKind(mimeType: mimeType), sha256: sha(seed))
    }

    @Test(arguments: MetadataStoreKind.allCases)
    func jobsAreClaimedOnceAndEndOnce(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let acme = try await store.createTenant(slug: "acme", name: "Acme")
        let globex = try await store.createTenant(slug: "globex", name: "Globex")
        let record = try await store.createRecord(tenantID: acme.id, type: .property, externalIdentifier: nil, title: "Keizersgracht 12", audit: audit)
        let theirs = try await store.createRecord(tenantID: globex.id, type: .property, externalIdentifier: nil, title: nil, audit: audit)
        let link = AttachmentLink(recordID: record.id, description: nil)
        // One content twice (one job), an archive (no job), a CSV; the other tenant's copy of the first is its own content.
        _ = try await MetadataStoreContractTests.store(
            [Self.file(1, name: "certificate.txt"), Self.file(1, name: "copy.txt"), Self.file(2, name: "bundle.zip", mimeType: "application/zip"),
             Self.file(3, name: "meters.csv", mimeType: "text/csv")],
            in: store, tenantID: acme.id, link: link
        )
        _ = try await MetadataStoreContractTests.store([Self.file(1, name: "theirs.txt")], in: store, tenantID: globex.id, link: AttachmentLink(recordID: theirs.id, description: nil))
        #expect(try await store.countDerivationJobs() == ["queued": 3])

        let now = Date()
        let first = try #require(try await store.claimDerivationJob(holder: "n1", now: now, leaseEnd: now.addingTimeInterval(60)))
        let second = try #require(try await store.claimDerivationJob(holder: "n2", now: now, leaseEnd: now.addingTimeInterval(60)))
        let third = try #require(try await store.claimDerivationJob(holder: "n3", now: now, leaseEnd: now.addingTimeInterval(60)))
        #expect(try await store.claimDerivationJob(holder: "n4", now: now, leaseEnd: now.addingTimeInterval(60)) == nil)
        #expect(Set([first, second, third].map(\.id)).count == 3 && [first, second, third].allSatisfy { $0.kind == .text && $0.attempt == 1 })
        #expect(first.address == BlobAddress(tenantID: acme.id, sha256: Self.sha(1)) && first.mimeType == "text/plain")
        #expect(try await store.countDerivationJobs() == ["running": 3])

        // Only the claim that holds a job ends it, once; the text is then found with every attachment of the content.
        let text = DerivedText(status: .extracted, text: "Annual gas safety inspection, boiler serviced.")
        #expect(try await store.completeDerivationJob(first, holder: "n2", result: .text(text), now: now) == false)
        #expect(try await store.completeDerivationJob(first, holder: "n1", result: .text(text), now: now))
        #expect(try await store.completeDerivationJob(first, holder: "n1", result: .text(text), now: now) == false)
        #expect(try await store.derivedText(of: first.address) == text)
        let hits = try await store.searchAttachments(tenantID: acme.id, query: SearchQuery(text: "boiler insp"))
        #expect(Set(hits.map(\.attached.file.name)) == ["certificate.txt", "copy.txt"])
        #expect(hits.allSatisfy { $0.snippet.contains { $0.isMatch && $0.text.lowercased().hasPrefix("boiler") || $0.isMatch && $0.text.lowercased().hasPrefix("insp") } }, "\(hits.map(\.snippet))")
        #expect(try await store.searchAttachments(tenantID: globex.id, query: SearchQuery(text: "boiler")).isEmpty, "the other tenant's copy is its own content")

        // A failure in passing: queued again for its time, then claimed as a second attempt; a failure for good is never claimed again.
        #expect(try await store.failDerivationJob(second, holder: "n2", reason: "storage unreachable", retryAt: now.addingTimeInterval(30), now: now))
        #expect(try await store.claimDerivationJob(holder: "n1", now: now.addingTimeInterval(29), leaseEnd: now.addingTimeInterval(90)) == nil)
        let retried = try #require(try await store.claimDerivationJob(holder: "n1", now: now.addingTimeInterval(31), leaseEnd: now.addingTimeInterval(90)))
        #expect(retried.id == second.id && retried.attempt == 2)
        #expect(try await store.failDerivationJob(retried, holder: "n1", reason: "not a PDF", retryAt: nil, now: now))
        #expect(try await store.claimDerivationJob(holder: "n1", now: now.addingTimeInterval(45), leaseEnd: now.addingTimeInterval(90)) == nil)

        // A lease that ends (its node died) is taken over; the first holder's late answer changes nothing.
        let takenOver = try #require(try await store.claimDerivationJob(holder: "n5", now: now.addingTimeInterval(61), leaseEnd: now.addingTimeInterval(120)))
        #expect(takenOver.id == third.id && takenOver.attempt == 2)
        #expect(try await store.completeDerivationJob(third, holder: "n3", result: .text(DerivedText(status: .extracted, text: "late")), now: now) == false)
        #expect(try await store.failDerivationJob(third, holder: "n3", reason: "late", retryAt: nil, now: now) == false)
        #expect(try await store.completeDerivationJob(takenOver, holder: "n5", result: .text(DerivedText(status: .extracted, text: "meter 4411")), now: now))
        #expect(try await store.derivedText(of: third.address)?.text == "meter 4411")
        #expect(try await store.countDerivationJobs() == ["done": 2, "failed": 1])

        // Gone with the content: the job and the text, and the search hit with the attachments.
        for attached in try await store.attachments(tenantID: acme.id, recordID: record.id, page: PageRequest(limit: 10)).items where attached.file.sha256 == Self.sha(1) {
            _ = try await store.deleteAttachment(tenantID: acme.id, uuid: attached.attachment.uuid, audit: audit)
        }
        #expect(try await store.searchAttachments(tenantID: acme.id, query: SearchQuery(text: "boiler")).isEmpty)
        _ = try await MetadataStoreContractTests.collect(store)
        #expect(try await store.derivedText(of: first.address) == nil)
        #expect(try await store.countDerivationJobs() == ["done": 1, "failed": 1])
    }

    @Test(arguments: MetadataStoreKind.allCases)
    func racingClaimsTakeEachJobOnce(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let acme = try await store.createTenant(slug: "acme", name: "Acme")
        _ = try await MetadataStoreContractTests.store((1...6).map { Self.file($0, name: "\($0).txt") }, in: store, tenantID: acme.id)
        let now = Date()
        let claimed = try await withThrowingTaskGroup(of: DerivationJob?.self) { group in
            for node in 0..<24 {
                group.addTask { try await store.claimDerivationJob(holder: "n\(node)", now: now, leaseEnd: now.addingTimeInterval(60)) }
            }
            return try await group.reduce(into: [DerivationJob]()) { if let job = $1 { $0.append(job) } }
        }
        #expect(claimed.count == 6 && Set(claimed.map(\.id)).count == 6, "\(claimed.map(\.id))")
    }

    @Test(arguments: MetadataStoreKind.allCases)
    func aRebuildQueuesEveryContentInBatchesAndResumes(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let acme = try await store.createTenant(slug: "acme", name: "Acme")
        let globex = try await store.createTenant(slug: "globex", name: "Globex")
        _ = try await MetadataStoreContractTests.store(
            (1...5).map { Self.file($0, name: "\($0).txt") } + [Self.file(9, name: "bundle.zip", mimeType: "application/zip")], in: store, tenantID: acme.id
        )
        _ = try await MetadataStoreContractTests.store([Self.file(1, name: "1.txt")], in: store, tenantID: globex.id)
        let now = Date()
        // Every job done, then a rebuild of one tenant puts its done jobs back, two contents a batch.
        while let job = try await store.claimDerivationJob(holder: "n1", now: now, leaseEnd: now.addingTimeInterval(60)) {
            #expect(try await store.completeDerivationJob(job, holder: "n1", result: .text(DerivedText(status: .extracted, text: "x")), now: now))
        }
        #expect(try await store.countDerivationJobs() == ["done": 6])
        #expect(try await store.requeueDerivations(tenantID: acme.id, restart: false, limit: 2, now: now) == 2)
        #expect(try await store.countDerivationJobs() == ["done": 4, "queued": 2])
        // Stopped here and run again: it goes on from the third content (an archive has no job but is a content).
        #expect(try await store.requeueDerivations(tenantID: acme.id, restart: false, limit: 2, now: now) == 2)
        #expect(try await store.requeueDerivations(tenantID: acme.id, restart: false, limit: 2, now: now) == 2)
        #expect(try await store.requeueDerivations(tenantID: acme.id, restart: false, limit: 2, now: now) == 0)
        #expect(try await store.countDerivationJobs() == ["done": 1, "queued": 5])
        // A job being worked is left to its node; a restart begins again from the first content.
        let running = try #require(try await store.claimDerivationJob(holder: "n1", now: now, leaseEnd: now.addingTimeInterval(60)))
        #expect(try await store.requeueDerivations(tenantID: nil, restart: true, limit: 100, now: now) == 7)
        #expect(try await store.countDerivationJobs() == ["queued": 5, "running": 1])
        #expect(try await store.completeDerivationJob(running, holder: "n1", result: .text(DerivedText(status: .extracted, text: "x")), now: now))
    }

    @Test(arguments: MetadataStoreKind.allCases)
    func quarantinedContentIsNeverDerived(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let acme = try await store.createTenant(slug: "acme", name: "Acme")
        _ = try await MetadataStoreContractTests.store(
            [Self.file(1, name: "invoice.txt"), Self.file(2, name: "scan.txt"), Self.file(3, name: "clean.txt")], in: store, tenantID: acme.id
        )
        let (infected, damaged) = (BlobAddress(tenantID: acme.id, sha256: Self.sha(1)), BlobAddress(tenantID: acme.id, sha256: Self.sha(2)))
        let now = Date()
        // One job being worked when its content is found infected, one still queued when its content is found damaged.
        var running = try #require(try await store.claimDerivationJob(holder: "n1", now: now, leaseEnd: now.addingTimeInterval(60)))
        while running.address != infected {
            #expect(try await store.failDerivationJob(running, holder: "n1", reason: "later", retryAt: now.addingTimeInterval(3600), now: now))
            running = try #require(try await store.claimDerivationJob(holder: "n1", now: now, leaseEnd: now.addingTimeInterval(60)))
        }
        #expect(try await store.setScanStatus(.infected(signature: "Eicar-Signature"), of: infected, audit: audit) == 1)
        #expect(try await store.setScanStatus(.damaged(reason: "missing"), of: damaged, audit: audit) == 1)
        #expect(try await store.derivationState(of: infected, kind: .text) == .failed)
        #expect(try await store.derivationState(of: damaged, kind: .text) == .failed)
        // The node working the infected content cannot record what it read.
        #expect(try await store.completeDerivationJob(running, holder: "n1", result: .text(DerivedText(status: .extracted, text: "payload")), now: now) == false)
        #expect(try await store.derivedText(of: infected) == nil)
        // Neither a rebuild nor a lookup queues quarantined content again; the clean one is queued.
        _ = try await store.requeueDerivations(tenantID: acme.id, restart: true, limit: 100, now: now)
        try await store.requeueDerivation(of: infected, kind: .text, mimeType: "text/plain", now: now)
        #expect(try await store.derivationState(of: infected, kind: .text) == .failed)
        #expect(try await store.derivationState(of: damaged, kind: .text) == .failed)
        let clean = try #require(try await store.claimDerivationJob(holder: "n2", now: now.addingTimeInterval(3601), leaseEnd: now.addingTimeInterval(3660)))
        #expect(clean.address == BlobAddress(tenantID: acme.id, sha256: Self.sha(3)))
        #expect(try await store.claimDerivationJob(holder: "n2", now: now.addingTimeInterval(3601), leaseEnd: now.addingTimeInterval(3660)) == nil)
        // Damaged content restored from a backup is worked again; infected content never is.
        #expect(try await store.clearDamage(of: damaged) == 1)
        #expect(try await store.derivationState(of: damaged, kind: .text) == .queued)
        let restored = try #require(try await store.claimDerivationJob(holder: "n2", now: Date().addingTimeInterval(1), leaseEnd: Date().addingTimeInterval(60)))
        #expect(restored.address == damaged && restored.attempt == 1)
        #expect(try await store.derivationState(of: infected, kind: .text) == .failed)
    }
}
