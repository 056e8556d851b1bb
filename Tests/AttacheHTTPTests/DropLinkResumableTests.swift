import AttacheCore
import AttacheTestSupport
import Crypto
import Foundation
import NIOCore
import Testing

/// Large files through a drop link: tus at `/s/{token}/uploads`, the link as the only credential. The
/// file goes through the one upload intake when its last byte is in and counts against the link then,
/// exactly; the link reaches only its own uploads, and its answers name nothing of what they became.
@Suite("Drop links, resumable", .timeLimit(.minutes(3)))
struct DropLinkResumableTests {
    static let tus = ResumableUploadTests.tus
    static let chunkType = ResumableUploadTests.chunkType

    /// Creates an upload through the drop link `page` and returns its path, or the refusal.
    static func create(
        _ server: TestServer, _ page: String, length: Int?, name: String = "statement.pdf", headers extra: [(String, String)] = []
    ) async throws -> (path: String?, response: TestResponse) {
        var headers = [tus, ("Upload-Metadata", ResumableUploadTests.metadata([("filename", name)]))] + extra
        if let length { headers.append(("Upload-Length", String(length))) }
        let response = try await server.send(.POST, "\(page)/uploads", headers: headers)
        guard response.status == 201, let location = response.header("Location") else { return (nil, response) }
        return (String(location.dropFirst(server.baseURL.count)), response)
    }

    static func patch(_ server: TestServer, _ path: String, offset: Int, _ bytes: ArraySlice<UInt8>, headers extra: [(String, String)] = []) async throws -> TestResponse {
        try await server.send(.PATCH, path, headers: [tus, chunkType, ("Upload-Offset", String(offset))] + extra, body: ByteBuffer(bytes: bytes))
    }

    @Test func aLargeFileArrivesInPiecesAsTheLink() async throws {
        try await TestServer.with { server in
            let record = try await server.record(type: "contact", title: "Tenant De Vries")
            let link = try await DropLinkTests.dropLink(server, record: record.uuid, #""maxFiles":3"#)
            let page = try ShareTests.page(link)

            // Discovery says what the link takes: whole files of a declared length.
            let options = try await server.send(.OPTIONS, "\(page)/uploads")
            #expect(options.status == 204 && options.header("Tus-Version") == "1.0.0")
            #expect(options.header("Tus-Extension") == "creation,creation-with-upload,termination,expiration,checksum")

            let content = Samples.pdf(size: 9_000_000, seed: 61)
            let (created, response) = try await Self.create(server, page, length: content.count)
            let path = try #require(created, "\(response.status) \(response.text)")
            #expect(path.hasPrefix("\(page)/uploads/") && response.header("Tus-Resumable") == "1.0.0")
            let half = content.count / 2
            let first = try await Self.patch(server, path, offset: 0, content[..<half])
            #expect(first.status == 204 && first.header("Upload-Offset") == String(half), "\(first.status) \(first.text)")
            let offset = try await server.send(.HEAD, path, headers: [Self.tus])
            #expect(offset.status == 200 && offset.header("Upload-Offset") == String(half) && offset.header("Cache-Control") == "no-store")
            let last = try await Self.patch(server, path, offset: half, content[half...])
            #expect(last.status == 204 && last.header("Upload-Offset") == String(content.count), "\(last.status) \(last.text)")
            #expect(last.header("Attache-File") == nil && last.header("Attache-Attachment") == nil, "the link names nothing it stored")

            // The file is in the record, whole, counted against the link, with the link as its actor.
            let stored = try await DropLinkTests.attachments(server, record: record.uuid)
            #expect(stored.count == 1 && stored.first?["name"] as? String == "statement.pdf")
            let digest = SHA256.hash(data: content).map { String(format: "%02x", $0) }.joined()
            #expect(stored.first?["sha256"] as? String == digest, "\(stored)")
            let managed = try await DropLinkTests.share(server, id: link["id"])
            #expect(managed["filesReceived"] as? Int == 1 && managed["bytesReceived"] as? Int == content.count)
            let trail = try await server.send(.GET, "/v1/audit?action=file.upload&record=\(record.uuid)", token: server.adminToken)
            let uploads = try #require(try trail.jsonObject()["items"] as? [[String: Any]])
            #expect(uploads.count == 1 && uploads.first?["actor"] as? String == "share:\(link["id"] as? String ?? "")", "\(trail.text)")

            // What a drop link does not take: a deferred length, a concatenation, no tus version.
            let deferred = try await Self.create(server, page, length: nil, headers: [("Upload-Defer-Length", "1")]).response
            #expect(try deferred.status == 400 && deferred.jsonObject()["code"] as? String == "invalid_input", "\(deferred.text)")
            let partial = try await Self.create(server, page, length: 10, headers: [("Upload-Concat", "partial")]).response
            #expect(partial.status == 400, "\(partial.text)")
            let unversioned = try await server.send(.POST, "\(page)/uploads", headers: [("Upload-Length", "10")])
            #expect(unversioned.status == 412 && unversioned.header("Tus-Version") == "1.0.0")
            #expect(try await server.stagedCount() == 0)
        }
    }

    /// A link reaches only the uploads made through it; a revoked link stops its uploads at their next
    /// request; a password guards them like the link's page; the CRM's own token still reaches them.
    @Test func anUploadIsReachedOnlyThroughItsOwnLink() async throws {
        try await TestServer.with { server in
            let record = try await server.record(type: "property")
            let linkA = try await DropLinkTests.dropLink(server, record: record.uuid)
            let linkB = try await DropLinkTests.dropLink(server, record: record.uuid)
            let pageA = try ShareTests.page(linkA)
            let pageB = try ShareTests.page(linkB)
            let throughA = try #require(try await Self.create(server, pageA, length: 5000).path)
            let id = String(throughA.split(separator: "/").last ?? "")
            let native = try await ResumableUploadTests.create(server, length: 5000)
            let nativeID = String(native.split(separator: "/").last ?? "")

            #expect(try await server.send(.HEAD, "\(pageB)/uploads/\(id)", headers: [Self.tus]).status == 404, "another link's upload")
            #expect(try await server.send(.HEAD, "\(pageA)/uploads/\(nativeID)", headers: [Self.tus]).status == 404, "the CRM's own upload")
            #expect(try await Self.patch(server, "\(pageB)/uploads/\(id)", offset: 0, Samples.pdf(size: 5000, seed: 1)[...]).status == 404)
            #expect(try await server.send(.DELETE, "\(pageA)/uploads/\(nativeID)", headers: [Self.tus]).status == 404)
            #expect(try await ResumableUploadTests.head(server, native).status == 200, "not terminated through the link")
            #expect(try await ResumableUploadTests.head(server, "/v1/uploads/\(id)").status == 200, "the tenant's token reaches the link's upload")

            // Revoked: the link's upload answers as any dead link, at once.
            #expect(try await server.send(.DELETE, "/v1/shares/\(try #require(linkA["id"] as? String))", token: server.writeToken).status == 204)
            let revoked = try await Self.patch(server, throughA, offset: 0, Samples.pdf(size: 5000, seed: 2)[...])
            #expect(try revoked.status == 404 && revoked.jsonObject()["code"] as? String == "not_found", "a problem, not a page: \(revoked.text)")

            // A password: the unlock cookie is the credential's second half.
            let guarded = try ShareTests.page(try await DropLinkTests.dropLink(server, record: record.uuid, #""password":"tus-pw""#))
            let locked = try await Self.create(server, guarded, length: 100).response
            #expect(try locked.status == 403 && locked.jsonObject()["code"] as? String == "password_required", "\(locked.text)")
            let unlocked = try await server.sendJSON(.POST, "\(guarded)/unlock", token: nil, json: #"{"password":"tus-pw"}"#)
            let cookie = try #require(ShareTests.cookie(unlocked, "attache_share"))
            let opened = try await Self.create(server, guarded, length: 100, headers: [("Cookie", "attache_share=\(cookie.value)")])
            #expect(opened.path != nil, "\(opened.response.status) \(opened.response.text)")

            // A download share takes no uploads.
            let download = try ShareTests.page(try await ShareTests.share(server, "records/\(record.uuid)"))
            #expect(try await Self.create(server, download, length: 100).response.status == 404)
        }
    }

    /// The link's limits hold for resumable uploads: a declared length past what it takes is refused at
    /// creation, and uploads that each fit but together do not are counted when their last byte is in,
    /// so exactly as many as fit are stored and the rest fail with nothing staged left behind.
    @Test func theLimitsHoldWhenTheLastByteIsIn() async throws {
        try await TestServer.with { server in
            let record = try await server.record(type: "case")
            let byBytes = try ShareTests.page(try await DropLinkTests.dropLink(server, record: record.uuid, #""maxBytes":20000"#))
            let tooLarge = try await Self.create(server, byBytes, length: 20001).response
            #expect(try tooLarge.status == 410 && tooLarge.jsonObject()["code"] as? String == "link_exhausted", "\(tooLarge.text)")

            // Two uploads of one file each on a link that takes one: both may start, one is stored.
            let link = try await DropLinkTests.dropLink(server, record: record.uuid, #""maxFiles":1"#)
            let page = try ShareTests.page(link)
            let first = Samples.pdf(size: 6000, seed: 71)
            let second = Samples.pdf(size: 7000, seed: 72)
            let pathA = try #require(try await Self.create(server, page, length: first.count).path)
            let pathB = try #require(try await Self.create(server, page, length: second.count).path)
            #expect(try await Self.patch(server, pathB, offset: 0, second[..<4000]).status == 204)
            #expect(try await Self.patch(server, pathA, offset: 0, first[...]).status == 204)
            // The link is full: its uploads take no more bytes, but still say where they stand (the
            // file that filled it was one of them, whose client may have missed its last answer).
            let full = try await Self.patch(server, pathB, offset: 4000, second[4000...])
            #expect(try full.status == 410 && full.jsonObject()["code"] as? String == "link_exhausted", "\(full.text)")
            let done = try await server.send(.HEAD, pathA, headers: [Self.tus])
            #expect(done.status == 200 && done.header("Upload-Offset") == String(first.count), "\(done.status)")
            let waiting = try await server.send(.HEAD, pathB, headers: [Self.tus])
            #expect(waiting.status == 200 && waiting.header("Upload-Offset") == "4000")
            // The CRM's token can still send the last bytes, and the count refuses the file all the same.
            let idB = String(pathB.split(separator: "/").last ?? "")
            let counted = try await ResumableUploadTests.patch(server, "/v1/uploads/\(idB)", offset: 4000, Array(second[4000...]))
            #expect(try counted.status == 410 && counted.jsonObject()["code"] as? String == "link_exhausted", "\(counted.text)")
            let failed = try await ResumableUploadTests.head(server, "/v1/uploads/\(idB)")
            #expect(failed.status == 410, "the refused upload failed for good")
            #expect(try await DropLinkTests.attachments(server, record: record.uuid).count == 1)
            #expect(try await DropLinkTests.share(server, id: link["id"])["filesReceived"] as? Int == 1)
            #expect(try await eventually { try await server.stagedCount() == 0 }, "nothing staged is left")
        }
    }

    /// Racing uploads on a link that takes two files: however they interleave, exactly two are stored.
    @Test func racingUploadsStoreNoMoreThanTheLinkTakes() async throws {
        try await TestServer.with { server in
            let record = try await server.record(type: "case")
            let link = try await DropLinkTests.dropLink(server, record: record.uuid, #""maxFiles":2"#)
            let page = try ShareTests.page(link)
            let contents = (0..<6).map { Samples.pdf(size: 5000, seed: UInt8(80 + $0)) }
            var paths: [String] = []
            for content in contents { paths.append(try #require(try await Self.create(server, page, length: content.count).path)) }
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for (path, content) in zip(paths, contents) {
                    group.addTask { try await Self.patch(server, path, offset: 0, content[...]).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 204 }.count == 2 && statuses.filter { $0 == 410 }.count == 4, "\(statuses.sorted())")
            #expect(try await DropLinkTests.attachments(server, record: record.uuid).count == 2)
            #expect(try await DropLinkTests.share(server, id: link["id"])["filesReceived"] as? Int == 2)
        }
    }
}
