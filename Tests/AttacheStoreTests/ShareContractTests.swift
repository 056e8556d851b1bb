import AttacheCore
import Foundation
import Testing

private let audit = AuditContext(actor: .token(1))

/// The contract of ``ShareStore``, on every metadata store.
@Suite("Share store contract", .timeLimit(.minutes(3)))
struct ShareContractTests {
    static func share(tenantID: Int64, record: UUID, attachment: UUID? = nil, maxDownloads: Int64? = nil, expiresAt: Date? = nil) -> Share {
        let now = Date()
        return Share(
            id: UUID(), tenantID: tenantID, target: attachment.map(Share.Target.attachment) ?? .record(record), recordUUID: record, label: "for the tenant",
            expiresAt: expiresAt, maxDownloads: maxDownloads, hasPassword: false, createdAt: now, updatedAt: now
        )
    }

    @Test(arguments: MetadataStoreKind.allCases)
    func sharesAreFoundByTokenHashChangedRevokedAndAudited(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let acme = try await store.createTenant(slug: "acme", name: "Acme")
        let globex = try await store.createTenant(slug: "globex", name: "Globex")
        let record = UUID()
        let attachment = UUID()
        let recordShare = try await store.createShare(Self.share(tenantID: acme.id, record: record), tokenHash: "t1", passwordHash: nil, audit: audit)
        let fileShare = try await store.createShare(
            Self.share(tenantID: acme.id, record: record, attachment: attachment), tokenHash: "t2", passwordHash: "scrypt$…", audit: audit
        )
        #expect(recordShare.downloads == 0 && !recordShare.hasPassword && recordShare.target == .record(record))
        #expect(fileShare.hasPassword && fileShare.attachmentUUID == attachment)
        await #expect(throws: (any Error).self) {
            try await store.createShare(Self.share(tenantID: acme.id, record: record), tokenHash: "t1", passwordHash: nil, audit: audit)
        }
        #expect(try await store.share(tokenHash: "t2")?.passwordHash == "scrypt$…")
        #expect(try await store.share(tokenHash: "t2")?.0.id == fileShare.id)
        #expect(try await store.share(tokenHash: "nope") == nil)
        #expect(try await store.shares(tenantID: acme.id, recordUUID: record, attachmentUUID: nil, page: .init()).items.count == 2)
        #expect(try await store.shares(tenantID: acme.id, recordUUID: nil, attachmentUUID: attachment, page: .init()).items.map(\.id) == [fileShare.id])
        #expect(try await store.shares(tenantID: globex.id, recordUUID: nil, attachmentUUID: nil, page: .init()).items.isEmpty)
        #expect(try await store.share(tenantID: globex.id, id: fileShare.id) == nil)

        let expiry = Date(timeIntervalSince1970: 2_000_000_000)
        let changed = try await store.updateShare(
            tenantID: acme.id, id: fileShare.id, change: ShareChange(label: .some(nil), expiresAt: expiry, maxDownloads: 3, passwordHash: .some(nil)), audit: audit
        )
        #expect(changed?.label == nil && changed?.expiresAt == expiry && changed?.maxDownloads == 3 && changed?.hasPassword == false)
        #expect(try await store.share(tokenHash: "t2")?.passwordHash == nil)
        #expect(try await store.updateShare(tenantID: globex.id, id: fileShare.id, change: ShareChange(label: "x"), audit: audit) == nil)
        #expect(try await store.revokeShare(tenantID: globex.id, id: fileShare.id, audit: audit) == nil)
        #expect(try await store.revokeShare(tenantID: acme.id, id: fileShare.id, audit: audit)?.revokedAt != nil)
        #expect(try await store.revokeShare(tenantID: acme.id, id: fileShare.id, audit: audit) == nil, "once")
        #expect(try await store.updateShare(tenantID: acme.id, id: fileShare.id, change: ShareChange(label: "x"), audit: audit) == nil, "a revoked share stays revoked")
        #expect(try await store.share(tokenHash: "t2")?.0.revokedAt != nil)
        #expect(try await store.countShareDownload(id: fileShare.id, now: Date()) == nil, "a revoked share counts nothing")

        let events = try await store.auditEvents(tenantID: acme.id, matching: AuditQuery(recordUUID: record), page: PageRequest()).items
        #expect(events.map(\.action) == [.shareCreate, .shareCreate, .shareUpdate, .shareRevoke])
        #expect(events.last?.detail == "share \(fileShare.id.lowercasedText)" && events.last?.attachmentUUID == attachment)
    }

    /// A tenant's share policy is kept, and comes back with the tenant however it is read.
    @Test(arguments: MetadataStoreKind.allCases)
    func aTenantsSharePolicyIsKept(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let acme = try await store.createTenant(slug: "acme", name: "Acme")
        #expect(acme.sharePolicy == .open)
        let policy = TenantSharePolicy(allowsShares: false, requiresPassword: true, maximumLifetime: 30 * 86_400, defaultLifetime: 3600)
        #expect(try await store.setSharePolicy(policy, tenantID: acme.id))
        #expect(try await store.setSharePolicy(policy, tenantID: acme.id + 100) == false)
        #expect(try await store.tenant(id: acme.id)?.sharePolicy == policy)
        #expect(try await store.tenant(slug: "acme")?.sharePolicy == policy)
        #expect(try await store.tenants().first?.sharePolicy == policy)
        let token = try await store.createToken(
            tenantID: acme.id, scope: .write, label: nil, secretHash: "h", expiresAt: nil, signedInAs: nil, audit: audit, recording: .tokenCreate
        )
        #expect(try await store.activeToken(secretHash: "h")?.1.sharePolicy == policy, "token \(token.id)'s tenant carries it")
        #expect(try await store.setSharePolicy(.open, tenantID: acme.id))
        #expect(try await store.tenant(id: acme.id)?.sharePolicy == .open)
    }

    /// However many requests race, a limit of 3 counts 3; an expired share counts none.
    @Test(arguments: MetadataStoreKind.allCases)
    func aDownloadLimitHoldsUnderConcurrency(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let acme = try await store.createTenant(slug: "acme", name: "Acme")
        let limited = try await store.createShare(Self.share(tenantID: acme.id, record: UUID(), maxDownloads: 3), tokenHash: "l", passwordHash: nil, audit: audit)
        let counted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<20 {
                group.addTask { try await store.countShareDownload(id: limited.id, now: Date()) != nil }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(counted == 3)
        #expect(try await store.share(tenantID: acme.id, id: limited.id)?.downloads == 3)
        let expired = try await store.createShare(
            Self.share(tenantID: acme.id, record: UUID(), expiresAt: Date().addingTimeInterval(60)), tokenHash: "e", passwordHash: nil, audit: audit
        )
        #expect(try await store.countShareDownload(id: expired.id, now: Date()) != nil)
        #expect(try await store.countShareDownload(id: expired.id, now: Date().addingTimeInterval(61)) == nil)
    }

    /// Pages of shares, newest first: every share once, in order, however many were made in the same
    /// millisecond (their ids order them).
    @Test(arguments: MetadataStoreKind.allCases)
    func sharesArePagedNewestFirst(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let acme = try await store.createTenant(slug: "acme", name: "Acme")
        let record = UUID()
        let base = Date(timeIntervalSince1970: 2_000_000_000)
        for index in 0..<8 {
            var share = Self.share(tenantID: acme.id, record: record)
            share.createdAt = base.addingTimeInterval(Double(index / 3))  // three, three and two at the same time
            share.updatedAt = share.createdAt
            _ = try await store.createShare(share, tokenHash: "page-\(index)", passwordHash: nil, audit: audit)
        }
        let all = try await store.shares(tenantID: acme.id, recordUUID: record, attachmentUUID: nil, page: .init()).items
        #expect(all.count == 8 && all.first?.createdAt == base.addingTimeInterval(2) && all.last?.createdAt == base)
        var paged: [Share] = []
        var cursor: String?
        repeat {
            let request = try NewestFirstPageRequest(limit: 3, cursor: cursor)
            let page = try await store.shares(tenantID: acme.id, recordUUID: record, attachmentUUID: nil, page: request)
            #expect(page.items.count == 3 || page.nextCursor == nil)
            paged += page.items
            cursor = page.nextCursor
        } while cursor != nil && paged.count < 20
        #expect(paged.map(\.id) == all.map(\.id), "every share once, in the listing's order")
        #expect(throws: AttacheError.self) { try NewestFirstPageRequest(limit: 3, cursor: "c12") }
    }

    /// Password attempts are decided one at a time however many race (the store is what every node
    /// shares): 30 at once from one address admit exactly ten; another address and another share are
    /// untouched; a right password forgets the address; old attempts are pruned, a lock-out never early.
    @Test(arguments: MetadataStoreKind.allCases)
    func passwordAttemptsAreCountedOnceEach(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let limit = PasswordGuessLimit()
        let share = UUID()
        let now = Date()
        let admitted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<30 {
                group.addTask { try await store.admitSharePassword(shareID: share, client: "198.51.100.7", limit: limit, now: now) == nil }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(admitted == 10)
        let until = try await store.admitSharePassword(shareID: share, client: "198.51.100.7", limit: limit, now: now)
        #expect(until.map { abs($0.timeIntervalSince(now) - 60) < 0.01 } == true, "a minute from the first refusal: \(String(describing: until))")
        #expect(try await store.admitSharePassword(shareID: share, client: "203.0.113.9", limit: limit, now: now) == nil, "another address")
        #expect(try await store.admitSharePassword(shareID: UUID(), client: "198.51.100.7", limit: limit, now: now) == nil, "another share")
        // After the lock-out, one attempt at a time, each locking out longer.
        let later = now.addingTimeInterval(61)
        #expect(try await store.admitSharePassword(shareID: share, client: "198.51.100.7", limit: limit, now: later) == nil)
        let next = try await store.admitSharePassword(shareID: share, client: "198.51.100.7", limit: limit, now: later)
        #expect(next.map { abs($0.timeIntervalSince(later) - 120) < 0.01 } == true, "\(String(describing: next))")
        try await store.forgetSharePasswordAttempts(shareID: share, client: "198.51.100.7")
        #expect(try await store.admitSharePassword(shareID: share, client: "198.51.100.7", limit: limit, now: later) == nil, "forgotten")
        // Pruning: the other address's attempt (counted at `now`) goes; a lock-out still running stays.
        let locked = UUID()
        for _ in 0...10 { _ = try await store.admitSharePassword(shareID: locked, client: "192.0.2.1", limit: limit, now: now) }
        #expect(try await store.pruneSharePasswordAttempts(before: now.addingTimeInterval(30)) == 2, "the other address and the other share")
        #expect(try await store.admitSharePassword(shareID: locked, client: "192.0.2.1", limit: limit, now: now.addingTimeInterval(30)) != nil)
    }

    /// A drop link counts what the uploads through it store, in their transaction: racing uploads of
    /// one file each against `maxFiles: 3` store exactly three, and one that would pass a limit stores
    /// nothing; a revoked link takes nothing, with the same answer as any dead link.
    @Test(arguments: MetadataStoreKind.allCases)
    func aDropLinkCountsWhatItTakes(kind: MetadataStoreKind) async throws {
        let (store, cleanup) = try await kind.make()
        defer { Task { await cleanup() } }
        let acme = try await store.createTenant(slug: "acme", name: "Acme")
        let record = try await store.createRecord(tenantID: acme.id, type: .contact, externalIdentifier: nil, title: nil, audit: audit)
        let now = Date()
        let drop = try await store.createShare(
            Share(
                id: UUID(), tenantID: acme.id, kind: .upload, target: .record(record.uuid), recordUUID: record.uuid, label: nil, expiresAt: nil,
                maxDownloads: nil, maxFiles: 3, maxBytes: 25, hasPassword: false, createdAt: now, updatedAt: now
            ),
            tokenHash: "d", passwordHash: nil, audit: audit
        )
        #expect(drop.kind == .upload && drop.maxFiles == 3 && drop.maxBytes == 25 && drop.filesReceived == 0)
        let link = AttachmentLink(recordID: record.id, description: nil, dropShare: drop.id)
        let stored = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<20 {
                group.addTask {
                    let sha = String(repeating: "0", count: 60) + String(1000 + index)
                    do {
                        try await MetadataStoreContractTests.store([MetadataStoreContractTests.newFile(sha)], in: store, tenantID: acme.id, link: link)
                        return true
                    } catch let error as AttacheError where error.code == .linkExhausted {
                        return false
                    }
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(stored == 2, "two files of 10 bytes fit in 25 bytes, the third would not")
        let counted = try #require(try await store.share(tenantID: acme.id, id: drop.id))
        #expect(counted.filesReceived == 2 && counted.bytesReceived == 20 && !counted.isExhausted)
        let download = try await store.countShareDownload(id: drop.id, now: Date())
        #expect(counted.downloads == 0 && download == nil, "a drop link serves no downloads")
        _ = try #require(try await store.updateShare(tenantID: acme.id, id: drop.id, change: ShareChange(maxBytes: .some(nil)), audit: audit))
        try await MetadataStoreContractTests.store([MetadataStoreContractTests.newFile(String(repeating: "c", count: 64))], in: store, tenantID: acme.id, link: link)
        await #expect(throws: AttacheError.self) {
            try await MetadataStoreContractTests.store(
                [MetadataStoreContractTests.newFile(String(repeating: "d", count: 64))], in: store, tenantID: acme.id, link: link
            )
        }
        #expect(try await store.share(tenantID: acme.id, id: drop.id)?.filesReceived == 3)
        _ = try await store.updateShare(tenantID: acme.id, id: drop.id, change: ShareChange(maxFiles: .some(nil)), audit: audit)
        _ = try await store.revokeShare(tenantID: acme.id, id: drop.id, audit: audit)
        do {
            try await MetadataStoreContractTests.store([MetadataStoreContractTests.newFile(String(repeating: "e", count: 64))], in: store, tenantID: acme.id, link: link)
            Issue.record("a revoked drop link took a file")
        } catch let error as AttacheError {
            #expect(error.code == .notFound)
        }
        let attachments = try await store.attachments(tenantID: acme.id, recordID: record.id, page: PageRequest())
        #expect(attachments.items.count == 3, "nothing refused was stored")
    }
}
