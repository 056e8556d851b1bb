import AttacheCore
import Foundation
import Testing

/// Who the contract's changes are audited as.
private let audit = AuditContext(actor: .cli)

/// The behaviour every ``MetadataStore`` must have.
@Suite("Metadata store contract", .timeLimit(.minutes(3)))
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
        let token = try await store.createToken(tenantID: tenant.id, scope: .read, label: "ci", secretHash: "h1", expiresAt: nil, signedInAs: nil, audit: audit, recording: .tokenCreate)
        #expect(try await store.activeToken(secretHash: "h1")?.1 == tenant)
        #expect(try await store.activeToken(secretHash: "h1")?.0.scope == .read)
        #expect(try await store.revokeToken(id: token.id, tenantID: tenant.id + 1, audit: audit) == false)
        #expect(try await store.revokeToken(id: token.id, tenantID: tenant.id, audit: audit))
        #expect(try await store.activeToken(secretHash: "h1") == nil)
        #expect(try await store.revokeToken(id: token.id, tenantID: tenant.id, audit: audit) == false)
        #expect(try await store.tokens(tenantID: tenant.id).first?.revokedAt != nil)
        _ = try await store.createToken(tenantID: tenant.id, scope: .write, label: nil, secretHash: "h2", expiresAt: Date().addingTimeInterval(-1), signedInAs: nil, audit: audit, recording: .tokenCreate)
        #expect(try await store.activeToken(secretHash: "h2") == nil)
        _ = try await store.createToken(tenantID: tenant.id, scope: .write, label: nil, secretHash: "h3", expiresAt: Date().addingTimeInterval(60), signedInAs: nil, audit: audit, recording: .tokenCreate)
        #expect(try await store.activeToken(secretHash: "h3") != nil)
        #expect(try await store.activeToken(secretHash: "h3")?.0.signedInAs == nil)

        let credential = try await store.createCredential(tenantID: tenant.id, kind: .onlyoffice, identifier: "jan", scope: .write, secretHash: "s1", audit: audit)
        let found = try #require(try await store.credential(kind: .onlyoffice, identifier: "jan"))
        #expect(found.0 == credential && found.secretHash == "s1")
        // A sign-in's token knows who signed in, when it is resolved and when it is listed.
        let jan = SignInIdentity(credentialID: credential.id, kind: .onlyoffice, identifier: "jan")
        let session = try await store.createToken(
            tenantID: tenant.id, scope: .write, label: "session", secretHash: "h4", expiresAt: Date().addingTimeInterval(60), signedInAs: jan,
            audit: audit, recording: .signIn
        )
        #expect(session.signedInAs == jan)
        #expect(try await store.activeToken(secretHash: "h4")?.0.signedInAs == jan)
        #expect(try await store.tokens(tenantID: tenant.id).last?.signedInAs == jan)

        // Rotating gives a new secret and ends the sessions; revoking ends the credential and its sessions.
        #expect(try await store.rotateCredential(tenantID: tenant.id + 1, kind: .onlyoffice, identifier: "jan", secretHash: "s9", audit: audit) == nil)
        #expect(try await store.rotateCredential(tenantID: tenant.id, kind: .onlyoffice, identifier: "jan", secretHash: "s9", audit: audit)?.id == credential.id)
        #expect(try await store.credential(kind: .onlyoffice, identifier: "jan")?.secretHash == "s9")
        #expect(try await store.activeToken(secretHash: "h4") == nil, "a rotation ends the sessions")
        _ = try await store.createToken(
            tenantID: tenant.id, scope: .write, label: "session", secretHash: "h5", expiresAt: Date().addingTimeInterval(60), signedInAs: jan,
            audit: audit, recording: .signIn
        )
        #expect(try await store.activeToken(secretHash: "h5") != nil)
        let revoked = try await store.revokeCredential(tenantID: tenant.id, kind: .onlyoffice, identifier: "jan", audit: audit)
        #expect(revoked?.revokedAt != nil)
        #expect(try await store.activeToken(secretHash: "h5") == nil, "a revocation ends the sessions")
        #expect(try await store.revokeCredential(tenantID: tenant.id, kind: .onlyoffice, identifier: "jan", audit: audit) == nil, "once")
        #expect(try await store.credentials(tenantID: tenant.id).map(\.identifier) == ["jan"])
        #expect(try await store.credentials(tenantID: tenant.id).first?.revokedAt != nil)
        #expect(try await store.credential(kind: .bloxs, identifier: "jan") == nil)
        await #expect(throws: (any Error).self) {
            try await store.createCredential(tenantID: tenant.id, kind: .onlyoffice, identifier: "jan", scope: .read, secretHash: "s2", audit: audit)
        }
    }

    @Test(arguments: MetadataStoreKind.allCases)
    func customFieldsAndSlottedAttachments(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let acme = try await store.createTenant(slug: "acme", name: "Acme")
        let globex = try await store.createTenant(slug: "globex", name: "Globex")
        let definition = CustomFieldDefinition(name: "Lease", dataType: "FILE_UPLOAD", acceptedFormats: [".pdf"], allowsMultipleFiles: true, maximumFiles: 3)
        let field = try await store.createCustomField(tenantID: acme.id, id: "F1", fieldKey: "contact.lease", definition: definition, audit: audit)
        #expect(field.definition.acceptedFormats == [".pdf"])
        #expect(field.definition.maximumFiles == 3)
        #expect(try await store.customFields(tenantID: acme.id, model: "contact") == [field])
        #expect(try await store.customFields(tenantID: globex.id, model: nil).isEmpty)
        #expect(try await store.customField(tenantID: globex.id, id: "F1") == nil)
        var renamed = definition
        renamed.name = "Leases"
        #expect(try await store.updateCustomField(tenantID: acme.id, id: "F1", definition: renamed, audit: audit)?.definition.name == "Leases")
        #expect(try await store.updateCustomField(tenantID: globex.id, id: "F1", definition: renamed, audit: audit) == nil)

        let contact = try await store.createRecord(tenantID: acme.id, type: .contact, externalIdentifier: nil, title: nil, audit: audit)
        let slot = AttachmentSlot(fieldID: "F1", entryKey: "k-1")
        let stored = try await Self.store(
            [Self.newFile(Self.shaA), Self.newFile(Self.shaB)], in: store, tenantID: acme.id,
            link: AttachmentLink(recordID: contact.id, description: nil, slots: [slot, nil])
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
        #expect(try await store.deleteCustomField(tenantID: globex.id, id: "F1", audit: audit) == false)
        #expect(try await store.deleteCustomField(tenantID: acme.id, id: "F1", audit: audit))
    }

    @Test(arguments: MetadataStoreKind.allCases)
    func recordsAreScopedAndReferencesAreUnique(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let acme = try await store.createTenant(slug: "acme", name: "Acme")
        let globex = try await store.createTenant(slug: "globex", name: "Globex")
        let person = try await store.createRecord(tenantID: acme.id, type: .person, externalIdentifier: "e1", title: "Jan", audit: audit)
        let owner = try await store.createRecord(tenantID: acme.id, type: .owner, externalIdentifier: "e1", title: nil, audit: audit)
        let foreign = try await store.createRecord(tenantID: globex.id, type: .person, externalIdentifier: "e1", title: nil, audit: audit)
        #expect(person.reference != owner.reference)
        await #expect(throws: (any Error).self) {
            try await store.createRecord(tenantID: acme.id, type: .person, externalIdentifier: "e1", title: nil, audit: audit)
        }
        #expect(try await store.record(tenantID: acme.id, uuid: foreign.uuid) == nil)
        #expect(try await store.record(tenantID: acme.id, id: foreign.id)?.uuid != foreign.uuid)
        let people = try await store.records(tenantID: acme.id, matching: RecordQuery(type: .person), page: PageRequest())
        #expect(people.items == [person])
        let byReference = try await store.records(tenantID: acme.id, matching: RecordQuery(reference: owner.reference), page: PageRequest())
        #expect(byReference.items == [owner])
        let updated = try await store.updateRecord(tenantID: acme.id, uuid: person.uuid, title: .some(nil), externalIdentifier: nil, legalHold: nil, audit: audit)
        #expect(updated?.title == nil)
        #expect(updated?.externalIdentifier == "e1")
        #expect(try await store.updateRecord(tenantID: globex.id, uuid: person.uuid, title: "x", externalIdentifier: nil, legalHold: nil, audit: audit) == nil)
    }

    /// Claims, "promotes" into `content` and inserts, retrying as the service does.
    @discardableResult
    static func store(
        _ files: [NewFile], in store: any MetadataStore, tenantID: Int64, link: AttachmentLink? = nil, content: ContentModel? = nil
    ) async throws -> [(StoredFile, AttacheCore.Attachment?)] {
        let sizes = Dictionary(files.map { (BlobAddress(tenantID: tenantID, sha256: $0.sha256), $0.size) }, uniquingKeysWith: { a, _ in a })
        while true {
            do {
                let claims = try await store.claimBlobs(sizes)
                for claim in claims.values where claim.needsContent {
                    await content?.promote(claim.address)
                }
                return try await store.insertFiles(files, tenantID: tenantID, link: link, claims: claims, audit: audit)
            } catch is BlobLifecycleError {
                try await Task.sleep(for: .milliseconds(2))
            }
        }
    }

    /// Marks, "deletes" from `content` and finishes, as `gc` does.
    static func collect(_ store: any MetadataStore, content: ContentModel? = nil, releasedBefore: Date = Date().addingTimeInterval(1)) async throws -> [BlobAddress] {
        let marked = try await store.markBlobsForDeletion(releasedBefore: releasedBefore, staleBefore: Date().addingTimeInterval(-600), limit: 100)
        for deletion in marked {
            await content?.delete(deletion.address)
            try await store.finishBlobDeletion(deletion)
        }
        return marked.map(\.address)
    }

    @Test(arguments: MetadataStoreKind.allCases)
    func newContentIsClaimedOnceAndReleasedWithItsLastFile(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let tenant = try await store.createTenant(slug: "acme", name: "Acme")
        let record = try await store.createRecord(tenantID: tenant.id, type: .property, externalIdentifier: nil, title: nil, audit: audit)
        let a = BlobAddress(tenantID: tenant.id, sha256: Self.shaA)
        let b = BlobAddress(tenantID: tenant.id, sha256: Self.shaB)
        let claims = try await store.claimBlobs([a: 10, b: 10])
        #expect(claims[a]?.needsContent == true && claims[b]?.needsContent == true)
        let stored = try await store.insertFiles(
            [Self.newFile(Self.shaA, name: "one.pdf"), Self.newFile(Self.shaA, name: "two.pdf"), Self.newFile(Self.shaB)],
            tenantID: tenant.id, link: AttachmentLink(recordID: record.id, description: "d"), claims: claims, audit: audit
        )
        #expect(stored.count == 3)
        #expect(stored.allSatisfy { $0.1?.description == "d" })
        #expect(try await store.claimBlobs([a: 10])[a]?.needsContent == false, "stored content is not promoted again")
        var listed: [BlobAddress] = []
        try await store.forEachBlob { address, _ in listed.append(address) }
        #expect(listed == [a, b])

        let first = try #require(stored[0].1)
        #expect(try await store.deleteAttachment(tenantID: tenant.id, uuid: first.uuid, audit: audit)?.file.name == "one.pdf")
        #expect(try await store.file(tenantID: tenant.id, id: stored[0].0.id) == nil)
        let third = try #require(stored[2].1)
        _ = try await store.deleteAttachment(tenantID: tenant.id, uuid: third.uuid, audit: audit)
        #expect(try await Self.collect(store, releasedBefore: Date().addingTimeInterval(-60)).isEmpty, "released content waits for the grace period")
        #expect(try await Self.collect(store) == [b], "only content no file references is collected")
        #expect(try await Self.collect(store).isEmpty)
    }

    /// A content's CRC-32 comes with its first upload that has one, or is recorded later; it never changes.
    @Test(arguments: MetadataStoreKind.allCases)
    func checksumsAreKeptPerContent(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let tenant = try await store.createTenant(slug: "acme", name: "Acme")
        let other = try await store.createTenant(slug: "globex", name: "Globex")
        let a = BlobAddress(tenantID: tenant.id, sha256: Self.shaA)
        let b = BlobAddress(tenantID: tenant.id, sha256: Self.shaB)
        var withChecksum = Self.newFile(Self.shaA)
        withChecksum.crc32 = 0xDEAD_BEEF
        try await Self.store([withChecksum, Self.newFile(Self.shaB)], in: store, tenantID: tenant.id)
        try await Self.store([Self.newFile(Self.shaA)], in: store, tenantID: other.id)
        #expect(try await store.checksums(of: [a, b]) == [a: 0xDEAD_BEEF], "content uploaded without one has none")
        #expect(try await store.checksums(of: [BlobAddress(tenantID: other.id, sha256: Self.shaA)]).isEmpty, "per tenant")
        try await store.recordChecksum(0x0123_4567, of: b)
        try await store.recordChecksum(0x7654_3210, of: b)
        try await store.recordChecksum(1, of: a)
        #expect(try await store.checksums(of: [a, b]) == [a: 0xDEAD_BEEF, b: 0x0123_4567], "the first checksum stays")
        var again = Self.newFile(Self.shaB)
        again.crc32 = 99
        try await Self.store([again], in: store, tenantID: tenant.id)
        #expect(try await store.checksums(of: [b]) == [b: 0x0123_4567])
    }

    @Test(arguments: MetadataStoreKind.allCases)
    func aClaimThatGcOvertookCannotCommit(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let tenant = try await store.createTenant(slug: "acme", name: "Acme")
        let a = BlobAddress(tenantID: tenant.id, sha256: Self.shaA)
        let claims = try await store.claimBlobs([a: 10])
        let marked = try await store.markBlobsForDeletion(releasedBefore: Date().addingTimeInterval(1), staleBefore: .distantPast, limit: 10)
        #expect(marked.map(\.address) == [a])
        await #expect(throws: BlobLifecycleError.claimLost(a)) {
            try await store.insertFiles([Self.newFile(Self.shaA)], tenantID: tenant.id, link: nil, claims: claims, audit: audit)
        }
        await #expect(throws: BlobLifecycleError.deletionInProgress(a)) {
            try await store.claimBlobs([a: 10])
        }
        #expect(try await store.markOrphanContentForDeletion(a) == nil, "content with a row is not an orphan")
        for deletion in marked { try await store.finishBlobDeletion(deletion) }
        let again = try await store.claimBlobs([a: 10])
        #expect(again[a]?.needsContent == true)
        #expect(again[a]?.generation != claims[a]?.generation)
        _ = try await store.insertFiles([Self.newFile(Self.shaA)], tenantID: tenant.id, link: nil, claims: again, audit: audit)

        let orphan = BlobAddress(tenantID: tenant.id, sha256: Self.shaB)
        let deletion = try #require(try await store.markOrphanContentForDeletion(orphan))
        await #expect(throws: BlobLifecycleError.deletionInProgress(orphan)) {
            try await store.claimBlobs([orphan: 10])
        }
        try await store.finishBlobDeletion(deletion)
        #expect(try await store.claimBlobs([orphan: 10])[orphan]?.needsContent == true)
    }

    @Test(arguments: MetadataStoreKind.allCases)
    func aFailedInsertStoresNothing(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let tenant = try await store.createTenant(slug: "acme", name: "Acme")
        let a = BlobAddress(tenantID: tenant.id, sha256: Self.shaA)
        await #expect(throws: AttacheError.self) {
            try await store.insertFiles(
                [Self.newFile(Self.shaA)], tenantID: tenant.id, link: AttachmentLink(recordID: 999, description: nil),
                claims: try await store.claimBlobs([a: 10]), audit: audit
            )
        }
        var blobs = 0
        try await store.forEachBlob { _, _ in blobs += 1 }
        #expect(blobs == 0)
        #expect(try await store.files(tenantID: tenant.id, ids: Array(1...5)).isEmpty)
        #expect(try await Self.collect(store) == [a], "the claim of a failed upload is collected")
    }

    /// Changes write their events in their own transaction (none for a change that fails); events are
    /// listed per tenant by keyset in both orders, filtered, and trimmed by age.
    @Test(arguments: MetadataStoreKind.allCases)
    func changesAreAuditedInTheirTransaction(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let tenant = try await store.createTenant(slug: "acme", name: "Acme")
        let other = try await store.createTenant(slug: "globex", name: "Globex")
        let origin = RequestOrigin(clientAddress: "192.0.2.7", requestID: "req-1")
        let context = AuditContext(actor: .token(42), origin: origin, time: Date(timeIntervalSince1970: 1_700_000_000))
        let record = try await store.createRecord(tenantID: tenant.id, type: .contact, externalIdentifier: nil, title: nil, audit: context)
        let link = AttachmentLink(recordID: record.id, description: nil)
        let a = BlobAddress(tenantID: tenant.id, sha256: Self.shaA)
        let (file, attachment) = try #require(
            try await store.insertFiles([Self.newFile(Self.shaA)], tenantID: tenant.id, link: link, claims: try await store.claimBlobs([a: 10]), audit: context).first
        )
        await #expect(throws: AttacheError.self) {
            _ = try await store.attach(fileIDs: [file.id, 999], tenantID: tenant.id, link: link, audit: context)
        }
        #expect(try await store.updateRecord(tenantID: tenant.id, uuid: UUID(), title: "x", externalIdentifier: nil, legalHold: nil, audit: context) == nil)
        _ = try await store.createRecord(tenantID: other.id, type: .contact, externalIdentifier: nil, title: nil, audit: audit)
        try await store.appendAuditEvents([context.event(.fileDownload, tenantID: tenant.id, fileID: file.id, size: 10)])
        #expect(try await store.deleteFile(tenantID: tenant.id, id: file.id, audit: context) != nil)

        let all = try await store.auditEvents(tenantID: tenant.id, matching: AuditQuery(), page: PageRequest(limit: 50)).items
        #expect(all.map(\.action) == [.recordCreate, .fileUpload, .fileDownload, .fileDelete], "the failed attach and the update of nothing wrote none")
        let upload = all[1]
        #expect(upload.actor == .token(42) && upload.clientAddress == "192.0.2.7" && upload.requestID == "req-1")
        #expect(upload.recordUUID == record.uuid && upload.fileID == file.id && upload.attachmentUUID == attachment?.uuid && upload.size == 10)
        #expect(upload.time == context.time && upload.tenantID == tenant.id && upload.id > all[0].id)

        var pages: [AuditEvent] = []
        var cursor: String?
        repeat {
            let page = try await store.auditEvents(tenantID: tenant.id, matching: AuditQuery(), page: try PageRequest(limit: 1, cursor: cursor, newestFirst: true))
            pages += page.items
            cursor = page.nextCursor
        } while cursor != nil
        #expect(pages == all.reversed())
        #expect(try await store.auditEvents(tenantID: tenant.id, matching: AuditQuery(fileID: file.id), page: PageRequest()).items.count == 3)
        #expect(try await store.auditEvents(tenantID: tenant.id, matching: AuditQuery(recordUUID: record.uuid), page: PageRequest()).items.count == 2)
        #expect(try await store.auditEvents(tenantID: tenant.id, matching: AuditQuery(action: .fileDelete), page: PageRequest()).items == [all[3]])
        let since = AuditQuery(since: context.time.addingTimeInterval(1))
        #expect(try await store.auditEvents(tenantID: tenant.id, matching: since, page: PageRequest()).items.isEmpty)

        #expect(try await store.deleteAuditEvents(before: context.time.addingTimeInterval(1), limit: 3) == 3)
        #expect(try await store.deleteAuditEvents(before: context.time.addingTimeInterval(1), limit: 3) == 1)
        #expect(try await store.auditEvents(tenantID: tenant.id, matching: AuditQuery(), page: PageRequest()).items.isEmpty)
        #expect(try await store.auditEvents(tenantID: other.id, matching: AuditQuery(), page: PageRequest()).items.map(\.action) == [.recordCreate])
    }

    /// A resumable upload: one appender at a time and only at its offset; parts in order; settled once.
    @Test(arguments: MetadataStoreKind.allCases)
    func resumableUploadsAppendAtTheirOffsetUnderOneLock(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let tenant = try await store.createTenant(slug: "acme", name: "Acme")
        let other = try await store.createTenant(slug: "globex", name: "Globex")
        let t0 = Date(timeIntervalSince1970: 2_000_000_000)
        let id = UUID()
        let created = try await store.createResumableUpload(
            NewResumableUpload(length: 30, metadata: "filename YS5wZGY=", fileName: "a.pdf"), id: id, tenantID: tenant.id, createdAt: t0,
            expiresAt: t0.addingTimeInterval(3600)
        )
        #expect(created.offset == 0 && created.length == 30 && created.state == .receiving && created.metadata == "filename YS5wZGY=")
        #expect(try await store.resumableUpload(tenantID: other.id, id: id) == nil, "another tenant's upload is not there")
        #expect(created.dropShare == nil)
        let third = try await store.createTenant(slug: "initech", name: "Initech")
        var viaLink = NewResumableUpload(length: 5, metadata: nil, fileName: "b.pdf")
        viaLink.dropShare = UUID()
        let throughLink = try await store.createResumableUpload(viaLink, id: UUID(), tenantID: third.id, createdAt: t0, expiresAt: t0.addingTimeInterval(60))
        #expect(throughLink.dropShare == viaLink.dropShare)
        #expect(try await store.resumableUpload(tenantID: third.id, id: throughLink.id)?.dropShare == viaLink.dropShare, "the link is kept")
        func lock(_ holder: String, at offset: Int64, seconds: TimeInterval) async throws -> ResumableUpload? {
            try await store.lockResumableUpload(
                tenantID: tenant.id, id: id, at: offset, holder: holder, now: t0.addingTimeInterval(seconds), until: t0.addingTimeInterval(seconds + 15)
            )
        }
        func part(_ offset: Int64, _ size: Int64) -> ResumablePart {
            ResumablePart(offset: offset, staged: StagedBlob(stagingKey: "key-\(offset)", size: size))
        }
        #expect(try await lock("a", at: 1, seconds: 0) == nil, "only at the upload's offset")
        #expect(try await lock("a", at: 0, seconds: 0)?.offset == 0)
        #expect(try await lock("b", at: 0, seconds: 5) == nil, "held by a")
        #expect(try await lock("a", at: 0, seconds: 5) != nil, "the holder renews")
        #expect(try await store.appendResumablePart(tenantID: tenant.id, id: id, part: part(0, 10), holder: "b", length: nil, expiresAt: t0) == nil,
                "only the holder appends")
        let appended = try await store.appendResumablePart(
            tenantID: tenant.id, id: id, part: part(0, 10), holder: "a", length: nil, expiresAt: t0.addingTimeInterval(7200)
        )
        #expect(appended?.offset == 10 && appended?.expiresAt == t0.addingTimeInterval(7200))
        #expect(try await lock("b", at: 10, seconds: 6) != nil, "appending released the lock")
        #expect(try await lock("c", at: 10, seconds: 30) != nil, "an expired lock is taken over")
        #expect(try await store.appendResumablePart(tenantID: tenant.id, id: id, part: part(0, 10), holder: "c", length: nil, expiresAt: t0) == nil,
                "not at another offset")
        _ = try await store.appendResumablePart(tenantID: tenant.id, id: id, part: part(10, 20), holder: "c", length: nil, expiresAt: t0.addingTimeInterval(7200))
        #expect(try await store.resumableParts(id: id) == [part(0, 10), part(10, 20)])
        #expect(try await store.resumableStagingKeys() == ["key-0", "key-10"])
        // Unfinished uploads reserve their declared length against the quota; not another tenant's.
        #expect(try await store.resumableReservation(tenantID: tenant.id, excluding: nil) == 30)
        #expect(try await store.resumableReservation(tenantID: tenant.id, excluding: id) == 0)
        #expect(try await store.resumableReservation(tenantID: other.id, excluding: nil) == 0)
        let dropped = try await store.failResumableUpload(tenantID: tenant.id, id: id, reason: "refused")
        #expect(dropped == [part(0, 10), part(10, 20)])
        let failed = try await store.resumableUpload(tenantID: tenant.id, id: id)
        #expect(failed?.state == .failed && failed?.failure == "refused")
        #expect(try await lock("d", at: 30, seconds: 60) == nil, "a settled upload takes no lock")
        #expect(try await store.resumableStagingKeys().isEmpty)

        // Expiry and termination.
        let second = UUID()
        _ = try await store.createResumableUpload(
            NewResumableUpload(length: nil, metadata: nil, fileName: "b.pdf", concatenation: .partial), id: second, tenantID: tenant.id, createdAt: t0,
            expiresAt: t0.addingTimeInterval(60)
        )
        #expect(try await store.resumableUpload(tenantID: tenant.id, id: second)?.concatenation == .partial)
        _ = try await store.lockResumableUpload(tenantID: tenant.id, id: second, at: 0, holder: "e", now: t0, until: t0.addingTimeInterval(15))
        _ = try await store.appendResumablePart(tenantID: tenant.id, id: second, part: part(0, 3), holder: "e", length: nil, expiresAt: t0.addingTimeInterval(60))
        #expect(try await store.resumableReservation(tenantID: tenant.id, excluding: nil) == 3, "a deferred length reserves what it received")
        _ = try await store.lockResumableUpload(tenantID: tenant.id, id: second, at: 3, holder: "e", now: t0, until: t0.addingTimeInterval(15))
        _ = try await store.appendResumablePart(tenantID: tenant.id, id: second, part: part(3, 2), holder: "e", length: 5, expiresAt: t0.addingTimeInterval(60))
        #expect(try await store.resumableUpload(tenantID: tenant.id, id: second)?.length == 5, "a deferred length is fixed by its append")
        #expect(try await store.deleteExpiredResumableUploads(before: t0.addingTimeInterval(30)).isEmpty)
        #expect(try await store.deleteExpiredResumableUploads(before: t0.addingTimeInterval(61)) == [part(0, 3), part(3, 2)])
        #expect(try await store.resumableUpload(tenantID: tenant.id, id: second) == nil)
        #expect(try await store.deleteResumableUpload(tenantID: tenant.id, id: second) == nil)
        #expect(try await store.deleteResumableUpload(tenantID: tenant.id, id: id) == [], "terminated; its parts were dropped when it failed")
    }

    @Test(arguments: MetadataStoreKind.allCases)
    func idsAreNeverReused(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let tenant = try await store.createTenant(slug: "acme", name: "Acme")
        let record = try await store.createRecord(tenantID: tenant.id, type: .contact, externalIdentifier: nil, title: nil, audit: audit)
        let link = AttachmentLink(recordID: record.id, description: nil)
        let first = try #require(try await Self.store([Self.newFile(Self.shaA)], in: store, tenantID: tenant.id, link: link).first)
        _ = try await store.deleteFile(tenantID: tenant.id, id: first.0.id, audit: audit)
        #expect(try await store.deleteRecord(tenantID: tenant.id, uuid: record.uuid, audit: audit))
        let nextRecord = try await store.createRecord(tenantID: tenant.id, type: .contact, externalIdentifier: nil, title: nil, audit: audit)
        let second = try #require(
            try await Self.store([Self.newFile(Self.shaA)], in: store, tenantID: tenant.id, link: AttachmentLink(recordID: nextRecord.id, description: nil)).first
        )
        #expect(second.0.id > first.0.id)
        #expect(nextRecord.id > record.id)
        #expect(try #require(second.1).id > (try #require(first.1).id))
    }

    @Test(arguments: MetadataStoreKind.allCases)
    func attachmentsAreListedByKeysetAndIsolated(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let acme = try await store.createTenant(slug: "acme", name: "Acme")
        let globex = try await store.createTenant(slug: "globex", name: "Globex")
        let record = try await store.createRecord(tenantID: acme.id, type: .case, externalIdentifier: nil, title: nil, audit: audit)
        let files = try await Self.store(
            (0..<5).map { Self.newFile(String(repeating: String($0), count: 64), name: "f\($0).pdf") }, in: store, tenantID: acme.id
        )
        let attached = try await store.attach(fileIDs: files.map(\.0.id), tenantID: acme.id, link: AttachmentLink(recordID: record.id, description: nil), audit: audit)
        #expect(attached.map(\.file.name) == ["f0.pdf", "f1.pdf", "f2.pdf", "f3.pdf", "f4.pdf"])
        let relinked = try await store.attach(fileIDs: [files[0].0.id], tenantID: acme.id, link: AttachmentLink(recordID: record.id, description: nil), audit: audit)
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
            try await store.attach(fileIDs: [files[0].0.id], tenantID: globex.id, link: AttachmentLink(recordID: record.id, description: nil), audit: audit)
        }
        #expect(try await store.deleteRecord(tenantID: globex.id, uuid: record.uuid, audit: audit) == false)
        #expect(try await store.deleteRecord(tenantID: acme.id, uuid: record.uuid, audit: audit))
        #expect(try await Self.collect(store).count == 5)
    }

    /// Uploads of some content racing deletes of the last file with that content and `gc` with no
    /// grace period must never end with a file whose content is gone.
    @Test(arguments: MetadataStoreKind.allCases)
    func uploadsDeletesAndGcOfTheSameContentNeverLoseReferencedContent(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let tenant = try await store.createTenant(slug: "acme", name: "Acme")
        let record = try await store.createRecord(tenantID: tenant.id, type: .case, externalIdentifier: nil, title: nil, audit: audit)
        let link = AttachmentLink(recordID: record.id, description: nil)
        let content = ContentModel()
        let address = BlobAddress(tenantID: tenant.id, sha256: Self.shaA)
        var current = try #require(try await Self.store([Self.newFile(Self.shaA)], in: store, tenantID: tenant.id, link: link, content: content).first?.1)
        for _ in 0..<30 {
            let previous = current
            async let deleted = store.deleteAttachment(tenantID: tenant.id, uuid: previous.uuid, audit: audit)
            async let inserted = Self.store([Self.newFile(Self.shaA)], in: store, tenantID: tenant.id, link: link, content: content)
            async let collected = Self.collect(store, content: content)
            #expect(try await deleted != nil)
            current = try #require(try await inserted.first?.1)
            _ = try await collected
            _ = try await Self.collect(store, content: content)
            #expect(await content.holds(address), "content that a file references must stay")
        }
    }
}

/// Which addresses hold content, as a blob store would, for checking the lifecycle protocol.
actor ContentModel {
    private var present: Set<BlobAddress> = []

    func promote(_ address: BlobAddress) { present.insert(address) }
    func delete(_ address: BlobAddress) { present.remove(address) }
    func holds(_ address: BlobAddress) -> Bool { present.contains(address) }
}
