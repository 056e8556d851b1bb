import AttacheCore
import AttacheTestSupport
import Foundation
import NIOCore
import Testing

/// Versions of an attachment's file over real HTTP (on SQLite + disk; the test command's other passes
/// run them on PostgreSQL + S3 and the in-memory store): a new version needs the current ETag
/// (`If-Match`: 428 without, 412 stale), keeps the earlier ones downloadable, restores one without
/// copying bytes, deletes one that is not current; racing uploads with one ETag make exactly one
/// version; quotas count each content once; the change feed and the audit trail tell of each step.
@Suite("Versions", .timeLimit(.minutes(3)))
struct VersionTests {
    static func etag(_ server: TestServer, _ uuid: String) async throws -> String {
        let response = try await server.send(.GET, "/v1/attachments/\(uuid)", token: server.readToken)
        guard response.status == 200, let etag = response.header("ETag") else { throw TestFailure("attachment: \(response.status) \(response.text)") }
        return etag
    }

    static func addVersion(_ server: TestServer, _ uuid: String, name: String, bytes: [UInt8], ifMatch: String?) async throws -> TestResponse {
        let form = MultipartForm.file(fileName: name, bytes: bytes)
        return try await server.upload(
            "/v1/attachments/\(uuid)/versions", token: server.writeToken, form: form, extraHeaders: ifMatch.map { [("If-Match", $0)] } ?? []
        )
    }

    static func versions(_ server: TestServer, _ uuid: String) async throws -> [[String: Any]] {
        let response = try await server.send(.GET, "/v1/attachments/\(uuid)/versions", token: server.readToken)
        guard response.status == 200 else { throw TestFailure("versions: \(response.status) \(response.text)") }
        return try response.jsonObject()["items"] as? [[String: Any]] ?? []
    }

    @Test func aNewVersionNeedsTheCurrentETagAndKeepsTheEarlierOnes() async throws {
        try await TestServer.with { server in
            let record = try await server.record(type: "property", title: "Keizersgracht 12")
            let first = Samples.pdf(seed: 31)
            let second = Samples.pdf(seed: 32)
            let start = try await ChangeFeedTests.read(server, "limit=1000").next
            let uuid = try await ShareTests.attach(server, record: record.uuid, name: "lease.pdf", bytes: first)
            let etag = try await Self.etag(server, uuid)
            #expect(etag == "\"\(SHA256Helper.hex(first))\"")

            // Without If-Match, with a stale or malformed one: refused before anything is stored.
            let missing = try await Self.addVersion(server, uuid, name: "lease-v2.pdf", bytes: second, ifMatch: nil)
            #expect(try missing.status == 428 && missing.jsonObject()["code"] as? String == "precondition_required", "\(missing.text)")
            for wrong in ["\"\(String(repeating: "0", count: 64))\"", "W/\(etag)", "*", "\(etag), \(etag)"] {
                let refused = try await Self.addVersion(server, uuid, name: "lease-v2.pdf", bytes: second, ifMatch: wrong)
                #expect(try refused.status == 412 && refused.jsonObject()["code"] as? String == "precondition_failed", "\(wrong): \(refused.text)")
            }
            #expect(try await server.upload(
                "/v1/attachments/\(uuid)/versions", token: server.readToken, form: .file(fileName: "x.pdf", bytes: second), extraHeaders: [("If-Match", etag)]
            ).status == 403)
            #expect(try await Self.versions(server, uuid).count == 1)

            // The new version: same attachment, new content, the old one kept.
            let added = try await Self.addVersion(server, uuid, name: "lease-v2.pdf", bytes: second, ifMatch: etag)
            #expect(added.status == 201, "\(added.text)")
            let shown = try added.jsonObject()
            #expect(shown["uuid"] as? String == uuid && shown["version"] as? Int == 2 && shown["name"] as? String == "lease-v2.pdf")
            #expect(added.header("ETag") == "\"\(SHA256Helper.hex(second))\"")
            #expect(try await server.send(.GET, "/v1/attachments/\(uuid)/download", token: server.readToken).bytes == second)
            let two = try await Self.versions(server, uuid)
            #expect(two.compactMap { $0["number"] as? Int } == [2, 1] && two.compactMap { $0["current"] as? Bool } == [true, false], "\(two)")
            #expect(two[1]["sha256"] as? String == SHA256Helper.hex(first) && (two[0]["author"] as? String)?.hasPrefix("token:") == true)
            let old = try await server.send(.GET, "/v1/attachments/\(uuid)/versions/1/download", token: server.readToken)
            #expect(old.status == 200 && old.bytes == first && old.header("ETag") == etag)
            // Its signed link works without a token, and only for its own version.
            let link = try #require(two[1]["downloadUrl"] as? String)
            #expect(try await server.send(.GET, link).bytes == first)
            #expect(try await server.send(.GET, link.replacingOccurrences(of: "/versions/1/", with: "/versions/2/")).status == 403)
            #expect(try await server.send(.GET, "/v1/attachments/\(uuid)/versions/9/download", token: server.readToken).status == 404)
            // The ETag the first version had is stale now.
            let stale = try await Self.addVersion(server, uuid, name: "lease-v3.pdf", bytes: Samples.pdf(seed: 33), ifMatch: etag)
            #expect(stale.status == 412)
            // Versions of the same content cost the quota nothing more: both contents counted once.
            let usage = try await server.send(.GET, "/v1/usage", token: server.readToken).jsonObject()
            #expect(usage["bytes"] as? Int == first.count + second.count, "\(usage)")

            // Restored: the first content is the newest version again, no bytes copied.
            let restore = try await server.send(.POST, "/v1/attachments/\(uuid)/versions/1/restore", token: server.writeToken)
            #expect(try restore.status == 200 && restore.jsonObject()["version"] as? Int == 3 && restore.header("ETag") == etag, "\(restore.text)")
            #expect(try await server.send(.GET, "/v1/attachments/\(uuid)/download", token: server.readToken).bytes == first)
            #expect(try await Self.versions(server, uuid).compactMap { $0["number"] as? Int } == [3, 2, 1])
            #expect(try await server.send(.GET, "/v1/usage", token: server.readToken).jsonObject()["bytes"] as? Int == first.count + second.count)
            // A restore with a stale If-Match is refused.
            let staleRestore = try await server.send(.POST, "/v1/attachments/\(uuid)/versions/2/restore", token: server.writeToken, headers: [("If-Match", "\"\(SHA256Helper.hex(second))\"")])
            #expect(staleRestore.status == 412)

            // The current version is not deleted; an earlier one is, and its content goes when nothing holds it.
            let current = try await server.send(.DELETE, "/v1/attachments/\(uuid)/versions/3", token: server.writeToken)
            #expect(try current.status == 409 && current.jsonObject()["code"] as? String == "conflict")
            #expect(try await server.send(.DELETE, "/v1/attachments/\(uuid)/versions/2", token: server.writeToken).status == 204)
            #expect(try await server.send(.DELETE, "/v1/attachments/\(uuid)/versions/2", token: server.writeToken).status == 404)
            #expect(try await Self.versions(server, uuid).compactMap { $0["number"] as? Int } == [3, 1])
            #expect(try await server.send(.GET, "/v1/usage", token: server.readToken).jsonObject()["bytes"] as? Int == first.count)
            // Earlier versions' files are never shown as files without an attachment.
            let unlinked = try await server.send(.GET, "/v1/files?unlinked=true", token: server.readToken).jsonObject()["items"] as? [[String: Any]]
            #expect(unlinked?.isEmpty == true, "\(unlinked ?? [])")

            // The feed tells each step, after the new version's file.
            let feed = try await ChangeFeedTests.read(server, "after=\(start)")
            let types = feed.items.compactMap { $0["type"] as? String }
            #expect(types == ["file.stored", "attachment.created", "file.stored", "version.created", "version.restored", "version.deleted", "file.deleted"], "\(types)")
            let created = try #require(feed.items[3]["data"] as? [String: Any])
            #expect(created["attachment"] as? String == uuid && created["detail"] as? String == "version 2")

            // Deleted with its attachment: every version's content goes.
            #expect(try await server.send(.DELETE, "/v1/attachments/\(uuid)", token: server.writeToken).status == 204)
            #expect(try await server.send(.GET, "/v1/attachments/\(uuid)/versions", token: server.readToken).status == 404)
            #expect(try await server.send(.GET, "/v1/usage", token: server.readToken).jsonObject()["bytes"] as? Int == 0)
            _ = try await server.service.collectGarbage(grace: 0)
            let stored = Set(try await server.storedBlobs().map(\.sha256))
            #expect(!stored.contains(SHA256Helper.hex(first)) && !stored.contains(SHA256Helper.hex(second)))
        }
    }

    /// Twenty uploads of different content with the same `If-Match`: exactly one becomes version 2,
    /// the others are refused 412, and none leaves a file behind.
    @Test func racingVersionsWithOneETagMakeExactlyOne() async throws {
        try await TestServer.with { server in
            let record = try await server.record(type: "property")
            let uuid = try await ShareTests.attach(server, record: record.uuid, name: "plan.pdf", bytes: Samples.pdf(seed: 40))
            let etag = try await Self.etag(server, uuid)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        try await Self.addVersion(server, uuid, name: "plan-\(index).pdf", bytes: Samples.pdf(seed: UInt8(41 + index)), ifMatch: etag).status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 1 && statuses.filter { $0 == 412 }.count == 19, "\(statuses.sorted())")
            #expect(try await Self.versions(server, uuid).count == 2)
            let files = try await server.send(.GET, "/v1/files?limit=200", token: server.readToken).jsonObject()["items"] as? [[String: Any]]
            #expect(files?.count == 2, "\(files?.count ?? -1) files")
        }
    }

    /// A raw body makes a version too; a share of the attachment shows its current version.
    @Test func aRawBodyMakesAVersionAndSharesShowTheCurrentOne() async throws {
        try await TestServer.with { server in
            let record = try await server.record(type: "property")
            let uuid = try await ShareTests.attach(server, record: record.uuid, name: "notes.txt", bytes: Array("first draft\n".utf8))
            let share = try await server.sendJSON(.POST, "/v1/attachments/\(uuid)/shares", token: server.writeToken, json: "{}").jsonObject()
            let token = try #require(share["token"] as? String)
            let raw = try await server.send(
                .POST, "/v1/attachments/\(uuid)/versions?filename=notes.txt", token: server.writeToken,
                headers: [("Content-Type", "application/octet-stream"), ("If-Match", try await Self.etag(server, uuid))], body: ByteBuffer(string: "second draft\n")
            )
            #expect(try raw.status == 201 && raw.jsonObject()["version"] as? Int == 2, "\(raw.text)")
            let page = try await server.send(.GET, "/s/\(token)", headers: [("Accept", "application/json")]).jsonObject()
            let files = try #require(page["files"] as? [[String: Any]])
            let link = try #require(files.first?["url"] as? String, "\(page)")
            #expect(try await server.send(.GET, link).text == "second draft\n")
        }
    }
    /// A resumable upload with `attachment` metadata and `If-Match` becomes the new version when its
    /// last bytes arrive; one whose attachment got another version meanwhile is refused then (412) and
    /// stores nothing; one created with a stale `If-Match` is refused at once.
    @Test func aResumableUploadBecomesTheNewVersion() async throws {
        try await TestServer.with { server in
            let record = try await server.record(type: "property")
            let uuid = try await ShareTests.attach(server, record: record.uuid, name: "survey.txt", bytes: Array("survey v1\n".utf8))
            let etag = try await Self.etag(server, uuid)
            let metadata = [("filename", "survey.txt"), ("attachment", uuid)]
            let content = ResumableUploadTests.text(20_000, seed: 7)

            let missing = try await server.send(
                .POST, "/v1/uploads", token: server.writeToken,
                headers: [ResumableUploadTests.tus, ("Upload-Length", "10"), ("Upload-Metadata", ResumableUploadTests.metadata(metadata))]
            )
            #expect(missing.status == 428, "\(missing.text)")
            let path = try await ResumableUploadTests.create(server, length: content.count, metadata: metadata, headers: [("If-Match", etag)])
            #expect(try await ResumableUploadTests.patch(server, path, offset: 0, Array(content[..<8000])).status == 204)
            #expect(try await ResumableUploadTests.patch(server, path, offset: 8000, Array(content[8000...])).status == 204)
            let shown = try await server.send(.GET, "/v1/attachments/\(uuid)", token: server.readToken)
            #expect(try shown.jsonObject()["version"] as? Int == 2 && shown.header("ETag") == "\"\(SHA256Helper.hex(content))\"", "\(shown.text)")
            #expect(try await server.send(.GET, "/v1/attachments/\(uuid)/download", token: server.readToken).bytes == content)

            // Created with the ETag it had, which is stale now.
            let stale = try await server.send(
                .POST, "/v1/uploads", token: server.writeToken,
                headers: [ResumableUploadTests.tus, ("Upload-Length", "10"), ("Upload-Metadata", ResumableUploadTests.metadata(metadata)), ("If-Match", etag)]
            )
            #expect(try stale.status == 412 && stale.jsonObject()["code"] as? String == "precondition_failed", "\(stale.text)")

            // Another version arrives while this upload is on its way: its last bytes are refused.
            let current = try await Self.etag(server, uuid)
            let late = try await ResumableUploadTests.create(server, length: 12, metadata: metadata, headers: [("If-Match", current)])
            #expect(try await Self.addVersion(server, uuid, name: "survey.txt", bytes: Array("survey v3\n".utf8), ifMatch: current).status == 201)
            let refused = try await ResumableUploadTests.patch(server, late, offset: 0, Array("survey late\n".utf8))
            #expect(try refused.status == 412 && refused.jsonObject()["code"] as? String == "precondition_failed", "\(refused.status) \(refused.text)")
            #expect(try await ResumableUploadTests.head(server, late).status == 410)
            #expect(try await Self.versions(server, uuid).compactMap { $0["number"] as? Int } == [3, 2, 1])
        }
    }
    /// Retention runs in the server's own collection, with a compressed clock here: keeping the last 2
    /// deletes the older earlier versions; a maximum age deletes the old ones; the current version is
    /// never deleted, nor content a kept version or the current one still shows; each deletion is
    /// audited by the system with its rule.
    @Test func retentionKeepsTheLastAndTheYoungVersions() async throws {
        try await TestServer.with { server in
            let record = try await server.record(type: "property")
            let contents = (0..<4).map { Array("draft \($0)\n".utf8) }
            let uuid = try await ShareTests.attach(server, record: record.uuid, name: "draft.txt", bytes: contents[0])
            for content in contents.dropFirst() {
                #expect(try await Self.addVersion(server, uuid, name: "draft.txt", bytes: content, ifMatch: try await Self.etag(server, uuid)).status == 201)
            }
            // The first content back as version 5: its version 1 row goes, its content stays.
            #expect(try await server.send(.POST, "/v1/attachments/\(uuid)/versions/1/restore", token: server.writeToken).status == 200)
            #expect(try await Self.versions(server, uuid).compactMap { $0["number"] as? Int } == [5, 4, 3, 2, 1])
            // Nothing goes while every version is kept.
            #expect(try await server.service.collectGarbage(grace: 0).removedVersions == 0)

            _ = try await server.service.setVersionPolicy(tenantSlug: "acme", TenantVersionPolicy(keepLast: 2))
            let kept = try await server.service.collectGarbage(grace: 0)
            #expect(kept.removedVersions == 3, "\(kept)")
            #expect(try await Self.versions(server, uuid).compactMap { $0["number"] as? Int } == [5, 4])
            #expect(try await server.send(.GET, "/v1/attachments/\(uuid)/download", token: server.readToken).bytes == contents[0])
            // Content released by a run is collected by it or by the next (the SQL stores release it
            // after the run's cutoff).
            let again = try await server.service.collectGarbage(grace: 0)
            #expect(kept.removedBlobs + again.removedBlobs == 2, "\(kept.removedBlobs) + \(again.removedBlobs)")
            let stored = Set(try await server.storedBlobs().map(\.sha256))
            #expect(stored.contains(SHA256Helper.hex(contents[0])) && stored.contains(SHA256Helper.hex(contents[3])))
            #expect(!stored.contains(SHA256Helper.hex(contents[1])) && !stored.contains(SHA256Helper.hex(contents[2])))
            let audit = try await server.service.auditEvents(tenantSlug: "acme", matching: AuditQuery(action: .versionDelete), page: PageRequest(limit: 10))
            #expect(audit.items.count == 3 && audit.items.allSatisfy { $0.actor == .system && $0.detail?.hasSuffix("retention, beyond the last 2 kept") == true })

            // By age, two days on: the earlier version goes; the current one, however old, stays.
            _ = try await server.service.setVersionPolicy(tenantSlug: "acme", TenantVersionPolicy(maximumAge: 86_400))
            #expect(try await server.service.collectGarbage(grace: 0, now: Date()).removedVersions == 0)
            #expect(try await server.service.collectGarbage(grace: 0, now: Date().addingTimeInterval(2 * 86_400)).removedVersions == 1)
            #expect(try await Self.versions(server, uuid).compactMap { $0["number"] as? Int } == [5])
            #expect(try await server.send(.GET, "/v1/attachments/\(uuid)/download", token: server.readToken).bytes == contents[0])
        }
    }
}
