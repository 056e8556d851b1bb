import AttacheCore
import Foundation
import Testing

private let audit = AuditContext(actor: .cli)

/// The contract of preview images (``DerivationStore``, ``BlobLedger``), on every metadata store: a job
/// per image content, images recorded by the claim that holds it and replacing earlier ones; an
/// image's own content kept while a row names it (and out of the quota), never named while `gc`
/// removes it, and gone with the content it shows.
@Suite("Preview image contract", .timeLimit(.minutes(3)))
struct PreviewImageContractTests {
    static func sha(_ seed: Int) -> String { String(format: "%064x", 0xE000 + seed) }

    static func images(small: Int, large: Int) -> [PreviewImage] {
        [
            PreviewImage(size: .small, imageSHA256: sha(small), mediaType: "image/webp", byteCount: 120, width: 256, height: 171),
            PreviewImage(size: .large, imageSHA256: sha(large), mediaType: "image/webp", byteCount: 4_000, width: 1280, height: 853),
        ]
    }

    @Test(arguments: MetadataStoreKind.allCases)
    func imagesAreRecordedKeptAndGoWithTheirContent(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let acme = try await store.createTenant(slug: "acme", name: "Acme")
        let record = try await store.createRecord(tenantID: acme.id, type: .property, externalIdentifier: nil, title: nil, audit: audit)
        let link = AttachmentLink(recordID: record.id, description: nil)
        let photo = NewFile(name: "front.png", size: 5_000, mimeType: "image/png", kind: .image, sha256: Self.sha(1))
        let stored = try await MetadataStoreContractTests.store([photo], in: store, tenantID: acme.id, link: link)
        let source = BlobAddress(tenantID: acme.id, sha256: Self.sha(1))
        let (small, large) = (BlobAddress(tenantID: acme.id, sha256: Self.sha(11)), BlobAddress(tenantID: acme.id, sha256: Self.sha(12)))

        // A PNG has a preview job and no text job; nothing is made yet.
        #expect(try await store.countDerivationJobs() == ["queued": 1])
        #expect(try await store.derivationState(of: source, kind: .preview) == .queued)
        #expect(try await store.derivationState(of: source, kind: .text) == nil)
        #expect(try await store.previewImage(of: source, size: .small) == nil)

        let now = Date()
        let job = try #require(try await store.claimDerivationJob(holder: "n1", now: now, leaseEnd: now.addingTimeInterval(60)))
        #expect(job.kind == .preview && job.address == source)
        // Asked for while it runs, the job is left to its node.
        try await store.requeueDerivation(of: source, kind: .preview, mimeType: "image/png", now: now)
        #expect(try await store.derivationState(of: source, kind: .preview) == .running)
        #expect(try await store.completeDerivationJob(job, holder: "n2", result: .previews(Self.images(small: 11, large: 12)), now: now) == false)
        #expect(try await store.completeDerivationJob(job, holder: "n1", result: .previews(Self.images(small: 11, large: 12)), now: now))
        #expect(try await store.previewImage(of: source, size: .small) == Self.images(small: 11, large: 12)[0])
        #expect(try await store.previewImage(of: source, size: .large) == Self.images(small: 11, large: 12)[1])
        #expect(try await store.derivationState(of: source, kind: .preview) == .done)

        // The images' content has no blob row, and is neither collected as an orphan nor counted in the quota.
        #expect(try await store.markOrphanContentForDeletion(small) == nil)
        #expect(try await store.markOrphanContentForDeletion(large) == nil)
        #expect(try await store.usage(tenantID: acme.id).bytes == 5_000)

        // Made again (its images were lost): the old rows go, the new images take their place. One is content
        // gc is removing: the job is not ended (it is tried again) until the removal is over.
        let stale = BlobAddress(tenantID: acme.id, sha256: Self.sha(13))
        let removal = try #require(try await store.markOrphanContentForDeletion(stale))
        try await store.requeueDerivation(of: source, kind: .preview, mimeType: "image/png", now: now)
        #expect(try await store.derivationState(of: source, kind: .preview) == .queued)
        #expect(try await store.previewImage(of: source, size: .small) == nil, "requests wait for the new images")
        let again = try #require(try await store.claimDerivationJob(holder: "n1", now: now, leaseEnd: now.addingTimeInterval(60)))
        await #expect(throws: BlobLifecycleError.self) {
            try await store.completeDerivationJob(again, holder: "n1", result: .previews(Self.images(small: 11, large: 13)), now: now)
        }
        #expect(try await store.derivationState(of: source, kind: .preview) == .running)
        #expect(try await store.previewImage(of: source, size: .large) == nil, "nothing of the refused attempt is kept")
        try await store.finishBlobDeletion(removal)
        #expect(try await store.completeDerivationJob(again, holder: "n1", result: .previews(Self.images(small: 11, large: 13)), now: now))
        #expect(try await store.previewImage(of: source, size: .large)?.imageSHA256 == Self.sha(13))
        #expect(try await store.markOrphanContentForDeletion(large) != nil, "the replaced image is no one's")

        // A file with the very bytes of an image: deleted, its blob row goes but the content stays (the image is it).
        let twin = NewFile(name: "thumb.webp", size: 120, mimeType: "image/webp", kind: .image, sha256: Self.sha(11))
        let twinStored = try await MetadataStoreContractTests.store([twin], in: store, tenantID: acme.id, link: link)
        #expect(try await store.usage(tenantID: acme.id).bytes == 5_120)
        let twinUUID = try #require(twinStored.first?.1?.uuid)
        _ = try await store.deleteAttachment(tenantID: acme.id, uuid: twinUUID, audit: audit)
        #expect(try await MetadataStoreContractTests.collect(store).isEmpty, "the image keeps its content")
        #expect(try await store.usage(tenantID: acme.id).bytes == 5_000)
        #expect(try await store.markOrphanContentForDeletion(small) == nil)

        // Gone with the content they show: the rows and the job; their content is then no one's.
        let photoUUID = try #require(stored.first?.1?.uuid)
        _ = try await store.deleteAttachment(tenantID: acme.id, uuid: photoUUID, audit: audit)
        #expect(try await MetadataStoreContractTests.collect(store) == [source])
        #expect(try await store.previewImage(of: source, size: .small) == nil)
        #expect(try await store.derivationState(of: source, kind: .preview) == nil)
        #expect(try await store.markOrphanContentForDeletion(small) != nil)
    }
}
