import AttacheTestSupport
import AttacheCore
import Foundation
import NIOCore
import Testing

@Suite("Native API: uploads", .timeLimit(.minutes(3)))
struct NativeUploadTests {
    @Test func uploadListDownloadAndDeleteAnAttachment() async throws {
        try await TestServer.with { server in
            let record = try #require(try await server.createRecord()["uuid"] as? String)
            let pdf = Samples.pdf()
            let form = MultipartForm.file(fileName: "huurcontract 2026.pdf", bytes: pdf, fields: [("description", "Lease")])
            let uploaded = try await server.upload("/v1/records/\(record)/attachments", token: server.writeToken, form: form)
            #expect(uploaded.status == 201)
            let attachment = try uploaded.jsonObject()
            #expect(attachment["name"] as? String == "huurcontract 2026.pdf")
            #expect(attachment["description"] as? String == "Lease")
            #expect(attachment["mimeType"] as? String == "application/pdf")
            #expect(attachment["kind"] as? String == "Document")
            #expect(attachment["size"] as? Int == pdf.count)
            #expect(attachment["recordUuid"] as? String == record)
            let uuid = try #require(attachment["uuid"] as? String)

            let list = try await server.send(.GET, "/v1/records/\(record)/attachments", token: server.readToken).jsonObject()
            #expect((list["items"] as? [[String: Any]])?.map { $0["uuid"] as? String } == [uuid])

            let download = try await server.send(.GET, "/v1/attachments/\(uuid)/download", token: server.readToken)
            #expect(download.status == 200)
            #expect(download.bytes == pdf)
            #expect(download.header("Content-Disposition") == "attachment; filename=\"huurcontract 2026.pdf\"; filename*=UTF-8''huurcontract%202026.pdf")
            #expect(download.header("ETag") == "\"\(attachment["sha256"] as? String ?? "")\"")
            #expect(download.header("X-Content-Type-Options") == "nosniff")
            #expect(download.header("Content-Security-Policy") == "default-src 'none'; sandbox")
            #expect(download.header("Accept-Ranges") == "bytes")
            #expect(download.header("Last-Modified") != nil)

            let stream = try await server.send(.GET, "/v1/attachments/\(uuid)/stream", token: server.readToken)
            #expect(stream.header("Content-Type") == "application/pdf")
            #expect(stream.header("Content-Disposition")?.hasPrefix("inline;") == true)

            #expect(try await server.send(.DELETE, "/v1/attachments/\(uuid)", token: server.writeToken).status == 204)
            #expect(try await server.send(.GET, "/v1/attachments/\(uuid)", token: server.readToken).status == 404)
            #expect(try await server.storedBlobs().count == 1, "deleted content stays for downloads in flight until gc")
            _ = try await server.service.collectGarbage(grace: 60)
            #expect(try await server.storedBlobs().count == 1, "the grace period has not passed")
            _ = try await server.service.collectGarbage(grace: 0)
            #expect(try await server.storedBlobs().isEmpty)
            #expect(try await server.send(.GET, "/v1/files/\(attachment["fileId"] as? Int ?? 0)", token: server.readToken).status == 404)
        }
    }

    @Test func identicalContentIsStoredOnceAndRemovedWithItsLastFile() async throws {
        try await TestServer.with { server in
            let first = try #require(try await server.createRecord()["uuid"] as? String)
            let second = try #require(try await server.createRecord(type: "property")["uuid"] as? String)
            let pdf = Samples.pdf(seed: 9)
            let a = try await server.upload("/v1/records/\(first)/attachments", token: server.writeToken, form: .file(fileName: "a.pdf", bytes: pdf)).jsonObject()
            let b = try await server.upload("/v1/records/\(second)/attachments", token: server.writeToken, form: .file(fileName: "b.pdf", bytes: pdf)).jsonObject()
            #expect(a["name"] as? String == "a.pdf")
            #expect(b["name"] as? String == "b.pdf")
            #expect(a["fileId"] as? Int != b["fileId"] as? Int)
            #expect(try await server.storedBlobs().count == 1)
            #expect(try await server.send(.DELETE, "/v1/attachments/\(a["uuid"] as? String ?? "")", token: server.writeToken).status == 204)
            #expect(try await server.storedBlobs().count == 1)
            let stillThere = try await server.send(.GET, "/v1/attachments/\(b["uuid"] as? String ?? "")/download", token: server.readToken)
            #expect(stillThere.bytes == pdf)
            _ = try await server.service.collectGarbage(grace: 0)
            #expect(try await server.storedBlobs().count == 1, "content a file still references is kept")
            #expect(try await server.send(.DELETE, "/v1/attachments/\(b["uuid"] as? String ?? "")", token: server.writeToken).status == 204)
            _ = try await server.service.collectGarbage(grace: 0)
            #expect(try await server.storedBlobs().isEmpty)
        }
    }

    @Test func severalFilesInOneRequestAndLinkingExistingFiles() async throws {
        try await TestServer.with { server in
            let record = try #require(try await server.createRecord()["uuid"] as? String)
            var form = MultipartForm()
            form.addFile("file", fileName: "one.pdf", bytes: Samples.pdf(seed: 1))
            form.addFile("file", fileName: "two.png", bytes: Samples.png)
            form.close()
            let response = try await server.upload("/v1/records/\(record)/attachments", token: server.writeToken, form: form)
            #expect(response.status == 201)
            let items = try #require(try response.jsonObject()["items"] as? [[String: Any]])
            #expect(items.map { $0["name"] as? String } == ["one.pdf", "two.png"])
            #expect(items.map { $0["kind"] as? String } == ["Document", "Image"])

            let unlinked = try await server.upload("/v1/files", token: server.writeToken, form: .file(fileName: "notes.txt", bytes: Samples.text))
            #expect(unlinked.status == 201)
            let fileID = try #require(try unlinked.jsonObject()["id"] as? Int)
            let other = try #require(try await server.createRecord(type: "case")["uuid"] as? String)
            let linked = try await server.sendJSON(.POST, "/v1/records/\(other)/attachments", token: server.writeToken, json: "{\"fileIds\":[\(fileID)],\"description\":\"Notes\"}")
            #expect(linked.status == 201)
            #expect(try linked.jsonObject()["fileId"] as? Int == fileID)
            #expect(try linked.jsonObject()["description"] as? String == "Notes")
            let missing = try await server.sendJSON(.POST, "/v1/records/\(other)/attachments", token: server.writeToken, json: #"{"fileIds":[987654]}"#)
            #expect(missing.status == 404)
        }
    }

    @Test func fileNamesAreSanitised() async throws {
        try await TestServer.with { server in
            let record = try #require(try await server.createRecord()["uuid"] as? String)
            let form = MultipartForm.file(fileName: "../../etc/Offerte\u{7}  Zoë.pdf", bytes: Samples.pdf())
            let attachment = try await server.upload("/v1/records/\(record)/attachments", token: server.writeToken, form: form).jsonObject()
            #expect(attachment["name"] as? String == "Offerte  Zoë.pdf")
            let download = try await server.send(.GET, "/v1/attachments/\(attachment["uuid"] as? String ?? "")/download", token: server.readToken)
            #expect(download.header("Content-Disposition") == "attachment; filename=\"Offerte  Zo_.pdf\"; filename*=UTF-8''Offerte%20%20Zo%C3%AB.pdf")
        }
    }

    @Test func patchDescriptionAndName() async throws {
        try await TestServer.with { server in
            let record = try #require(try await server.createRecord()["uuid"] as? String)
            let attachment = try await server.upload("/v1/records/\(record)/attachments", token: server.writeToken, form: .file(fileName: "a.pdf", bytes: Samples.pdf())).jsonObject()
            let uuid = try #require(attachment["uuid"] as? String)
            #expect(attachment["description"] is NSNull)
            let patched = try await server.sendJSON(.PATCH, "/v1/attachments/\(uuid)", token: server.writeToken, json: #"{"description":"Signed","name":"lease.pdf"}"#).jsonObject()
            #expect(patched["description"] as? String == "Signed")
            #expect(patched["name"] as? String == "lease.pdf")
            let cleared = try await server.sendJSON(.PATCH, "/v1/attachments/\(uuid)", token: server.writeToken, json: #"{"description":null}"#).jsonObject()
            #expect(cleared["description"] is NSNull)
            #expect(cleared["name"] as? String == "lease.pdf")
        }
    }

    @Test func rawBodyUploadWithContentDigest() async throws {
        try await TestServer.with { server in
            let pdf = Samples.pdf(seed: 3)
            let digest = Data(SHA256Helper.digest(pdf)).base64EncodedString()
            let good = try await server.send(
                .POST, "/v1/files", token: server.writeToken,
                headers: [("Content-Type", "application/pdf"), ("Content-Disposition", "attachment; filename=\"scan.pdf\""), ("Content-Digest", "sha-256=:\(digest):")],
                body: ByteBuffer(bytes: pdf)
            )
            #expect(good.status == 201)
            #expect(try good.jsonObject()["name"] as? String == "scan.pdf")
            let wrong = Data(SHA256Helper.digest(Array("other".utf8))).base64EncodedString()
            let bad = try await server.send(
                .POST, "/v1/files?filename=scan2.pdf", token: server.writeToken,
                headers: [("Content-Type", "application/pdf"), ("Content-Digest", "sha-256=:\(wrong):")],
                body: ByteBuffer(bytes: Samples.pdf(seed: 4))
            )
            #expect(bad.status == 400)
            #expect(try bad.jsonObject()["code"] as? String == "digest_mismatch")
            #expect(try await server.storedBlobs().count == 1)
            #expect(try await server.stagedCount() == 0)
        }
    }

    @Test func sha256FormFieldIsChecked() async throws {
        try await TestServer.with { server in
            let record = try #require(try await server.createRecord()["uuid"] as? String)
            let pdf = Samples.pdf(seed: 5)
            let hex = SHA256Helper.digest(pdf).map { String(format: "%02x", $0) }.joined()
            let good = try await server.upload("/v1/records/\(record)/attachments", token: server.writeToken, form: .file(fileName: "a.pdf", bytes: pdf, fields: [("sha256", hex)]))
            #expect(good.status == 201)
            let bad = try await server.upload("/v1/records/\(record)/attachments", token: server.writeToken, form: .file(fileName: "b.pdf", bytes: Samples.pdf(seed: 6), fields: [("sha256", hex)]))
            #expect(bad.status == 400)
            let list = try await server.send(.GET, "/v1/records/\(record)/attachments", token: server.readToken).jsonObject()
            #expect((list["items"] as? [Any])?.count == 1)
        }
    }
}

@Suite("Listing a tenant's files", .timeLimit(.minutes(3)))
struct FileListTests {
    @Test func filesAreListedLinkedOrNotAndUnlinkedOnesAlone() async throws {
        try await TestServer.with { server in
            let record = try #require(try await server.createRecord()["uuid"] as? String)
            let loose = try await server.upload("/v1/files", token: server.writeToken, form: .file(fileName: "loose.pdf", bytes: Samples.pdf(seed: 1)))
            let attached = try await server.upload("/v1/records/\(record)/attachments", token: server.writeToken, form: .file(fileName: "linked.pdf", bytes: Samples.pdf(seed: 2)))
            let later = try await server.upload("/v1/files", token: server.writeToken, form: .file(fileName: "later.pdf", bytes: Samples.pdf(seed: 3)))
            #expect([loose.status, attached.status, later.status].map { Int($0) } == [201, 201, 201])
            _ = try await server.upload("/v1/files", token: server.otherToken, form: .file(fileName: "globex.pdf", bytes: Samples.pdf(seed: 4)))

            let all = try await server.send(.GET, "/v1/files", token: server.readToken).jsonObject()
            #expect((all["items"] as? [[String: Any]])?.map { $0["name"] as? String } == ["loose.pdf", "linked.pdf", "later.pdf"])
            #expect(all["nextCursor"] is NSNull)
            let unlinked = try await server.send(.GET, "/v1/files?unlinked=true", token: server.readToken).jsonObject()
            #expect((unlinked["items"] as? [[String: Any]])?.map { $0["name"] as? String } == ["loose.pdf", "later.pdf"])
            let newest = try await server.send(.GET, "/v1/files?unlinked=true&order=newest&limit=1", token: server.readToken).jsonObject()
            #expect((newest["items"] as? [[String: Any]])?.map { $0["name"] as? String } == ["later.pdf"])
            let cursor = try #require(newest["nextCursor"] as? String)
            let next = try await server.send(.GET, "/v1/files?unlinked=true&order=newest&limit=1&cursor=\(cursor)", token: server.readToken).jsonObject()
            #expect((next["items"] as? [[String: Any]])?.map { $0["name"] as? String } == ["loose.pdf"])
            #expect(next["nextCursor"] is NSNull)

            let bad = try await server.send(.GET, "/v1/files?unlinked=yes", token: server.readToken)
            #expect(bad.status == 400)
            #expect(try bad.jsonObject()["detail"] as? String == "unlinked must be true or false, not 'yes'.")
            #expect(try await server.send(.GET, "/v1/files").status == 401)
        }
    }
}

@Suite("Moving attachments and the caller's view", .timeLimit(.minutes(3)))
struct AttachmentMoveTests {
    @Test func anAttachmentMovesToAnotherRecordOnce() async throws {
        try await TestServer.with { server in
            let from = try #require(try await server.createRecord()["uuid"] as? String)
            let to = try #require(try await server.createRecord(type: "property")["uuid"] as? String)
            let uploaded = try await server.upload("/v1/records/\(from)/attachments", token: server.writeToken, form: .file(fileName: "lease.pdf", bytes: Samples.pdf()))
            let attachment = try #require(try uploaded.jsonObject()["uuid"] as? String)
            let moved = try await server.sendJSON(.PATCH, "/v1/attachments/\(attachment)", token: server.writeToken, json: #"{"record":"\#(to)"}"#)
            #expect(moved.status == 200)
            #expect(try moved.jsonObject()["recordUuid"] as? String == to)
            let left = try await server.send(.GET, "/v1/records/\(from)/attachments", token: server.readToken).jsonObject()
            #expect((left["items"] as? [Any])?.isEmpty == true)
            let arrived = try await server.send(.GET, "/v1/records/\(to)/attachments", token: server.readToken).jsonObject()
            #expect((arrived["items"] as? [[String: Any]])?.map { $0["uuid"] as? String } == [attachment])
            let audit = try await server.send(.GET, "/v1/audit?action=attachment.update", token: server.adminToken).jsonObject()
            #expect((audit["items"] as? [[String: Any]])?.last?["detail"] as? String == "moved from record \(from)")

            // The same file on the target already: 409. Another tenant's record, or no record: 404.
            let fileID = try #require(try moved.jsonObject()["fileId"] as? Int)
            _ = try await server.sendJSON(.POST, "/v1/records/\(from)/attachments", token: server.writeToken, json: #"{"fileIds":[\#(fileID)]}"#)
            let other = try #require(try await server.send(.GET, "/v1/records/\(from)/attachments", token: server.readToken).jsonObject()["items"] as? [[String: Any]])
            let second = try #require(other.first?["uuid"] as? String)
            let clash = try await server.sendJSON(.PATCH, "/v1/attachments/\(second)", token: server.writeToken, json: #"{"record":"\#(to)"}"#)
            #expect(clash.status == 409)
            #expect(try clash.jsonObject()["detail"] as? String == "The record \(to) has this file attached already.")
            let foreign = try await server.record(type: "person", token: server.otherToken)
            #expect(try await server.sendJSON(.PATCH, "/v1/attachments/\(second)", token: server.writeToken, json: #"{"record":"\#(foreign.uuid)"}"#).status == 404)
            let malformed = try await server.sendJSON(.PATCH, "/v1/attachments/\(second)", token: server.writeToken, json: #"{"record":"nope"}"#)
            #expect(malformed.status == 400)
            #expect(try malformed.jsonObject()["detail"] as? String == "record must be a record's uuid.")
        }
    }

    @Test func theCallerSeesItsTenantScopeAndLimits() async throws {
        try await TestServer.with(resumableLimits: ResumableUploadLimits(maximumSize: 1 << 30)) { server in
            let me = try await server.send(.GET, "/v1/me", token: server.readToken).jsonObject()
            #expect(me.sortedKeys == ["limits", "scope", "tenant"])
            #expect(me["scope"] as? String == "read")
            #expect((me["tenant"] as? [String: Any])?["slug"] as? String == "acme")
            let limits = try #require(me["limits"] as? [String: Any])
            #expect(limits["maxFileSize"] as? Int == Int(UploadPolicy.defaultMaximumFileSize))
            #expect(limits["maxResumableSize"] as? Int == 1 << 30)
            #expect((limits["allowedExtensions"] as? [String])?.contains("jpeg") == true)
            #expect(try await server.send(.GET, "/v1/me", token: server.writeToken).jsonObject()["scope"] as? String == "write")
            #expect(try await server.send(.GET, "/v1/me").status == 401)
        }
    }
}
