import AttacheCore
import Foundation
import Testing

/// The behaviour every ``MetadataStore`` must have.
@Suite("Metadata store contract")
struct MetadataStoreContractTests {
    static func newFile(_ sha: String, name: String = "a.pdf") -> NewFile {
        NewFile(name: name, size: 10, mimeType: "application/pdf", kind: .document, sha256: sha)
    }

    static let shaA = String(repeating: "a", count: 64)
    static let shaB = String(repeating: "b", count: 64)

    @Test(arguments: MetadataStoreKind.allCases)
    func tenantsAndTokens(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let tenant = try await store.createTenant(slug: "acme", name: "Acme")
        #expect(try await store.tenant(slug: "acme") == tenant)
        #expect(try await store.tenant(id: tenant.id) == tenant)
        await #expect(throws: (any Error).self) { try await store.createTenant(slug: "acme", name: "Again") }
        let token = try await store.createToken(tenantID: tenant.id, scope: .read, label: "ci", secretHash: "h1", expiresAt: nil)
        #expect(try await store.activeToken(secretHash: "h1")?.1 == tenant)
        #expect(try await store.activeToken(secretHash: "h1")?.0.scope == .read)
        #expect(try await store.revokeToken(id: token.id, tenantID: tenant.id + 1) == false)
        #expect(try await store.revokeToken(id: token.id, tenantID: tenant.id))
        #expect(try await store.activeToken(secretHash: "h1") == nil)
        #expect(try await store.revokeToken(id: token.id, tenantID: tenant.id) == false)
        #expect(try await store.tokens(tenantID: tenant.id).first?.revokedAt != nil)
        _ = try await store.createToken(tenantID: tenant.id, scope: .write, label: nil, secretHash: "h2", expiresAt: Date().addingTimeInterval(-1))
        #expect(try await store.activeToken(secretHash: "h2") == nil)
        _ = try await store.createToken(tenantID: tenant.id, scope: .write, label: nil, secretHash: "h3", expiresAt: Date().addingTimeInterval(60))
        #expect(try await store.activeToken(secretHash: "h3") != nil)

        let credential = try await store.createCredential(tenantID: tenant.id, kind: .onlyoffice, identifier: "jan", scope: .write, secretHash: "s1")
        #expect(try await store.credential(kind: .onlyoffice, identifier: "jan", secretHash: "s1") == credential)
        #expect(try await store.credential(kind: .onlyoffice, identifier: "jan", secretHash: "wrong") == nil)
        #expect(try await store.credential(kind: .bloxs, identifier: "jan", secretHash: "s1") == nil)
        await #expect(throws: (any Error).self) {
            try await store.createCredential(tenantID: tenant.id, kind: .onlyoffice, identifier: "jan", scope: .read, secretHash: "s2")
        }
    }

    @Test(arguments: MetadataStoreKind.allCases)
    func customFieldsAndSlottedAttachments(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let acme = try await store.createTenant(slug: "acme", name: "Acme")
        let globex = try await store.createTenant(slug: "globex", name: "Globex")
        let definition = CustomFieldDefinition(name: "Lease", dataType: "FILE_UPLOAD", acceptedFormats: [".pdf"], allowsMultipleFiles: true, maximumFiles: 3)
        let field = try await store.createCustomField(tenantID: acme.id, id: "F1", fieldKey: "contact.lease", definition: definition)
        #expect(field.definition.acceptedFormats == [".pdf"])
        #expect(field.definition.maximumFiles == 3)
        #expect(try await store.customFields(tenantID: acme.id, model: "contact") == [field])
        #expect(try await store.customFields(tenantID: globex.id, model: nil).isEmpty)
        #expect(try await store.customField(tenantID: globex.id, id: "F1") == nil)
        var renamed = definition
        renamed.name = "Leases"
        #expect(try await store.updateCustomField(tenantID: acme.id, id: "F1", definition: renamed)?.definition.name == "Leases")
        #expect(try await store.updateCustomField(tenantID: globex.id, id: "F1", definition: renamed) == nil)

        let contact = try await store.createRecord(tenantID: acme.id, type: .contact, externalIdentifier: nil, title: nil)
        let slot = AttachmentSlot(fieldID: "F1", entryKey: "k-1")
        let stored = try await store.insertFiles(
            [Self.newFile(Self.shaA), Self.newFile(Self.shaB)], tenantID: acme.id,
            link: AttachmentLink(recordID: contact.id, description: nil, slots: [slot, nil]), promote: { _ in }
        )
        #expect(stored.map { $0.1?.slot } == [slot, nil])
        let page = try await store.attachments(tenantID: acme.id, matching: AttachmentQuery(recordTypes: [.contact]), offset: 1, limit: 10)
        #expect(page.total == 2)
        #expect(page.items.map(\.file.sha256) == [Self.shaB])
        let byUUID = try await store.attachments(
            tenantID: acme.id, matching: AttachmentQuery(uuids: [try #require(stored[0].1?.uuid)]), offset: 0, limit: 10
        )
        #expect(byUUID.items.first?.attachment.slot == slot)
        #expect(try await store.attachments(tenantID: globex.id, matching: AttachmentQuery(), offset: 0, limit: 10).total == 0)
        #expect(try await store.attachments(tenantID: acme.id, matching: AttachmentQuery(recordTypes: [.property]), offset: 0, limit: 10).total == 0)
        #expect(try await store.deleteCustomField(tenantID: globex.id, id: "F1") == false)
        #expect(try await store.deleteCustomField(tenantID: acme.id, id: "F1"))
    }

    @Test(arguments: MetadataStoreKind.allCases)
    func recordsAreScopedAndReferencesAreUnique(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let acme = try await store.createTenant(slug: "acme", name: "Acme")
        let globex = try await store.createTenant(slug: "globex", name: "Globex")
        let person = try await store.createRecord(tenantID: acme.id, type: .person, externalIdentifier: "e1", title: "Jan")
        let owner = try await store.createRecord(tenantID: acme.id, type: .owner, externalIdentifier: "e1", title: nil)
        let foreign = try await store.createRecord(tenantID: globex.id, type: .person, externalIdentifier: "e1", title: nil)
        #expect(person.reference != owner.reference)
        await #expect(throws: (any Error).self) {
            try await store.createRecord(tenantID: acme.id, type: .person, externalIdentifier: "e1", title: nil)
        }
        #expect(try await store.record(tenantID: acme.id, uuid: foreign.uuid) == nil)
        #expect(try await store.record(tenantID: acme.id, id: foreign.id) == nil)
        let people = try await store.records(tenantID: acme.id, matching: RecordQuery(type: .person), page: PageRequest())
        #expect(people.items == [person])
        let byReference = try await store.records(tenantID: acme.id, matching: RecordQuery(reference: owner.reference), page: PageRequest())
        #expect(byReference.items == [owner])
        let updated = try await store.updateRecord(tenantID: acme.id, uuid: person.uuid, title: .some(nil), externalIdentifier: nil)
        #expect(updated?.title == nil)
        #expect(updated?.externalIdentifier == "e1")
        #expect(try await store.updateRecord(tenantID: globex.id, uuid: person.uuid, title: "x", externalIdentifier: nil) == nil)
    }

    @Test(arguments: MetadataStoreKind.allCases)
    func blobsArePromotedOnceAndReleasedWithTheirLastFile(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let tenant = try await store.createTenant(slug: "acme", name: "Acme")
        let record = try await store.createRecord(tenantID: tenant.id, type: .property, externalIdentifier: nil, title: nil)
        let promoted = BlobCallLog()
        let stored = try await store.insertFiles(
            [Self.newFile(Self.shaA, name: "one.pdf"), Self.newFile(Self.shaA, name: "two.pdf"), Self.newFile(Self.shaB)],
            tenantID: tenant.id,
            link: AttachmentLink(recordID: record.id, description: "d"),
            promote: promoted.action
        )
        #expect(stored.count == 3)
        #expect(await promoted.calls.map(\.sha256) == [Self.shaA, Self.shaB])
        #expect(stored.allSatisfy { $0.1?.description == "d" })

        let again = BlobCallLog()
        _ = try await store.insertFiles([Self.newFile(Self.shaA)], tenantID: tenant.id, link: nil, promote: again.action)
        #expect(await again.calls.isEmpty)

        let released = BlobCallLog()
        let first = try #require(stored[0].1)
        #expect(try await store.deleteAttachment(tenantID: tenant.id, uuid: first.uuid, release: released.action)?.file.name == "one.pdf")
        #expect(try await store.file(tenantID: tenant.id, id: stored[0].0.id) == nil)
        #expect(await released.calls.isEmpty)
        let third = try #require(stored[2].1)
        _ = try await store.deleteAttachment(tenantID: tenant.id, uuid: third.uuid, release: released.action)
        #expect(await released.calls.map(\.sha256) == [Self.shaB])
        #expect(try await store.blobIsReferenced(BlobAddress(tenantID: tenant.id, sha256: Self.shaA)))
        #expect(try await !store.blobIsReferenced(BlobAddress(tenantID: tenant.id, sha256: Self.shaB)))
    }

    @Test(arguments: MetadataStoreKind.allCases)
    func aFailedInsertStoresNothing(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let tenant = try await store.createTenant(slug: "acme", name: "Acme")
        struct PromotionFailed: Error {}
        await #expect(throws: PromotionFailed.self) {
            try await store.insertFiles([Self.newFile(Self.shaA), Self.newFile(Self.shaB)], tenantID: tenant.id, link: nil) { address in
                if address.sha256 == Self.shaB { throw PromotionFailed() }
            }
        }
        #expect(try await !store.blobIsReferenced(BlobAddress(tenantID: tenant.id, sha256: Self.shaA)))
        var blobs = 0
        try await store.forEachBlob { _, _ in blobs += 1 }
        #expect(blobs == 0)
        await #expect(throws: AttacheError.self) {
            try await store.insertFiles([Self.newFile(Self.shaA)], tenantID: tenant.id, link: AttachmentLink(recordID: 999, description: nil)) { _ in }
        }
    }

    @Test(arguments: MetadataStoreKind.allCases)
    func attachmentsAreListedByKeysetAndIsolated(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let acme = try await store.createTenant(slug: "acme", name: "Acme")
        let globex = try await store.createTenant(slug: "globex", name: "Globex")
        let record = try await store.createRecord(tenantID: acme.id, type: .case, externalIdentifier: nil, title: nil)
        let files = try await store.insertFiles(
            (0..<5).map { Self.newFile(String(repeating: String($0), count: 64), name: "f\($0).pdf") },
            tenantID: acme.id, link: nil, promote: { _ in }
        )
        let attached = try await store.attach(fileIDs: files.map(\.0.id), tenantID: acme.id, link: AttachmentLink(recordID: record.id, description: nil))
        #expect(attached.map(\.file.name) == ["f0.pdf", "f1.pdf", "f2.pdf", "f3.pdf", "f4.pdf"])
        let relinked = try await store.attach(fileIDs: [files[0].0.id], tenantID: acme.id, link: AttachmentLink(recordID: record.id, description: nil))
        #expect(relinked.first?.attachment.uuid == attached.first?.attachment.uuid)

        var names: [String] = []
        var page = PageRequest(limit: 2)
        while true {
            let slice = try await store.attachments(tenantID: acme.id, recordID: record.id, page: page)
            names += slice.items.map(\.file.name)
            guard let cursor = slice.nextCursor else { break }
            page = try PageRequest(limit: 2, cursor: cursor)
        }
        #expect(names == ["f0.pdf", "f1.pdf", "f2.pdf", "f3.pdf", "f4.pdf"])
        #expect(try await store.attachments(tenantID: globex.id, recordID: record.id, page: PageRequest()).items.isEmpty)
        #expect(try await store.attachment(tenantID: globex.id, uuid: attached[0].attachment.uuid) == nil)
        await #expect(throws: AttacheError.self) {
            try await store.attach(fileIDs: [files[0].0.id], tenantID: globex.id, link: AttachmentLink(recordID: record.id, description: nil))
        }
        let released = BlobCallLog()
        #expect(try await store.deleteRecord(tenantID: globex.id, uuid: record.uuid, release: released.action) == false)
        #expect(try await store.deleteRecord(tenantID: acme.id, uuid: record.uuid, release: released.action))
        #expect(await released.calls.count == 5)
    }

    /// An upload of some content racing the delete of the last file with that content must never end
    /// with the content released while a file still references it.
    @Test(arguments: MetadataStoreKind.allCases)
    func uploadsAndDeletesOfTheSameContentDoNotInterleave(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let tenant = try await store.createTenant(slug: "acme", name: "Acme")
        let record = try await store.createRecord(tenantID: tenant.id, type: .case, externalIdentifier: nil, title: nil)
        let link = AttachmentLink(recordID: record.id, description: nil)
        let events = BlobEventLog()
        var current = try #require(try await store.insertFiles([Self.newFile(Self.shaA)], tenantID: tenant.id, link: link, promote: events.promote).first?.1)
        for _ in 0..<25 {
            let previous = current
            async let deleted = store.deleteAttachment(tenantID: tenant.id, uuid: previous.uuid, release: events.release)
            async let inserted = store.insertFiles([Self.newFile(Self.shaA)], tenantID: tenant.id, link: link, promote: events.promote)
            #expect(try await deleted != nil)
            current = try #require(try await inserted.first?.1)
            #expect(await events.last != "release", "content that a file references must not be released")
        }
    }
}

/// Records promote and release callbacks in order.
actor BlobEventLog {
    private(set) var events: [String] = []

    var last: String? { events.last }

    nonisolated var promote: BlobAction { { _ in await self.append("promote") } }
    nonisolated var release: BlobAction { { _ in await self.append("release") } }

    private func append(_ event: String) {
        events.append(event)
    }
}
