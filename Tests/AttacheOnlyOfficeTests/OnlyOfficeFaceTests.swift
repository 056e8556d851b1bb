import AttacheTestSupport
import AttacheCore
import Foundation
import NIOCore
import Testing

/// One test per statement of `onlyoffice-crm-attach-files.txt`, and the sibling calls.
@Suite("ONLYOFFICE face", .timeLimit(.minutes(3)))
struct OnlyOfficeFaceTests {
    @Test func signInAnswersTheDocumentedEnvelope() async throws {
        try await TestServer.with(mode: .router) { server in
            let (_, password) = try await server.service.createCredential(tenantSlug: "acme", kind: .onlyoffice, identifier: "piet", scope: .read)
            let response = try await server.sendJSON(.POST, "/api/2.0/authentication", token: nil, json: "{\"userName\":\"piet\",\"password\":\"\(password)\"}")
            #expect(response.status == 201)
            let body = try response.jsonObject()
            #expect(body["count"] as? Int == 1)
            #expect(body["status"] as? Int == 0)
            #expect(body["statusCode"] as? Int == 201)
            #expect(body.object("response")?.sortedKeys == ["expires", "token"])
            let form = try await server.sendRaw(
                .POST, "/api/2.0/authentication.json", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: ByteBuffer(string: "userName=piet&password=\(password)")
            )
            #expect(form.status == 201)
            // ASP.NET binds names whatever their case: pyonlyoffice posts `username`, others `UserName`.
            for body in ["username=piet&password=\(password)", "UserName=piet&Password=\(password)"] {
                let folded = try await server.sendRaw(
                    .POST, "/api/2.0/authentication", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: ByteBuffer(string: body)
                )
                #expect(folded.status == 201, "\(body)")
            }
            let camel = try await server.sendJSON(.POST, "/api/2.0/authentication", token: nil, json: "{\"UserName\":\"piet\",\"PASSWORD\":\"\(password)\"}")
            #expect(camel.status == 201)
            let wrong = try await server.sendJSON(.POST, "/api/2.0/authentication", token: nil, json: #"{"userName":"piet","password":"nope"}"#)
            #expect(wrong.status == 401)
            #expect(try wrong.jsonObject()["status"] as? Int == 1)
        }
    }

    @Test func attachingCreatesTheDocumentedEventOnAContact() async throws {
        try await TestServer.with(mode: .router) { server in
            let token = try await OnlyOfficeClient.signIn(server)
            let contact = try await server.record(type: "contact", title: "Anna de Vries")
            let first = try await OnlyOfficeClient.uploadFile(server, token: token, entity: "contact", id: contact.id, name: "offer.pdf", seed: 1)
            let second = try await OnlyOfficeClient.uploadFile(server, token: token, entity: "contact", id: contact.id, name: "plan.pdf", seed: 2)
            let unattached = try await server.sendRaw(.GET, "/api/2.0/crm/contact/\(contact.id)/files", headers: [("Authorization", token)])
            #expect(try unattached.jsonArray().isEmpty)

            let response = try await OnlyOfficeClient.attach(server, token: token, entity: "contact", id: contact.id, fileIDs: [first, second])
            #expect(response.status == 200)
            let event = try response.jsonObject()
            #expect(event.sortedKeys == ["CanEdit", "Category", "Contact", "Content", "CreateBy", "Created", "Files", "ID"])
            #expect(event.object("CreateBy")?.sortedKeys == ["AvatarSmall", "DisplayName", "Id", "ProfileUrl", "Title"])
            // The author is the user who signed in, not the tenant.
            #expect(event.object("CreateBy")?["DisplayName"] as? String == "jan")
            #expect(event.object("Category")?["ID"] as? Int == -2)
            #expect(event.object("Contact")?["ID"] as? Int == contact.id)
            #expect(event.object("Contact")?["DisplayName"] as? String == "Anna de Vries")
            #expect(event["Entity"] == nil)
            #expect(event["CanEdit"] as? Bool == true)
            let files = try #require(event.array("Files"))
            #expect(files.map { $0["ID"] as? Int } == [first, second])
            #expect(files.map { $0["Name"] as? String } == ["offer.pdf", "plan.pdf"])
            #expect(files.first?.sortedKeys == ["ID", "Location", "Name", "Updated", "UpdatedBy"])
            #expect(files.map { $0.object("UpdatedBy")?["DisplayName"] as? String } == ["jan", "jan"])
            #expect(ISO8601DateFormatter.fractional.date(from: event["Created"] as? String ?? "") != nil)

            let listed = try await server.sendRaw(.GET, "/api/2.0/crm/contact/\(contact.id)/files", headers: [("Authorization", token)])
            #expect(try listed.jsonArray().map { $0["ID"] as? Int } == [first, second])
            let location = try #require(files.first?["Location"] as? String)
            let download = try await server.sendRaw(.GET, location, headers: [("Authorization", token), ("Range", "bytes=0-3")])
            #expect(download.status == 206)
            #expect(download.text == "%PDF")
        }
    }

    @Test(arguments: ["opportunity", "case"])
    func opportunitiesAndCasesGetAnEntity(entity: String) async throws {
        try await TestServer.with(mode: .router) { server in
            let token = try await OnlyOfficeClient.signIn(server)
            let record = try await server.record(type: entity, title: "Deal")
            let file = try await OnlyOfficeClient.uploadFile(server, token: token, entity: entity, id: record.id)
            let event = try await OnlyOfficeClient.attach(server, token: token, entity: entity, id: record.id, fileIDs: [file]).jsonObject()
            #expect(event["Contact"] == nil)
            #expect(event.object("Entity")?["EntityType"] as? String == entity)
            #expect(event.object("Entity")?["EntityId"] as? Int == record.id)
            #expect(event.object("Entity")?["EntityTitle"] as? String == "Deal")
        }
    }

    @Test func unknownEntitiesAre404AndUnknownFilesAre400() async throws {
        try await TestServer.with(mode: .router) { server in
            let token = try await OnlyOfficeClient.signIn(server)
            let contact = try await server.record(type: "contact")
            let person = try await server.record(type: "person")
            let file = try await OnlyOfficeClient.uploadFile(server, token: token, entity: "contact", id: contact.id)
            #expect(try await OnlyOfficeClient.attach(server, token: token, entity: "contact", id: 987_654, fileIDs: [file]).status == 404)
            #expect(try await OnlyOfficeClient.attach(server, token: token, entity: "contact", id: person.id, fileIDs: [file]).status == 404)
            #expect(try await OnlyOfficeClient.attach(server, token: token, entity: "lead", id: contact.id, fileIDs: [file]).status == 404)
            let notNumeric = try await server.sendRaw(.POST, "/api/2.0/crm/contact/abc/files", headers: [("Authorization", token), ("Content-Type", "application/json")], body: ByteBuffer(string: "{\"fileids\":[1]}"))
            #expect(notNumeric.status == 404)
            let unknownFile = try await OnlyOfficeClient.attach(server, token: token, entity: "contact", id: contact.id, fileIDs: [file, 424_242])
            #expect(unknownFile.status == 400)
            #expect(try unknownFile.jsonObject()["status"] as? Int == 1)
            #expect(try await OnlyOfficeClient.attach(server, token: token, entity: "contact", id: contact.id, fileIDs: []).status == 400)
        }
    }

    @Test func deletingAFileRemovesItFromEveryEntity() async throws {
        try await TestServer.with(mode: .router) { server in
            let token = try await OnlyOfficeClient.signIn(server)
            let contact = try await server.record(type: "contact")
            let deal = try await server.record(type: "opportunity")
            let file = try await OnlyOfficeClient.uploadFile(server, token: token, entity: "contact", id: contact.id, name: "shared.pdf")
            _ = try await OnlyOfficeClient.attach(server, token: token, entity: "contact", id: contact.id, fileIDs: [file])
            _ = try await OnlyOfficeClient.attach(server, token: token, entity: "opportunity", id: deal.id, fileIDs: [file])
            let deleted = try await server.sendRaw(.DELETE, "/api/2.0/crm/files/\(file)", headers: [("Authorization", token)])
            #expect(deleted.status == 200)
            #expect(try deleted.jsonObject()["Name"] as? String == "shared.pdf")
            for (entity, id) in [("contact", contact.id), ("opportunity", deal.id)] {
                let list = try await server.sendRaw(.GET, "/api/2.0/crm/\(entity)/\(id)/files", headers: [("Authorization", token)])
                #expect(try list.jsonArray().isEmpty)
            }
            #expect(try await server.sendRaw(.DELETE, "/api/2.0/crm/files/\(file)", headers: [("Authorization", token)]).status == 404)
            _ = try await server.service.collectGarbage(grace: 0)
            #expect(try await server.storedBlobs().isEmpty)
        }
    }

    @Test func tokensWithAndWithoutSchemeAndNone() async throws {
        try await TestServer.with(mode: .router) { server in
            let token = try await OnlyOfficeClient.signIn(server)
            let contact = try await server.record(type: "contact")
            #expect(try await server.sendRaw(.GET, "/api/2.0/crm/contact/\(contact.id)/files", headers: [("Authorization", token)]).status == 200)
            #expect(try await server.sendRaw(.GET, "/api/2.0/crm/contact/\(contact.id)/files", headers: [("Authorization", "Bearer \(token)")]).status == 200)
            let none = try await server.sendRaw(.GET, "/api/2.0/crm/contact/\(contact.id)/files", headers: [])
            #expect(none.status == 401)
            #expect(try none.jsonObject()["statusCode"] as? Int == 401)
            let download = try await server.sendRaw(.GET, "/Products/Files/HttpHandlers/filehandler.ashx?action=download&fileid=1", headers: [])
            #expect(download.status == 401)
        }
    }

    @Test func rawBodyUploadIsNamedByContentDisposition() async throws {
        try await TestServer.with(mode: .router) { server in
            let token = try await OnlyOfficeClient.signIn(server)
            let contact = try await server.record(type: "contact")
            let response = try await server.sendRaw(
                .POST, "/api/2.0/crm/contact/\(contact.id)/files/upload",
                headers: [("Authorization", token), ("Content-Type", "image/png"), ("Content-Disposition", "attachment; filename=\"floor plan.png\"")],
                body: ByteBuffer(bytes: Samples.png)
            )
            #expect(response.status == 200)
            #expect(try response.jsonObject()["Name"] as? String == "floor plan.png")
        }
    }

    @Test func communityServerDialect() async throws {
        try await TestServer.with(onlyOfficeFormat: .communityServer) { server in
            let token = try await OnlyOfficeClient.signIn(server)
            let contact = try await server.record(type: "contact")
            let form = MultipartForm.file("file", fileName: "offer.pdf", bytes: Samples.pdf())
            let uploaded = try await server.sendRaw(.POST, "/api/2.0/crm/contact/\(contact.id)/files/upload", headers: [("Authorization", token), ("Content-Type", form.contentType)], body: form.body)
            #expect(uploaded.status == 201)
            let envelope = try uploaded.jsonObject()
            #expect(envelope["statusCode"] as? Int == 201)
            #expect(envelope["status"] as? Int == 0)
            let file = try #require(envelope.object("response"))
            #expect(file["title"] as? String == "offer.pdf")
            #expect(file["fileExst"] as? String == ".pdf")
            #expect(file["pureContentLength"] as? Int == Samples.pdf().count)
            #expect((file["viewUrl"] as? String)?.contains("filehandler.ashx?action=download&fileid=") == true)
            let fileID = try #require(file["id"] as? Int)

            let attached = try await OnlyOfficeClient.attach(server, token: token, entity: "contact", id: contact.id, fileIDs: [fileID])
            #expect(attached.status == 201)
            let event = try #require(try attached.jsonObject().object("response"))
            #expect(event.object("category")?["id"] as? Int == -2)
            #expect(event.array("files")?.first?["id"] as? Int == fileID)
            #expect(event.object("contact")?["id"] as? Int == contact.id)

            let list = try await server.sendRaw(.GET, "/api/2.0/crm/contact/\(contact.id)/files", headers: [("Authorization", token)]).jsonObject()
            #expect(list["count"] as? Int == 1)
            #expect(list["statusCode"] as? Int == 200)
            let missing = try await OnlyOfficeClient.attach(server, token: token, entity: "contact", id: 99_999, fileIDs: [fileID])
            #expect(missing.status == 404)
            #expect(try missing.jsonObject()["status"] as? Int == 1)
            #expect((try missing.jsonObject().object("error")?["message"] as? String)?.isEmpty == false)
        }
    }

    @Test func anotherTenantsEntitiesAndFilesAreNotFound() async throws {
        try await TestServer.with(mode: .router) { server in
            let token = try await OnlyOfficeClient.signIn(server)
            let contact = try await server.record(type: "contact")
            let file = try await OnlyOfficeClient.uploadFile(server, token: token, entity: "contact", id: contact.id)
            _ = try await OnlyOfficeClient.attach(server, token: token, entity: "contact", id: contact.id, fileIDs: [file])
            let intruder = try await OnlyOfficeClient.signIn(server, user: "eve", tenant: "globex")
            #expect(try await server.sendRaw(.GET, "/api/2.0/crm/contact/\(contact.id)/files", headers: [("Authorization", intruder)]).status == 404)
            // Numbers are the tenant's own: globex's first contact has the same number and none of acme's files.
            let theirs = try await server.record(type: "contact", token: server.otherToken)
            #expect(theirs.id == contact.id)
            let theirList = try await server.sendRaw(.GET, "/api/2.0/crm/contact/\(theirs.id)/files", headers: [("Authorization", intruder)])
            #expect(theirList.status == 200)
            #expect(theirList.text == "[]")
            #expect(try await OnlyOfficeClient.attach(server, token: intruder, entity: "contact", id: theirs.id, fileIDs: [file]).status == 400)
            #expect(try await server.sendRaw(.DELETE, "/api/2.0/crm/files/\(file)", headers: [("Authorization", intruder)]).status == 404)
            #expect(try await server.sendRaw(.GET, "/Products/Files/HttpHandlers/filehandler.ashx?action=download&fileid=\(file)", headers: [("Authorization", intruder)]).status == 404)
        }
    }
}

/// A leaked vendor secret can be cut off: revoking credentials ends their sessions and their sign-ins,
/// rotating gives a new secret and ends the old one's sessions; both are audited.
@Suite("Vendor credentials: revoke and rotate", .timeLimit(.minutes(3)))
struct CredentialRevocationTests {
    static func signIn(_ server: TestServer, _ password: String) async throws -> TestResponse {
        try await server.sendJSON(.POST, "/api/2.0/authentication", token: nil, json: "{\"userName\":\"jan\",\"password\":\"\(password)\"}")
    }

    static func session(of response: TestResponse) throws -> String {
        try #require(try response.jsonObject().object("response")?["token"] as? String)
    }

    @Test func revokingEndsSessionsAndSignIns() async throws {
        try await TestServer.with(mode: .router) { server in
            let (_, password) = try await server.service.createCredential(tenantSlug: "acme", kind: .onlyoffice, identifier: "jan", scope: .write)
            let session = try Self.session(of: try await Self.signIn(server, password))
            let contact = try await server.record(type: "contact")
            let files = "/api/2.0/crm/contact/\(contact.id)/files"
            #expect(try await server.sendRaw(.GET, files, headers: [("Authorization", session)]).status == 200)

            try await server.service.revokeCredential(tenantSlug: "acme", kind: .onlyoffice, identifier: "jan")
            // Within the token cache time (the test server's) every session is refused, and so is a new sign-in.
            var refused = false
            for _ in 0..<100 where !refused {
                refused = try await server.sendRaw(.GET, files, headers: [("Authorization", session)]).status == 401
                if !refused { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(refused, "the session ends")
            #expect(try await Self.signIn(server, password).status == 401)
            let listed = try await server.service.credentials(tenantSlug: "acme")
            #expect(listed.map(\.identifier) == ["jan"] && listed.first?.revokedAt != nil)
            let trail = try await server.send(.GET, "/v1/audit?action=credential.revoke", token: server.adminToken).jsonObject()
            #expect((trail["items"] as? [[String: Any]])?.first?["detail"] as? String == "onlyoffice:jan; 1 session(s) ended")
            await #expect(throws: AttacheError.self) { try await server.service.revokeCredential(tenantSlug: "acme", kind: .onlyoffice, identifier: "jan") }
        }
    }

    @Test func rotatingReplacesTheSecretAndEndsTheOldSessions() async throws {
        try await TestServer.with(mode: .router) { server in
            let (_, old) = try await server.service.createCredential(tenantSlug: "acme", kind: .onlyoffice, identifier: "jan", scope: .write)
            let session = try Self.session(of: try await Self.signIn(server, old))
            let (_, new) = try await server.service.rotateCredential(tenantSlug: "acme", kind: .onlyoffice, identifier: "jan")
            #expect(try await Self.signIn(server, old).status == 401)
            #expect(try await Self.signIn(server, new).status == 201)
            let contact = try await server.record(type: "contact")
            var refused = false
            for _ in 0..<100 where !refused {
                refused = try await server.sendRaw(.GET, "/api/2.0/crm/contact/\(contact.id)/files", headers: [("Authorization", session)]).status == 401
                if !refused { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(refused, "the old secret's session ends")
            let trail = try await server.send(.GET, "/v1/audit?action=credential.rotate", token: server.adminToken).jsonObject()
            #expect((trail["items"] as? [[String: Any]])?.count == 1)
        }
    }
}
