import AttacheCore
import AttacheTestSupport
import Foundation
import NIOCore
import Testing

/// Share links over HTTP: made and managed through `/v1/…/shares` with a token, used at `/s/{token}`
/// without one — the page (HTML and JSON), the password, the content and the ZIP, the download limit,
/// and the answers to tokens that are not a live share's.
@Suite("Share links", .timeLimit(.minutes(3)))
struct ShareTests {
    /// Makes a share of `path` (`attachments/{uuid}` or `records/{uuid}`) and returns its JSON.
    static func share(_ server: TestServer, _ path: String, _ json: String = "{}") async throws -> [String: Any] {
        let response = try await server.sendJSON(.POST, "/v1/\(path)/shares", token: server.writeToken, json: json)
        guard response.status == 201 else { throw TestFailure("share not made: \(response.status) \(response.text)") }
        return try response.jsonObject()
    }

    /// The share page's path (`/s/shr_…`) of a share's JSON.
    static func page(_ share: [String: Any]) throws -> String {
        "/s/" + (try #require(share["token"] as? String))
    }

    /// Uploads `bytes` as `name` to the record and returns the attachment's uuid.
    static func attach(_ server: TestServer, record: String, name: String, bytes: [UInt8]) async throws -> String {
        let response = try await server.upload("/v1/records/\(record)/attachments", token: server.writeToken, form: .file(fileName: name, bytes: bytes))
        guard response.status == 201 else { throw TestFailure("upload: \(response.status) \(response.text)") }
        return try #require(try response.jsonObject()["uuid"] as? String)
    }

    /// The value a response's `Set-Cookie` gives `name`, and the cookie's whole line.
    static func cookie(_ response: TestResponse, _ name: String) -> (value: String, line: String)? {
        for line in response.headers["Set-Cookie"] {
            let pair = line.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
            if pair.hasPrefix(name + "=") { return (String(pair.dropFirst(name.count + 1)), line) }
        }
        return nil
    }

    static let json = [("Accept", "application/json")]

    @Test func sharesAreMadeListedChangedAndRevokedWithAToken() async throws {
        try await TestServer.with(mode: .router) { server in
            let record = try await server.record(type: "contact", title: "Jansen")
            let attachment = try await Self.attach(server, record: record.uuid, name: "lease.pdf", bytes: Samples.pdf())
            let expiry = "2099-01-31T12:00:00.250Z"
            let made = try await server.sendJSON(
                .POST, "/v1/attachments/\(attachment)/shares", token: server.writeToken,
                json: #"{"label":"For the tenant","expiresAt":"\#(expiry)","maxDownloads":3,"password":"s3cret"}"#
            )
            #expect(made.status == 201)
            #expect(made.header("Cache-Control") == "no-store")
            let share = try made.jsonObject()
            let token = try #require(share["token"] as? String)
            #expect(token.hasPrefix("shr_") && token.count == 36, "24 random bytes in base64url")
            #expect(token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" })
            #expect(share["url"] as? String == "http://localhost/s/\(token)" || (share["url"] as? String)?.hasSuffix("/s/\(token)") == true)
            #expect(share["target"] as? String == "attachment" && share["attachmentUuid"] as? String == attachment)
            #expect(share["recordUuid"] as? String == record.uuid)
            #expect(share["label"] as? String == "For the tenant" && share["maxDownloads"] as? Int == 3 && share["downloads"] as? Int == 0)
            #expect(share["hasPassword"] as? Bool == true && share["status"] as? String == "active" && share["kind"] as? String == "download")
            #expect(share["expiresAt"] as? String == "2099-01-31T12:00:00Z")
            #expect(!made.text.contains("s3cret"))
            let id = try #require(share["id"] as? String)

            // The token is shown once: never in a read or a list.
            let read = try await server.send(.GET, "/v1/shares/\(id)", token: server.readToken)
            #expect(read.status == 200)
            #expect(try read.jsonObject()["token"] == nil && !read.text.contains(token))
            let recordShare = try await Self.share(server, "records/\(record.uuid)")
            let all = try await server.send(.GET, "/v1/shares", token: server.readToken).jsonObject()
            #expect((all.array("items") ?? []).compactMap { $0["id"] as? String } == [recordShare["id"] as? String, id].compactMap { $0 })
            let ofRecord = try await server.send(.GET, "/v1/shares?record=\(record.uuid)", token: server.readToken).jsonObject()
            #expect(ofRecord.array("items")?.count == 2, "the record's own share and its attachment's")
            let ofAttachment = try await server.send(.GET, "/v1/shares?attachment=\(attachment)", token: server.readToken).jsonObject()
            #expect(ofAttachment.array("items")?.compactMap { $0["id"] as? String } == [id])
            #expect(try await server.send(.GET, "/v1/shares?record=nope", token: server.readToken).status == 400)

            // Changes: an absent field is kept, null removes one.
            let changed = try await server.sendJSON(.PATCH, "/v1/shares/\(id)", token: server.writeToken, json: #"{"label":"Lease","maxDownloads":null,"password":null}"#)
            #expect(changed.status == 200)
            let after = try changed.jsonObject()
            #expect(after["label"] as? String == "Lease" && after["maxDownloads"] is NSNull && after["hasPassword"] as? Bool == false)
            #expect(after["expiresAt"] as? String == "2099-01-31T12:00:00Z")

            // Bad input, each named; a read token may not make or change shares; another tenant sees none.
            for body in [
                #"{"maxDownloads":0}"#, #"{"expiresAt":"2001-01-01T00:00:00Z"}"#, #"{"expiresAt":"tomorrow"}"#,
                #"{"label":"\#(String(repeating: "x", count: 201))"}"#, #"{"password":"\#(String(repeating: "p", count: 1025))"}"#, #"{"password":""}"#,
            ] {
                let refused = try await server.sendJSON(.POST, "/v1/attachments/\(attachment)/shares", token: server.writeToken, json: body)
                #expect(refused.status == 400, "\(body.prefix(60)) → \(refused.status)")
                #expect(try refused.jsonObject()["code"] as? String == "invalid_input")
            }
            #expect(try await server.sendJSON(.POST, "/v1/records/\(record.uuid)/shares", token: server.readToken, json: "{}").status == 403)
            #expect(try await server.sendJSON(.PATCH, "/v1/shares/\(id)", token: server.readToken, json: "{}").status == 403)
            #expect(try await server.sendJSON(.POST, "/v1/records/\(record.uuid)/shares", token: server.otherToken, json: "{}").status == 404)
            #expect(try await server.send(.GET, "/v1/shares/\(id)", token: server.otherToken).status == 404)
            #expect(try await server.send(.DELETE, "/v1/shares/\(id)", token: server.otherToken).status == 404)
            #expect(try await server.sendJSON(.POST, "/v1/attachments/\(UUID().uuidString.lowercased())/shares", token: server.writeToken, json: "{}").status == 404)

            // Revoked: still listed, as revoked; a second revocation and a change are 404.
            #expect(try await server.send(.DELETE, "/v1/shares/\(id)", token: server.writeToken).status == 204)
            let revoked = try await server.send(.GET, "/v1/shares/\(id)", token: server.readToken).jsonObject()
            #expect(revoked["status"] as? String == "revoked" && revoked["revokedAt"] is String)
            #expect(try await server.send(.DELETE, "/v1/shares/\(id)", token: server.writeToken).status == 404)
            #expect(try await server.sendJSON(.PATCH, "/v1/shares/\(id)", token: server.writeToken, json: #"{"label":"x"}"#).status == 404)

            let trail = try await AuditTests.events(server, "&action=share.create")
            #expect(trail.count == 2)
            #expect(AuditTests.actions(try await AuditTests.events(server, "&action=share.update")) == ["share.update"])
            #expect(AuditTests.actions(try await AuditTests.events(server, "&action=share.revoke")) == ["share.revoke"])
        }
    }

    /// Someone with the link and no token sees the record's files as they are now, downloads each, and
    /// the ZIP of them all; every view and download is in the trail with the share as actor.
    @Test func aRecordShareShowsItsFilesToAPersonWithoutAToken() async throws {
        try await TestServer.with(mode: .router) { server in
            let record = try await server.record(type: "property", title: "Keizersgracht <12>")
            let lease = Samples.pdf(size: 3000, seed: 4)
            let leaseUUID = try await Self.attach(server, record: record.uuid, name: "lease.pdf", bytes: lease)
            _ = try await Self.attach(server, record: record.uuid, name: "<script>.txt", bytes: Samples.text)
            let share = try await Self.share(server, "records/\(record.uuid)", #"{"label":"Dossier & plans"}"#)
            let page = try Self.page(share)

            let html = try await server.send(.GET, page, headers: [("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")])
            #expect(html.status == 200)
            #expect(html.header("Content-Type") == "text/html; charset=utf-8")
            #expect(html.header("Content-Security-Policy")?.contains("default-src 'none'") == true)
            #expect(html.header("Referrer-Policy") == "no-referrer" && html.header("Cache-Control") == "no-store")
            #expect(html.text.contains("Keizersgracht &lt;12&gt;") && html.text.contains("Dossier &amp; plans"))
            #expect(html.text.contains("&lt;script&gt;.txt") && !html.text.contains("<script>"))
            #expect(html.text.contains("\(page)/files/\(leaseUUID)") && html.text.contains("\(page)/archive.zip"))
            #expect(!html.text.contains(record.uuid), "the page does not name the CRM's record")
            let style = try await server.send(.GET, "/s/share.css")
            #expect(style.status == 200 && style.header("Content-Type") == "text/css; charset=utf-8")

            // The JSON variant; a file added later is there at the next request.
            var view = try await server.send(.GET, page, headers: Self.json).jsonObject()
            #expect(view["target"] as? String == "record" && view["title"] as? String == "Keizersgracht <12>")
            #expect(view.array("files")?.count == 2)
            _ = try await Self.attach(server, record: record.uuid, name: "plan.pdf", bytes: Samples.pdf(seed: 9))
            view = try await server.send(.GET, page, headers: Self.json).jsonObject()
            let files = try #require(view.array("files"))
            #expect(files.compactMap { $0["name"] as? String } == ["lease.pdf", "<script>.txt", "plan.pdf"])

            // A file's content, with the safety headers of every content response.
            let url = try #require(files.first?["url"] as? String)
            let download = try await server.send(.GET, url)
            #expect(download.status == 200 && download.bytes == lease)
            #expect(download.header("ETag") == "\"\(SHA256Helper.hex(lease))\"")
            #expect(download.header("X-Content-Type-Options") == "nosniff")
            #expect(download.header("Content-Security-Policy") == "default-src 'none'; sandbox")
            #expect(download.header("Content-Disposition")?.hasPrefix("attachment") == true)
            let ranged = try await server.send(.GET, url, headers: [("Range", "bytes=10-19")])
            #expect(ranged.status == 206 && ranged.bytes == Array(lease[10..<20]))
            #expect(try await server.send(.GET, url, headers: [("If-None-Match", download.header("ETag") ?? "")]).status == 304)
            #expect(try await server.send(.HEAD, url).status == 200)

            // The ZIP of every file, which the readers open.
            let archive = try await server.send(.GET, "\(page)/archive.zip")
            #expect(archive.status == 200 && archive.header("Content-Type") == "application/zip")
            let zip = try ArchiveTests.write(archive.bytes)
            defer { try? FileManager.default.removeItem(at: zip) }
            try await ZipReaders.check(zip, names: ["lease.pdf", "<script>.txt", "plan.pdf"], sizes: [3000, Int64(Samples.text.count), 2000])

            // Another record's attachment is not the share's, whatever its uuid.
            let other = try await server.record(type: "property")
            let foreign = try await Self.attach(server, record: other.uuid, name: "other.pdf", bytes: Samples.pdf(seed: 11))
            #expect(try await server.send(.GET, "\(page)/files/\(foreign)").status == 404)
            #expect(try await server.send(.GET, "\(page)/files/not-a-uuid").status == 404)

            // In the trail: views and downloads, the share as actor.
            let id = try #require(share["id"] as? String)
            let views = try await AuditTests.events(server, "&action=share.view")
            #expect(views.count == 3 && views.allSatisfy { $0["actor"] as? String == "share:\(id)" })
            let downloads = try await AuditTests.waitForEvents(server, "&action=file.download", count: 2)
            #expect(downloads.allSatisfy { $0["actor"] as? String == "share:\(id)" })
            let archived = try await AuditTests.waitForEvents(server, "&action=record.archive", count: 1)
            #expect(archived.first?["actor"] as? String == "share:\(id)")
        }
    }

    /// An attachment share shows that file only, and has no archive.
    @Test func anAttachmentShareShowsOneFile() async throws {
        try await TestServer.with(mode: .router) { server in
            let record = try await server.record(type: "person", title: "Private")
            let shown = try await Self.attach(server, record: record.uuid, name: "passport.pdf", bytes: Samples.pdf(seed: 2))
            let hidden = try await Self.attach(server, record: record.uuid, name: "payslip.pdf", bytes: Samples.pdf(seed: 3))
            let page = try Self.page(try await Self.share(server, "attachments/\(shown)"))
            let view = try await server.send(.GET, page, headers: Self.json).jsonObject()
            #expect(view["target"] as? String == "attachment" && view["title"] as? String == "passport.pdf")
            #expect(view.array("files")?.compactMap { $0["uuid"] as? String } == [shown])
            #expect(view["archiveUrl"] is NSNull)
            #expect(try await server.send(.GET, page).text.contains("Private") == false)
            #expect(try await server.send(.GET, "\(page)/files/\(hidden)").status == 404)
            #expect(try await server.send(.GET, "\(page)/archive.zip").status == 404)
            #expect(try await server.send(.GET, "\(page)/files/\(shown)").status == 200)
            // A deleted attachment takes its share's page with it.
            #expect(try await server.send(.DELETE, "/v1/attachments/\(shown)", token: server.writeToken).status == 204)
            #expect(try await server.send(.GET, page, headers: Self.json).status == 404)
        }
    }

    /// Unknown, tampered, truncated, overlong, revoked and expired tokens get one and the same answer.
    @Test func everyTokenThatIsNotALiveShareIsTheSame404() async throws {
        try await TestServer.with(mode: .router) { server in
            let record = try await server.record(type: "case")
            let live = try Self.page(try await Self.share(server, "records/\(record.uuid)"))
            let revokedShare = try await Self.share(server, "records/\(record.uuid)")
            #expect(try await server.send(.DELETE, "/v1/shares/\(revokedShare["id"] as? String ?? "")", token: server.writeToken).status == 204)
            // Expired in the store, as time would expire it (revocationAndExpiryTakeEffectAtTheNextRequest waits for a real one).
            let expiringShare = try await Self.share(server, "records/\(record.uuid)")
            let expiring = try Self.page(expiringShare)
            #expect(try await server.send(.GET, expiring, headers: Self.json).status == 200)
            let expiry = ShareChange(expiresAt: .some(Date().addingTimeInterval(-1)))
            let expiringID = try #require((expiringShare["id"] as? String).flatMap(UUID.init(uuidString:)))
            _ = try await server.service.metadata.updateShare(tenantID: server.tenant.id, id: expiringID, change: expiry, audit: AuditContext(actor: .cli))
            #expect(try await server.send(.GET, expiring, headers: Self.json).status == 404)

            var tampered = Array(live)
            tampered[10] = tampered[10] == "A" ? "B" : "A"
            let tokens = [
                String(tampered), String(live.dropLast()), live + "A", live + String(repeating: "A", count: 5000), "/s/nothing",
                "/s/shr_", try Self.page(revokedShare), expiring, "/s/" + String(live.dropFirst(7)),
            ]
            var answers: Set<String> = []
            for path in tokens {
                for suffix in ["", "/archive.zip", "/files/\(UUID().uuidString.lowercased())"] {
                    let response = try await server.send(.GET, path + suffix, headers: Self.json)
                    #expect(response.status == 404, "\(path.prefix(40))\(suffix) → \(response.status)")
                    var problem = try response.jsonObject()
                    problem["traceId"] = nil
                    answers.insert(String(describing: problem.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }))
                }
            }
            #expect(answers.count == 1, "\(answers)")
            let html = try await server.send(.GET, "/s/shr_nothing")
            #expect(html.status == 404 && html.header("Content-Type") == "text/html; charset=utf-8" && html.text.contains("This link does not work"))
            #expect(try await server.send(.GET, live, headers: Self.json).status == 200)
        }
    }

    /// A password: the page asks for it; a wrong one is refused; a right one gives a cookie for this
    /// share only, which a new password voids.
    @Test func aPasswordGuardsTheShareUntilItIsGiven() async throws {
        try await TestServer.with(mode: .router) { server in
            let record = try await server.record(type: "owner", title: "Dossier")
            let file = try await Self.attach(server, record: record.uuid, name: "deed.pdf", bytes: Samples.pdf(seed: 5))
            let share = try await Self.share(server, "records/\(record.uuid)", #"{"password":"correct horse"}"#)
            let page = try Self.page(share)
            let id = try #require(share["id"] as? String)

            let locked = try await server.send(.GET, page, headers: Self.json)
            #expect(try locked.status == 403 && locked.jsonObject()["code"] as? String == "password_required")
            let form = try await server.send(.GET, page)
            #expect(form.status == 200 && form.text.contains("type=\"password\"") && !form.text.contains("deed.pdf"))
            #expect(try await server.send(.GET, "\(page)/files/\(file)", headers: Self.json).status == 403)
            #expect(try await server.send(.GET, "\(page)/archive.zip", headers: Self.json).status == 403)

            let wrong = try await server.sendJSON(.POST, "\(page)/unlock", token: nil, json: #"{"password":"wrong"}"#)
            #expect(try wrong.status == 403 && wrong.jsonObject()["code"] as? String == "password_required")
            #expect(Self.cookie(wrong, "attache_share") == nil)
            let wrongForm = try await server.send(
                .POST, "\(page)/unlock", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: ByteBuffer(string: "password=nope")
            )
            #expect(wrongForm.status == 403 && wrongForm.text.contains("The password is not right."))
            // A name given twice keeps its first value (as ASP.NET binds one), and names the form does not
            // have are ignored, however often they come (schemathesis sends extra members so).
            let twice = try await server.send(
                .POST, "\(page)/unlock", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: ByteBuffer(string: "x=1&x=2&=a&=b&%5B=c&a%5B=d&a=1&a%5B%5D=2&password=nope&password=correct+horse")
            )
            #expect(twice.status == 403 && twice.text.contains("The password is not right."), "\(twice.status) \(twice.text)")
            // A form that is not one (broken percent-encoding) is the client's mistake, not the server's.
            let brokenForm = try await server.send(
                .POST, "\(page)/unlock", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: ByteBuffer(string: "%zz=1&password=x")
            )
            #expect(brokenForm.status == 400 && brokenForm.text.contains("The form cannot be read"), "\(brokenForm.status) \(brokenForm.text)")

            let right = try await server.sendJSON(.POST, "\(page)/unlock", token: nil, json: #"{"password":"correct horse"}"#)
            #expect(right.status == 204)
            let cookie = try #require(Self.cookie(right, "attache_share"))
            #expect(cookie.line.contains("Path=\(page)") && cookie.line.contains("HttpOnly") && cookie.line.contains("SameSite=Lax"))
            let unlocked = [("Cookie", "attache_share=\(cookie.value)"), ("Accept", "application/json")]
            #expect(try await server.send(.GET, page, headers: unlocked).status == 200)
            #expect(try await server.send(.GET, "\(page)/files/\(file)", headers: unlocked).status == 200)
            let rightForm = try await server.send(
                .POST, "\(page)/unlock", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: ByteBuffer(string: "password=correct+horse")
            )
            #expect(rightForm.status == 303 && rightForm.header("Location")?.hasSuffix(page) == true && Self.cookie(rightForm, "attache_share") != nil)

            // The cookie is this share's: another share with the same password does not take it.
            let other = try Self.page(try await Self.share(server, "records/\(record.uuid)", #"{"password":"correct horse"}"#))
            #expect(try await server.send(.GET, other, headers: unlocked).status == 403)
            // A forged or altered cookie is nothing.
            #expect(try await server.send(.GET, page, headers: [("Cookie", "attache_share=\(cookie.value)x"), ("Accept", "application/json")]).status == 403)
            // A new password voids the cookies of the old one.
            #expect(try await server.sendJSON(.PATCH, "/v1/shares/\(id)", token: server.writeToken, json: #"{"password":"battery staple"}"#).status == 200)
            #expect(try await server.send(.GET, page, headers: unlocked).status == 403)
            #expect(try await server.sendJSON(.POST, "\(page)/unlock", token: nil, json: #"{"password":"battery staple"}"#).status == 204)

            let refusals = try await AuditTests.events(server, "&action=share.refuse")
            #expect(refusals.count == 3 && refusals.allSatisfy { $0["actor"] as? String == "share:\(id)" })
        }
    }

    /// 1,000 wrong passwords from one address: ten are hashed, the rest are refused at once with 429;
    /// the right password from another address still opens the share.
    @Test func guessingIsStoppedPerAddressWithoutLockingOutOthers() async throws {
        try await TestServer.with { server in
            let record = try await server.record(type: "contact")
            let page = try Self.page(try await Self.share(server, "records/\(record.uuid)", #"{"password":"the right one"}"#))
            let started = ContinuousClock.now
            let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
                for worker in 0..<20 {
                    group.addTask {
                        var statuses: [Int] = []
                        for attempt in 0..<50 {
                            let guess = #"{"password":"guess \#(worker)-\#(attempt)"}"#
                            statuses.append(try await server.sendJSON(.POST, "\(page)/unlock", token: nil, json: guess).status)
                        }
                        return statuses
                    }
                }
                return try await group.reduce([], +)
            }
            let elapsed = ContinuousClock.now - started
            #expect(statuses.count == 1000)
            #expect(statuses.filter { $0 == 403 }.count == 10, "exactly ten hashed and refused")
            #expect(statuses.filter { $0 == 429 }.count == 990)
            #expect(elapsed < .seconds(60), "the refusals are fast: \(elapsed)")
            let refused = try await server.sendJSON(.POST, "\(page)/unlock", token: nil, json: #"{"password":"the right one"}"#)
            #expect(refused.status == 429, "even the right password waits at the locked address")
            // The lock-out's minute began at the tenth failure, somewhere after `started`: what is left of it
            // is at most 60 s, and no less than 60 s minus the time since the first guess.
            let sinceStart = Int((ContinuousClock.now - started).components.seconds)
            let wait = Int(refused.header("Retry-After") ?? "") ?? 0
            #expect((max(1, 59 - sinceStart)...60).contains(wait), "Retry-After: \(wait), \(sinceStart) s after the first guess")

            // From another address, the right password works at once.
            let body = #"{"password":"the right one"}"#
            // The answer waits for the password's hash (scrypt), on two cores busy with the whole suite.
            let connection = try RawConnection(port: server.port, from: "127.0.0.2", receiveTimeout: 60)
            defer { connection.close() }
            try await connection.send(
                "POST \(page)/unlock HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
            )
            let answer = try await connection.receive(until: "\r\n\r\n")
            #expect(answer.hasPrefix("HTTP/1.1 204"), "\(answer.prefix(200))")
            #expect(answer.contains("attache_share="))
        }
    }

    /// A download limit of 3 raced by 20 clients serves exactly three; a `Range` request counts like a
    /// whole download, unless it continues one already counted.
    @Test func theDownloadLimitHoldsUnderConcurrencyAndRanges() async throws {
        try await TestServer.with { server in
            let record = try await server.record(type: "contact")
            let bytes = Samples.pdf(size: 200_000, seed: 8)
            let file = try await Self.attach(server, record: record.uuid, name: "big.pdf", bytes: bytes)
            let share = try await Self.share(server, "attachments/\(file)", #"{"maxDownloads":3}"#)
            let url = try Self.page(share) + "/files/\(file)"
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<20 {
                    group.addTask { try await server.send(.GET, url).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 3 && statuses.filter { $0 == 410 }.count == 17, "\(statuses.sorted())")
            let id = try #require(share["id"] as? String)
            let read = try await server.send(.GET, "/v1/shares/\(id)", token: server.readToken).jsonObject()
            #expect(read["downloads"] as? Int == 3 && read["status"] as? String == "exhausted")
            let exhausted = try await server.send(.GET, url, headers: Self.json)
            #expect(try exhausted.status == 410 && exhausted.jsonObject()["code"] as? String == "link_exhausted")
            #expect(try await server.send(.GET, url, headers: [("Range", "bytes=0-9")]).status == 410)
            #expect(try await server.send(.HEAD, url).status == 200, "a HEAD sends no content and is not refused")

            // Ranges: each counts, unless it continues a counted download of the same content.
            let ranged = try Self.page(try await Self.share(server, "attachments/\(file)", #"{"maxDownloads":2}"#)) + "/files/\(file)"
            let first = try await server.send(.GET, ranged, headers: [("Range", "bytes=0-99999")])
            #expect(first.status == 206 && first.bytes == Array(bytes[0..<100_000]))
            let ticket = try #require(Self.cookie(first, "attache_download"))
            for _ in 0..<3 {
                let rest = try await server.send(.GET, ranged, headers: [("Range", "bytes=100000-"), ("Cookie", "attache_download=\(ticket.value)")])
                #expect(rest.status == 206 && first.bytes + rest.bytes == bytes, "continuations are not counted")
            }
            let whole = try await server.send(.GET, ranged, headers: [("Cookie", "attache_download=\(ticket.value)")])
            #expect(whole.status == 200, "a whole download is counted, cookie or not: the second of two")
            #expect(try await server.send(.GET, ranged, headers: [("Range", "bytes=5-9")]).status == 410, "a range without the cookie counts")
            #expect(try await server.send(.GET, ranged, headers: [("Range", "bytes=5-9"), ("Cookie", "attache_download=\(ticket.value)")]).status == 206)
            #expect(try await server.send(.GET, ranged, headers: [("Range", "bytes=5-9"), ("Cookie", "attache_download=1.x")]).status == 410)
        }
    }

    /// Revocation and a new expiry take effect at the next request.
    @Test func revocationAndExpiryTakeEffectAtTheNextRequest() async throws {
        try await TestServer.with(mode: .router) { server in
            let record = try await server.record(type: "contact")
            let share = try await Self.share(server, "records/\(record.uuid)")
            let page = try Self.page(share)
            let id = try #require(share["id"] as? String)
            #expect(try await server.send(.GET, page, headers: Self.json).status == 200)
            let soon = ISO8601DateFormatter().string(from: Date().addingTimeInterval(5))
            #expect(try await server.sendJSON(.PATCH, "/v1/shares/\(id)", token: server.writeToken, json: #"{"expiresAt":"\#(soon)"}"#).status == 200)
            #expect(try await eventually(within: .seconds(20)) { try await server.send(.GET, page, headers: Self.json).status == 404 })
            #expect(try await server.sendJSON(.PATCH, "/v1/shares/\(id)", token: server.writeToken, json: #"{"expiresAt":null}"#).status == 200)
            #expect(try await server.send(.GET, page, headers: Self.json).status == 200)
            #expect(try await server.send(.DELETE, "/v1/shares/\(id)", token: server.writeToken).status == 204)
            #expect(try await server.send(.GET, page, headers: Self.json).status == 404)
        }
    }

    /// The tenant's policy: shares off (and every link already out stops), a password on each, the
    /// longest life and the default one — on making and on changing a share.
    @Test func theTenantsPolicyBindsEveryShare() async throws {
        try await TestServer.with(mode: .router) { server in
            let record = try await server.record(type: "contact")
            let page = try Self.page(try await Self.share(server, "records/\(record.uuid)"))
            _ = try await server.service.setSharePolicy(tenantSlug: "acme", TenantSharePolicy(allowsShares: false))
            let refused = try await server.sendJSON(.POST, "/v1/records/\(record.uuid)/shares", token: server.writeToken, json: "{}")
            #expect(try refused.status == 403 && refused.jsonObject()["code"] as? String == "forbidden")
            #expect(try await server.send(.GET, page, headers: Self.json).status == 404, "the links already out stop too")
            _ = try await server.service.setSharePolicy(tenantSlug: "acme", .open)
            #expect(try await server.send(.GET, page, headers: Self.json).status == 200)

            _ = try await server.service.setSharePolicy(
                tenantSlug: "acme", TenantSharePolicy(requiresPassword: true, maximumLifetime: 7 * 86_400, defaultLifetime: 86_400)
            )
            let noPassword = try await server.sendJSON(.POST, "/v1/records/\(record.uuid)/shares", token: server.writeToken, json: "{}")
            #expect(try noPassword.status == 400 && (noPassword.jsonObject()["errors"] as? [String: Any])?["password"] != nil)
            let before = Date()
            let made = try await Self.share(server, "records/\(record.uuid)", #"{"password":"pw"}"#)
            let expiry = try #require((made["expiresAt"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) })
            #expect(abs(expiry.timeIntervalSince(before) - 86_400) < 60, "the default life: a day")
            let tooLong = ISO8601DateFormatter().string(from: Date().addingTimeInterval(8 * 86_400))
            let long = try await server.sendJSON(
                .POST, "/v1/records/\(record.uuid)/shares", token: server.writeToken, json: #"{"password":"pw","expiresAt":"\#(tooLong)"}"#
            )
            #expect(try long.status == 400 && (long.jsonObject()["errors"] as? [String: Any])?["expiresAt"] != nil)
            let id = try #require(made["id"] as? String)
            #expect(try await server.sendJSON(.PATCH, "/v1/shares/\(id)", token: server.writeToken, json: #"{"password":null}"#).status == 400)
            #expect(try await server.sendJSON(.PATCH, "/v1/shares/\(id)", token: server.writeToken, json: #"{"expiresAt":null}"#).status == 400)
            #expect(try await server.sendJSON(.PATCH, "/v1/shares/\(id)", token: server.writeToken, json: #"{"expiresAt":"\#(tooLong)"}"#).status == 400)
            #expect(try await server.sendJSON(.PATCH, "/v1/shares/\(id)", token: server.writeToken, json: #"{"label":"fine"}"#).status == 200)
        }
    }
}
