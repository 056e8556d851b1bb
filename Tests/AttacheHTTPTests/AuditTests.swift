import AttacheTestSupport
import AttacheCore
import Foundation
import NIOCore
import Testing

/// The audit trail over HTTP: every face's uploads, downloads (by token and by signed link, with the
/// bytes actually sent), changes, deletes, refusals and sign-ins, read back through `GET /v1/audit`
/// with an admin token.
@Suite("Audit trail", .timeLimit(.minutes(3)))
struct AuditTests {
    /// Every event of the tenant (or those `query` selects), oldest first, read page by page.
    static func events(_ server: TestServer, _ query: String = "", pageSize: Int = 200) async throws -> [[String: Any]] {
        var events: [[String: Any]] = []
        var cursor: String?
        repeat {
            let page = try await server.send(.GET, "/v1/audit?limit=\(pageSize)\(query)" + (cursor.map { "&cursor=\($0)" } ?? ""), token: server.adminToken)
            guard page.status == 200 else { throw TestFailure("GET /v1/audit: \(page.status) \(page.text)") }
            let json = try page.jsonObject()
            events += json.array("items") ?? []
            cursor = json["nextCursor"] as? String
        } while cursor != nil
        return events
    }

    /// Waits until `query` selects `count` events: downloads are written when their transfer ends,
    /// which may be a moment after the client has every byte.
    static func waitForEvents(_ server: TestServer, _ query: String, count: Int) async throws -> [[String: Any]] {
        for _ in 0..<100 {
            let found = try await events(server, query)
            if found.count >= count { return found }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("fewer than \(count) events for \(query)")
    }

    static func actions(_ events: [[String: Any]]) -> [String] {
        events.compactMap { $0["action"] as? String }
    }

    @Test func theNativeTrailRecordsEveryActionWithWhoAndWhere() async throws {
        try await TestServer.with { server in
            let tokens = try await server.service.tokens(tenantSlug: "acme").map(\.id).sorted()
            let (writer, reader) = ("token:\(tokens[0])", "token:\(tokens[1])")
            let contact = try await server.record(type: "contact")
            let upload = try await server.upload("/v1/records/\(contact.uuid)/attachments", token: server.writeToken, form: .file(fileName: "lease.pdf", bytes: Samples.pdf(size: 2000)))
            #expect(upload.status == 201)
            let attachment = try upload.jsonObject()
            let uuid = try #require(attachment["uuid"] as? String)
            let fileID = try #require(attachment["fileId"] as? Int)
            let signedLink = try #require(attachment["downloadUrl"] as? String)

            #expect(try await server.send(.GET, "/v1/attachments/\(uuid)/download", token: server.readToken).bytes.count == 2000)
            #expect(try await server.send(.GET, "/v1/attachments/\(uuid)/download", token: server.readToken, headers: [("Range", "bytes=0-99")]).status == 206)
            #expect(try await server.send(.GET, signedLink).status == 200)
            #expect(try await server.send(.HEAD, "/v1/attachments/\(uuid)/download", token: server.readToken).status == 200)
            _ = try await Self.waitForEvents(server, "&action=file.download", count: 3)
            #expect(try await server.sendJSON(.PATCH, "/v1/attachments/\(uuid)", token: server.writeToken, json: #"{"description":"Signed"}"#).status == 200)
            let refused = try await server.upload("/v1/records/\(contact.uuid)/attachments", token: server.writeToken, form: .file(fileName: "tool.pdf", bytes: Samples.elf))
            #expect(refused.status == 415)
            #expect(try await server.send(.DELETE, "/v1/attachments/\(uuid)", token: server.writeToken).status == 204)
            #expect(try await server.send(.DELETE, "/v1/records/\(contact.uuid)", token: server.writeToken).status == 204)

            let trail = try await Self.events(server, "&record=\(contact.uuid)")
            #expect(Self.actions(trail) == [
                "record.create", "file.upload", "file.download", "file.download", "file.download",
                "attachment.update", "file.refuse", "attachment.delete", "file.delete", "record.delete",
            ], "HEAD sends no bytes and is no download")
            let stored = trail[1]
            #expect(stored["actor"] as? String == writer && stored["size"] as? Int == 2000)
            #expect(stored["file"] as? Int == fileID && stored["attachment"] as? String == uuid && stored["record"] as? String == contact.uuid)
            #expect(stored["clientAddress"] as? String == "127.0.0.1")
            #expect(stored["requestId"] as? String == upload.header("X-Request-Id"), "the event names the request the client saw")
            let downloads = Array(trail[2...4])
            #expect(downloads.map { $0["actor"] as? String } == [reader, reader, "link"])
            #expect(downloads.map { $0["size"] as? Int } == [2000, 100, 2000], "the bytes actually sent")
            #expect(downloads[1]["detail"] as? String == "bytes 0-99/2000")
            #expect(downloads.allSatisfy { $0["attachment"] as? String == uuid && $0["file"] as? Int == fileID })
            // Every event about a file names it, as it was called then: the rename's event the new name.
            #expect(stored["fileName"] as? String == "lease.pdf" && downloads.allSatisfy { $0["fileName"] as? String == "lease.pdf" })
            #expect(trail.filter { $0["file"] is Int }.allSatisfy { $0["fileName"] is String }, "\(trail)")
            #expect(trail.first { $0["action"] as? String == "record.create" }?["fileName"] is NSNull)
            let refusal = try #require(trail.first { $0["action"] as? String == "file.refuse" })
            #expect((refusal["detail"] as? String)?.hasPrefix("unsupported_media_type: ") == true, "\(refusal)")
            #expect(refusal["file"] is NSNull && refusal["actor"] as? String == writer)
            #expect(trail.last?["actor"] as? String == writer && trail[8]["size"] as? Int == 2000)
            #expect(trail.allSatisfy { ($0["time"] as? String)?.hasSuffix("Z") == true })
            let ids = trail.compactMap { $0["id"] as? Int }
            #expect(ids == ids.sorted() && Set(ids).count == ids.count)

            // Filters, order and keyset pages.
            #expect(Self.actions(try await Self.events(server, "&file=\(fileID)")) == [
                "file.upload", "file.download", "file.download", "file.download", "attachment.update", "attachment.delete", "file.delete",
            ])
            #expect(try await Self.events(server, "&action=file.download").count == 3)
            #expect(try await Self.events(server, "&since=2999-01-01T00:00:00Z").isEmpty)
            #expect(try await Self.events(server, "&since=2000-01-01").count >= trail.count)
            let all = try await Self.events(server)
            #expect(Self.actions(all).prefix(3) == ["token.create", "token.create", "token.create"], "the test server's tokens")
            #expect(try await Self.events(server, pageSize: 3).map { $0["id"] as? Int } == all.map { $0["id"] as? Int })
            let newest = try await Self.events(server, "&order=newest", pageSize: 4)
            #expect(newest.map { $0["id"] as? Int } == all.reversed().map { $0["id"] as? Int })

            // Admin tokens only; malformed filters are 400s.
            for token in [server.writeToken, server.readToken] {
                let forbidden = try await server.send(.GET, "/v1/audit", token: token)
                #expect(try forbidden.status == 403 && forbidden.jsonObject()["code"] as? String == "forbidden")
            }
            #expect(try await server.send(.GET, "/v1/audit").status == 401)
            for query in ["action=file.open", "record=12", "file=x", "since=yesterday", "limit=0", "cursor=zz"] {
                let bad = try await server.send(.GET, "/v1/audit?\(query)", token: server.adminToken)
                #expect(bad.status == 400, "\(query)")
            }

            // Another tenant's admin sees none of it.
            let (_, globexAdmin) = try await server.service.createToken(tenantSlug: "globex", scope: .admin, label: nil)
            let globex = try await server.send(.GET, "/v1/audit?limit=200", token: globexAdmin).jsonObject().array("items") ?? []
            #expect(!globex.isEmpty && globex.allSatisfy { $0["record"] is NSNull && $0["action"] as? String == "token.create" })
        }
    }

    @Test func everyVendorFaceIsAudited() async throws {
        try await TestServer.with { server in
            // Bloxs: sign-ins (good and bad), an upload.
            let (credential, secret) = try await server.service.createCredential(tenantSlug: "acme", kind: .bloxs, identifier: nil, scope: .write)
            let wrong = try await server.sendJSON(.POST, "/Authorization", token: nil, json: "{\"apiKey\":\"\(credential.identifier)\",\"apiSecret\":\"nope\"}")
            #expect(wrong.status == 400)
            #expect(try await server.sendJSON(.POST, "/Authorization", token: nil, json: #"{"apiKey":"bk_unknown","apiSecret":"nope"}"#).status == 400)
            let good = try await server.sendJSON(.POST, "/Authorization", token: nil, json: "{\"apiKey\":\"\(credential.identifier)\",\"apiSecret\":\"\(secret)\"}")
            let bloxs = try #require(try good.jsonObject()["token"] as? String)
            let person = try await server.record(type: "person", externalIdentifier: "P-7")
            let uploaded = try await BloxsClient.upload(server, token: bloxs, query: "externalIdentifier=P-7", form: .file("File", fileName: "id.pdf", bytes: Samples.pdf()))
            let bloxsFile = try #require(try uploaded.jsonValue() as? Int)

            // ONLYOFFICE: a download through its file handler.
            let onlyoffice = try await OnlyOfficeClient.signIn(server)
            let download = try await server.sendRaw(.GET, "/Products/Files/HttpHandlers/filehandler.ashx?action=download&fileid=\(bloxsFile)", headers: [("Authorization", onlyoffice)])
            #expect(download.bytes == Samples.pdf())

            // PropertyDeck: an upload and a download by its signed link.
            let contact = try await server.record(type: "contact")
            let created = try await PropertyDeckClient.create(server, on: "/contacts/\(contact.uuid)/attachments", name: "viewing.pdf").jsonObject()
            let link = try #require(created.object("data")?["download_url"] as? String)
            #expect(try await server.send(.GET, link).bytes == Samples.pdf())

            // HighLevel: an upload into a file field and its download.
            let field = try await HighLevelClient.fileField(server)
            #expect(try await HighLevelClient.upload(server, contact: contact.uuid, parts: [("\(field)_k", "scan.png", Samples.png)]).status == 200)
            let documents = try await server.send(.GET, "/v1/records/\(contact.uuid)/attachments", token: server.readToken).jsonObject().array("items") ?? []
            let scan = try #require(documents.first { $0["name"] as? String == "scan.png" }?["uuid"] as? String)
            let highLevel = try await HighLevelClient.json(server, .get, "/documents/download/\(scan)", token: server.readToken)
            #expect(highLevel.bytes == Samples.png)

            _ = try await Self.waitForEvents(server, "&action=file.download", count: 3)
            let all = try await Self.events(server)
            let bloxsActor = "bloxs:\(credential.identifier)"
            let signIns = all.filter { ($0["actor"] as? String) == bloxsActor }
            #expect(Self.actions(signIns) == ["sign_in.fail", "sign_in"], "an unknown key belongs to no tenant's trail")
            #expect(signIns.allSatisfy { $0["clientAddress"] as? String == "127.0.0.1" })
            #expect((signIns[1]["detail"] as? String)?.hasPrefix("token ") == true)
            let onlyofficeSignIn = all.first { $0["actor"] as? String == "onlyoffice:jan" }
            #expect(onlyofficeSignIn?["action"] as? String == "sign_in")

            let uploads = all.filter { $0["action"] as? String == "file.upload" }
            #expect(uploads.map { $0["record"] as? String } == [person.uuid, contact.uuid, contact.uuid])
            #expect(Set(uploads.compactMap { $0["actor"] as? String }).count == 2, "the Bloxs sign-in's token, then the write token")
            let downloads = all.filter { $0["action"] as? String == "file.download" }
            #expect(downloads.map { $0["actor"] as? String }.contains("link"))
            #expect(downloads.allSatisfy { ($0["size"] as? Int ?? 0) > 0 && $0["detail"] is NSNull })
            #expect(downloads.compactMap { $0["file"] as? Int }.contains(bloxsFile))

            // HighLevel's file field definitions are changes too.
            #expect(try await HighLevelClient.json(server, .delete, "/locations/acme/customFields/\(field)", token: server.writeToken).status == 200)
            let fieldEvents = try await Self.events(server).filter { ($0["action"] as? String)?.hasPrefix("custom_field.") == true }
            #expect(Self.actions(fieldEvents) == ["custom_field.create", "custom_field.delete"])
            #expect(fieldEvents.allSatisfy { ($0["detail"] as? String)?.hasPrefix("field \(field) 'Documents'") == true }, "\(fieldEvents)")
        }
    }

    /// A client that leaves mid-download is audited with the bytes that went out, not the file's size.
    @Test func aDownloadCutShortIsAuditedWithTheBytesSent() async throws {
        try await TestServer.with { server in
            let size = 48 * 1024 * 1024
            var content = ByteBuffer()
            content.writeRepeatingByte(0x42, count: size)
            let stored = try await server.send(
                .POST, "/v1/files", token: server.writeToken,
                headers: [("Content-Type", "text/plain"), ("Content-Disposition", "attachment; filename=\"big.txt\"")], body: content
            )
            let fileID = try #require(try stored.jsonObject()["id"] as? Int, "\(stored.status) \(stored.text)")
            let connection = try RawConnection(port: server.port)
            try await connection.send("GET /v1/files/\(fileID)/download HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer \(server.readToken)\r\n\r\n")
            let head = try await connection.receive()
            #expect(head.hasPrefix("HTTP/1.1 200"))
            connection.close()
            let event = try #require(try await Self.waitForEvents(server, "&action=file.download", count: 1).first)
            let sent = try #require(event["size"] as? Int)
            #expect(sent < size, "\(sent) of \(size)")
            #expect((event["detail"] as? String)?.contains("cut short: \(sent) of \(size) bytes") == true, "\(event)")
        }
    }

    /// A change that does not commit leaves no event; the refusal is audited instead.
    @Test func aRefusedCommitWritesNoEventOfTheChange() async throws {
        try await TestServer.with { server in
            _ = try await server.service.setQuota(tenantSlug: "acme", TenantQuota(maximumFiles: 1))
            let contact = try await server.record(type: "contact")
            var form = MultipartForm()
            form.addFile("file", fileName: "a.pdf", bytes: Samples.pdf(seed: 1))
            form.addFile("file", fileName: "b.pdf", bytes: Samples.pdf(seed: 2))
            form.close()
            let refused = try await server.upload("/v1/records/\(contact.uuid)/attachments", token: server.writeToken, form: form)
            #expect(refused.status == 403)
            let trail = try await Self.events(server, "&record=\(contact.uuid)")
            #expect(Self.actions(trail) == ["record.create", "file.refuse"])
            #expect((trail[1]["detail"] as? String)?.hasPrefix("quota_exceeded: ") == true)
        }
    }

    /// `gc` deletes events older than the retention, and only those.
    @Test func gcTrimsEventsPastTheRetention() async throws {
        try await TestServer.with { server in
            _ = try await server.record(type: "contact")
            let before = try await Self.events(server).count
            let collector = AttacheService(
                metadata: server.service.metadata, blobs: server.service.blobs, policy: server.service.policy,
                logger: .init(label: "test"), auditRetention: 3600
            )
            #expect(try await collector.collectGarbage(grace: 3600).removedAuditEvents == 0, "nothing is an hour old yet")
            #expect(try await Self.events(server).count == before)
            let later = try await collector.collectGarbage(grace: 3600, now: Date().addingTimeInterval(7200))
            #expect(later.removedAuditEvents == before + 1, "and the other tenant's token.create")
            #expect(try await Self.events(server).isEmpty)
        }
    }
}
