import AttacheCore
import AttacheTestSupport
import Foundation
import NIOCore
import Testing

/// Drop links (shares of kind `upload`): people outside the CRM send files into a record through
/// `/s/{token}/files`, through the one upload intake, within the link's limits however many send at
/// once, and can never see anything — not even what they sent.
@Suite("Drop links", .timeLimit(.minutes(3)))
struct DropLinkTests {
    static let json = ShareTests.json

    /// Makes a drop link on the record and returns its JSON.
    static func dropLink(_ server: TestServer, record: String, _ fields: String = "") async throws -> [String: Any] {
        try await ShareTests.share(server, "records/\(record)", #"{"kind":"upload"\#(fields.isEmpty ? "" : ",")\#(fields)}"#)
    }

    /// Sends files to a drop link as a script would.
    static func send(_ server: TestServer, _ page: String, _ files: [(String, [UInt8])], headers: [(String, String)] = json) async throws -> TestResponse {
        var form = MultipartForm()
        for (name, bytes) in files { form.addFile("files", fileName: name, bytes: bytes) }
        form.close()
        return try await server.upload("\(page)/files", token: nil, form: form, extraHeaders: headers)
    }

    /// The record's attachments, as the CRM sees them.
    static func attachments(_ server: TestServer, record: String) async throws -> [[String: Any]] {
        let response = try await server.send(.GET, "/v1/records/\(record)/attachments?limit=200", token: server.readToken)
        guard response.status == 200 else { throw TestFailure("attachments: \(response.status) \(response.text)") }
        return try #require(try response.jsonObject()["items"] as? [[String: Any]])
    }

    static func share(_ server: TestServer, id: Any?) async throws -> [String: Any] {
        try await server.send(.GET, "/v1/shares/\(try #require(id as? String))", token: server.readToken).jsonObject()
    }

    @Test func aDropLinkTakesFilesIntoItsRecordAndShowsNothing() async throws {
        try await TestServer.with(mode: .router) { server in
            let record = try await server.record(type: "contact", title: "Applicant Jansen")
            let link = try await Self.dropLink(server, record: record.uuid, #""label":"Passport and three payslips","maxFiles":4"#)
            #expect(link["kind"] as? String == "upload" && link["maxFiles"] as? Int == 4 && link["filesReceived"] as? Int == 0)
            let page = try ShareTests.page(link)

            // The page says what it takes, and nothing of the record.
            let view = try await server.send(.GET, page, headers: Self.json)
            #expect(view.status == 200)
            let described = try view.jsonObject()
            #expect(described["kind"] as? String == "upload" && described["filesLeft"] as? Int == 4 && described["bytesLeft"] is NSNull)
            #expect(described["uploadUrl"] as? String == "http://localhost\(page)/files" || (described["uploadUrl"] as? String)?.hasSuffix("\(page)/files") == true)
            #expect(!view.text.contains("Jansen") && !view.text.contains(record.uuid), "nothing of the record")
            let html = try await server.send(.GET, page, headers: [("Accept", "text/html")])
            #expect(html.status == 200 && html.text.contains("enctype=\"multipart/form-data\"") && html.text.contains("<script src=\"/s/drop.js\" defer>"))
            #expect(html.header("Content-Security-Policy")?.contains("script-src 'self'; connect-src 'self'") == true)
            #expect(html.text.contains("Passport and three payslips") && !html.text.contains("Jansen"))
            let icon = try await server.send(.GET, "/s/icon.svg")
            #expect(icon.status == 200 && icon.header("Content-Type") == "image/svg+xml" && html.text.contains("href=\"/s/icon.svg\""))
            let script = try await server.send(.GET, "/s/drop.js")
            #expect(script.status == 200 && script.header("Content-Type") == "text/javascript; charset=utf-8" && script.text.contains("XMLHttpRequest"))

            // The same name twice is two files, never one overwritten.
            let first = Samples.pdf(size: 3000, seed: 41)
            let second = Samples.pdf(size: 4000, seed: 42)
            let sent = try await Self.send(server, page, [("passport.pdf", first), ("passport.pdf", second)])
            #expect(sent.status == 201, "\(sent.text)")
            #expect(sent.header("Cache-Control") == "no-store")
            let receipt = try sent.jsonObject()
            let files = try #require(receipt["files"] as? [[String: Any]])
            #expect(files.map { $0["size"] as? Int } == [3000, 4000] && receipt["filesLeft"] as? Int == 2)
            #expect(files.allSatisfy { $0["uuid"] == nil && $0["url"] == nil }, "the receipt links to nothing")
            let stored = try await Self.attachments(server, record: record.uuid)
            #expect(stored.count == 2 && stored.allSatisfy { $0["name"] as? String == "passport.pdf" })

            // Nothing can be read back through the link, not even what it took.
            for attachment in stored {
                let uuid = try #require(attachment["uuid"] as? String)
                #expect(try await server.send(.GET, "\(page)/files/\(uuid)", headers: Self.json).status == 404)
                #expect(try await server.send(.HEAD, "\(page)/files/\(uuid)").status == 404)
            }
            #expect(try await server.send(.GET, "\(page)/archive.zip", headers: Self.json).status == 404)

            // Past the limit: nothing of the request is stored.
            let tooMany = try await Self.send(server, page, [("a.pdf", Samples.pdf(seed: 43)), ("b.pdf", Samples.pdf(seed: 44)), ("c.pdf", Samples.pdf(seed: 45))])
            #expect(try tooMany.status == 410 && tooMany.jsonObject()["code"] as? String == "link_exhausted", "\(tooMany.text)")
            #expect(try await Self.attachments(server, record: record.uuid).count == 2)
            #expect(try await Self.send(server, page, [("c.pdf", Samples.pdf(seed: 45)), ("d.pdf", Samples.pdf(seed: 46))]).status == 201)
            let full = try await Self.send(server, page, [("e.pdf", Samples.pdf(seed: 47))])
            #expect(full.status == 410)
            #expect(try await server.send(.GET, page, headers: Self.json).jsonObject()["filesLeft"] as? Int == 0)
            let managed = try await Self.share(server, id: link["id"])
            #expect(managed["filesReceived"] as? Int == 4 && managed["bytesReceived"] as? Int == 3000 + 4000 + 4000 && managed["status"] as? String == "exhausted")

            // The trail names the link as the actor of each upload.
            let trail = try await server.send(.GET, "/v1/audit?action=file.upload&record=\(record.uuid)", token: server.adminToken)
            let uploads = try #require(try trail.jsonObject()["items"] as? [[String: Any]])
            #expect(uploads.count == 4 && uploads.allSatisfy { $0["actor"] as? String == "share:\(link["id"] as? String ?? "")" }, "\(trail.text)")
        }
    }

    /// A person's browser without the script: the form posts every file at once and comes back to the
    /// page, which says how many arrived.
    @Test func aBrowsersFormComesBackToThePage() async throws {
        try await TestServer.with(mode: .router) { server in
            let record = try await server.record(type: "property")
            let page = try ShareTests.page(try await Self.dropLink(server, record: record.uuid))
            let sent = try await Self.send(server, page, [("photo.png", Samples.png)], headers: [("Accept", "text/html,application/xhtml+xml")])
            #expect(sent.status == 303 && sent.header("Location")?.hasSuffix("\(page)?sent=1") == true, "\(sent.status) \(sent.text)")
            let thanks = try await server.send(.GET, "\(page)?sent=1", headers: [("Accept", "text/html")])
            #expect(thanks.text.contains("1 file received"))
            // A refused file is a page too, in the intake's words.
            let refused = try await Self.send(server, page, [("tool.pdf", Samples.elf)], headers: [("Accept", "text/html")])
            #expect(refused.status == 415 && refused.header("Content-Type") == "text/html; charset=utf-8", "\(refused.status)")
            #expect(try await Self.attachments(server, record: record.uuid).count == 1)
        }
    }

    /// maxFiles and maxBytes hold when 20 clients send at once: exactly as many as fit are stored.
    @Test func theLimitsHoldUnderConcurrency() async throws {
        try await TestServer.with { server in
            let record = try await server.record(type: "case")
            let byFiles = try await Self.dropLink(server, record: record.uuid, #""maxFiles":3"#)
            let byBytes = try await Self.dropLink(server, record: record.uuid, #""maxBytes":10000"#)
            for (link, expected) in [(byFiles, 3), (byBytes, 3)] {
                let page = try ShareTests.page(link)
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for client in 0..<20 {
                        group.addTask {
                            try await Self.send(server, page, [("payslip.pdf", Samples.pdf(size: 3000, seed: UInt8(client + (expected == 3 ? 0 : 100))))]).status
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                #expect(statuses.filter { $0 == 201 }.count == expected && statuses.filter { $0 == 410 }.count == 20 - expected, "\(statuses.sorted())")
                let managed = try await Self.share(server, id: link["id"])
                #expect(managed["filesReceived"] as? Int == expected && managed["bytesReceived"] as? Int == expected * 3000)
            }
            #expect(try await Self.attachments(server, record: record.uuid).count == 6)

            // A file larger than what the link still takes is refused as too large, before it is stored.
            let roomy = try await Self.dropLink(server, record: record.uuid, #""maxBytes":5000"#)
            let large = try await Self.send(server, try ShareTests.page(roomy), [("big.pdf", Samples.pdf(size: 5001, seed: 9))])
            #expect(try large.status == 413 && large.jsonObject()["code"] as? String == "content_too_large", "\(large.text)")
            #expect(try await Self.share(server, id: roomy["id"])["bytesReceived"] as? Int == 0)
            #expect(try await server.stagedCount() == 0)
        }
    }

    /// Names with paths are stored as names, an upload cut off mid-body stores and counts nothing, a
    /// password guards the drop like a share, and a download share takes no files.
    @Test func theBadDayStoresNothingItShouldNot() async throws {
        try await TestServer.with { server in
            let record = try await server.record(type: "contact")
            let link = try await Self.dropLink(server, record: record.uuid, #""maxFiles":5"#)
            let page = try ShareTests.page(link)
            let tricked = try await Self.send(server, page, [("../../etc/passwd.pdf", Samples.pdf(seed: 3)), ("C:\\Windows\\win.pdf", Samples.pdf(seed: 4))])
            #expect(tricked.status == 201)
            let names = try await Self.attachments(server, record: record.uuid).compactMap { $0["name"] as? String }
            #expect(names.count == 2 && names.allSatisfy { !$0.contains("/") && !$0.contains("\\") && !$0.hasPrefix(".") }, "\(names)")

            // Cut off in the middle of the body: nothing stored, nothing counted.
            let connection = try RawConnection(port: server.port)
            try await connection.send(
                "POST \(page)/files HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n"
                    + "--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"cut.pdf\"\r\n\r\n%PDF-1.7\n" + String(repeating: "x", count: 20_000)
            )
            connection.close()
            #expect(try await eventually { try await server.stagedCount() == 0 }, "the cut upload's staging file is removed")
            #expect(try await Self.share(server, id: link["id"])["filesReceived"] as? Int == 2)
            #expect(try await Self.attachments(server, record: record.uuid).count == 2)

            // A password: no files without it.
            let guarded = try ShareTests.page(try await Self.dropLink(server, record: record.uuid, #""password":"drop-pw""#))
            let locked = try await Self.send(server, guarded, [("x.pdf", Samples.pdf(seed: 5))])
            #expect(try locked.status == 403 && locked.jsonObject()["code"] as? String == "password_required")
            let unlocked = try await server.sendJSON(.POST, "\(guarded)/unlock", token: nil, json: #"{"password":"drop-pw"}"#)
            let cookie = try #require(ShareTests.cookie(unlocked, "attache_share"))
            let opened = try await Self.send(server, guarded, [("x.pdf", Samples.pdf(seed: 5))], headers: Self.json + [("Cookie", "attache_share=\(cookie.value)")])
            #expect(opened.status == 201)

            // A download share takes no files; a revoked drop link is the same 404 as any dead link.
            let download = try ShareTests.page(try await ShareTests.share(server, "records/\(record.uuid)"))
            #expect(try await Self.send(server, download, [("y.pdf", Samples.pdf(seed: 6))]).status == 404)
            #expect(try await server.send(.DELETE, "/v1/shares/\(try #require(link["id"] as? String))", token: server.writeToken).status == 204)
            #expect(try await Self.send(server, page, [("z.pdf", Samples.pdf(seed: 7))]).status == 404)
            #expect(try await Self.attachments(server, record: record.uuid).count == 3)
        }
    }

    /// What a drop link is made with is checked: on a record only, with its own limits only.
    @Test func dropLinksAreMadeOnRecordsWithTheirOwnLimits() async throws {
        try await TestServer.with(mode: .router) { server in
            let record = try await server.record(type: "contact")
            let attachment = try await ShareTests.attach(server, record: record.uuid, name: "lease.pdf", bytes: Samples.pdf())
            let refusals: [(String, String, String)] = [
                ("attachments/\(attachment)", #"{"kind":"upload"}"#, "kind"),
                ("records/\(record.uuid)", #"{"kind":"upload","maxDownloads":2}"#, "maxDownloads"),
                ("records/\(record.uuid)", #"{"kind":"upload","maxFiles":0}"#, "maxFiles"),
                ("records/\(record.uuid)", #"{"kind":"upload","maxBytes":-1}"#, "maxBytes"),
                ("records/\(record.uuid)", #"{"maxFiles":3}"#, "maxFiles"),
            ]
            for (path, body, field) in refusals {
                let response = try await server.sendJSON(.POST, "/v1/\(path)/shares", token: server.writeToken, json: body)
                let errors = try response.jsonObject()["errors"] as? [String: Any]
                #expect(response.status == 400 && errors?[field] != nil, "\(body): \(response.text)")
            }
            let unknown = try await server.sendJSON(.POST, "/v1/records/\(record.uuid)/shares", token: server.writeToken, json: #"{"kind":"both"}"#)
            #expect(unknown.status == 400, "\(unknown.text)")
            let link = try await Self.dropLink(server, record: record.uuid, #""maxFiles":2"#)
            let id = try #require(link["id"] as? String)
            let changed = try await server.sendJSON(.PATCH, "/v1/shares/\(id)", token: server.writeToken, json: #"{"maxFiles":null,"maxBytes":1000000}"#)
            #expect(try changed.status == 200 && changed.jsonObject()["maxFiles"] is NSNull && changed.jsonObject()["maxBytes"] as? Int == 1_000_000)
            let wrong = try await server.sendJSON(.PATCH, "/v1/shares/\(id)", token: server.writeToken, json: #"{"maxDownloads":3}"#)
            #expect(wrong.status == 400, "\(wrong.text)")
            let listed = try await server.send(.GET, "/v1/shares?record=\(record.uuid)", token: server.readToken).jsonObject()
            #expect((listed["items"] as? [[String: Any]])?.first?["kind"] as? String == "upload")
            // Pages: newest first, a cursor to the next, the last page without one.
            _ = try await ShareTests.share(server, "records/\(record.uuid)")
            let first = try await server.send(.GET, "/v1/shares?record=\(record.uuid)&limit=1", token: server.readToken).jsonObject()
            let cursor = try #require(first["nextCursor"] as? String)
            #expect((first["items"] as? [[String: Any]])?.first?["kind"] as? String == "download")
            let second = try await server.send(.GET, "/v1/shares?record=\(record.uuid)&limit=1&cursor=\(cursor)", token: server.readToken).jsonObject()
            #expect((second["items"] as? [[String: Any]])?.first?["id"] as? String == id && second["nextCursor"] is NSNull)
            #expect(try await server.send(.GET, "/v1/shares?cursor=c12", token: server.readToken).status == 400)
        }
    }
}
