import AttacheTestSupport
import Foundation
import NIOCore
import Testing

/// One test per statement of `highlevel-upload-custom-files.txt`, and the custom-field calls.
@Suite("HighLevel face", .timeLimit(.minutes(3)))
struct HighLevelFaceTests {
    @Test func uploadsFilesIntoCustomFieldsAndAnswersTheContact() async throws {
        try await TestServer.with(mode: .router) { server in
            let contact = try await server.record(type: "contact", title: "Mia Jansen")
            let documents = try await HighLevelClient.fileField(server, name: "Documents")
            let photo = try await HighLevelClient.fileField(server, name: "Photo", multiple: false)
            let response = try await HighLevelClient.upload(server, contact: contact.uuid, parts: [
                ("\(documents)_f-1", "lease.pdf", Samples.pdf(seed: 1)),
                ("\(documents)_f-2", "id.pdf", Samples.pdf(seed: 2)),
                ("\(photo)_p-1", "face.png", Samples.png),
            ])
            #expect(response.status == 200)
            let body = try response.jsonObject()
            let contactJSON = try #require(body.object("contact"))
            #expect(contactJSON["id"] as? String == contact.uuid)
            #expect(contactJSON["locationId"] as? String == "acme")
            let fields = try #require(contactJSON.array("customFields"))
            let documentValue = try #require(fields.first { $0["id"] as? String == documents }?.object("value"))
            #expect(documentValue.sortedKeys == ["f-1", "f-2"])
            let entry = try #require(documentValue.object("f-1"))
            #expect(entry.sortedKeys == ["documentId", "meta", "url"])
            let meta = try #require(entry.object("meta"))
            #expect(meta["fieldname"] as? String == documents)
            #expect(meta["originalname"] as? String == "lease.pdf")
            #expect(meta["encoding"] as? String == "7bit")
            #expect(meta["mimetype"] as? String == "application/pdf")
            #expect(meta["size"] as? Int == Samples.pdf().count)
            #expect(meta["uuid"] as? String == "f-1")
            let url = try #require(entry["url"] as? String)
            #expect(url.hasSuffix("/documents/download/\(entry["documentId"] as? String ?? "")"))
            let download = try await server.send(.GET, url, token: server.readToken)
            #expect(download.bytes == Samples.pdf(seed: 1))
            #expect(try await server.send(.GET, url).status == 401)

            let again = try await HighLevelClient.json(server, .get, "/contacts/\(contact.uuid)", token: server.readToken)
            #expect(again.status == 200)
            #expect(try again.jsonObject().object("contact")?.array("customFields")?.count == 2)
        }
    }

    /// busboy (multer, NestJS) takes a part without a file name as a file when its type is
    /// application/octet-stream: Node's `form-data` appends a Buffer so.
    @Test func anOctetStreamPartWithoutFileNameIsAFile() async throws {
        try await TestServer.with(mode: .router) { server in
            let contact = try await server.record(type: "contact", title: "Mia Jansen")
            let documents = try await HighLevelClient.fileField(server, name: "Documents")
            var form = MultipartForm()
            form.addUnnamedPart("\(documents)_b-1", contentType: "application/octet-stream", bytes: Samples.pdf(seed: 7))
            form.addField("note", "a text field stays a field")
            form.close()
            let response = try await server.sendRaw(
                .POST, "/forms/upload-custom-files?contactId=\(contact.uuid)&locationId=acme",
                headers: [("Authorization", "Bearer \(server.writeToken)"), ("Content-Type", form.contentType), HighLevelClient.version], body: form.body
            )
            #expect(response.status == 200)
            let fields = try #require(try response.jsonObject().object("contact")?.array("customFields"))
            let entry = try #require(fields.first { $0["id"] as? String == documents }?.object("value")?.object("b-1"))
            #expect(entry.object("meta")?["mimetype"] as? String == "application/pdf")
            #expect(entry.object("meta")?["originalname"] as? String == "upload.pdf")
            #expect(try await server.storedBlobs().count == 1)
        }
    }

    @Test func singleFileFieldsKeepTheNewestAndLimitsHold() async throws {
        try await TestServer.with(mode: .router) { server in
            let contact = try await server.record(type: "contact")
            let photo = try await HighLevelClient.fileField(server, name: "Photo", multiple: false)
            _ = try await HighLevelClient.upload(server, contact: contact.uuid, parts: [("\(photo)_a", "one.png", Samples.png)])
            let second = try await HighLevelClient.upload(server, contact: contact.uuid, parts: [("\(photo)_b", "two.pdf", Samples.pdf())])
            let value = try #require(try second.jsonObject().object("contact")?.array("customFields")?.first?.object("value"))
            #expect(value.sortedKeys == ["b"])
            let twoAtOnce = try await HighLevelClient.upload(server, contact: contact.uuid, parts: [("\(photo)_c", "c.png", Samples.png), ("\(photo)_d", "d.pdf", Samples.pdf())])
            #expect(twoAtOnce.status == 422)
            let limited = try await HighLevelClient.fileField(server, name: "Scans", maximum: 1)
            _ = try await HighLevelClient.upload(server, contact: contact.uuid, parts: [("\(limited)_x", "x.pdf", Samples.pdf(seed: 4))])
            let over = try await HighLevelClient.upload(server, contact: contact.uuid, parts: [("\(limited)_y", "y.pdf", Samples.pdf(seed: 5))])
            #expect(over.status == 422)
            let pdfOnly = try await HighLevelClient.fileField(server, name: "Contracts", formats: [".pdf"])
            #expect(try await HighLevelClient.upload(server, contact: contact.uuid, parts: [("\(pdfOnly)_z", "z.png", Samples.png)]).status == 422)
        }
    }

    @Test func violationsAre422AndStoreNothing() async throws {
        try await TestServer.with(maximumFileSize: 100_000) { server in
            let contact = try await server.record(type: "contact")
            let documents = try await HighLevelClient.fileField(server)
            let tooBig = try await HighLevelClient.upload(server, contact: contact.uuid, parts: [
                ("\(documents)_ok", "fine.pdf", Samples.pdf(seed: 1)),
                ("\(documents)_big", "big.pdf", Samples.pdf(size: 100_001, seed: 2)),
            ])
            #expect(tooBig.status == 422)
            let body = try tooBig.jsonObject()
            #expect(body["statusCode"] as? Int == 422)
            #expect(body["error"] as? String == "Unprocessable Entity")
            #expect((body["message"] as? [String])?.count == 1)
            let badType = try await HighLevelClient.upload(server, contact: contact.uuid, parts: [
                ("\(documents)_ok", "fine.pdf", Samples.pdf(seed: 1)),
                ("\(documents)_exe", "setup.exe", Samples.elf),
            ])
            #expect(badType.status == 422)
            let unknownField = try await HighLevelClient.upload(server, contact: contact.uuid, parts: [("NoSuchField_1", "a.pdf", Samples.pdf())])
            #expect(unknownField.status == 422)
            let text = try await HighLevelClient.json(server, .post, "/locations/acme/customFields", body: #"{"name":"Pincode","dataType":"TEXT"}"#)
            let textID = try #require(try text.jsonObject().object("customField")?["id"] as? String)
            #expect(try await HighLevelClient.upload(server, contact: contact.uuid, parts: [("\(textID)_1", "a.pdf", Samples.pdf())]).status == 422)
            #expect(try await HighLevelClient.upload(server, contact: contact.uuid, parts: [("noseparator", "a.pdf", Samples.pdf())]).status == 422)
            // MP3 is allowed by the server, but not among the page's 16 types.
            #expect(try await HighLevelClient.upload(server, contact: contact.uuid, parts: [("\(documents)_mp3", "voice.mp3", Samples.mp3)]).status == 422)
            #expect(try await server.upload("/v1/files", token: server.writeToken, form: .file(fileName: "voice.mp3", bytes: Samples.mp3)).status == 201)
            let contactNow = try await HighLevelClient.json(server, .get, "/contacts/\(contact.uuid)").jsonObject()
            #expect(contactNow.object("contact")?.array("customFields")?.isEmpty == true)
            #expect(try await server.storedBlobs().count == 1)
            #expect(try await server.stagedCount() == 0)
        }
    }

    @Test func versionHeaderAndTokenAreRequired() async throws {
        try await TestServer.with(mode: .router) { server in
            let contact = try await server.record(type: "contact")
            let documents = try await HighLevelClient.fileField(server)
            let noVersion = try await HighLevelClient.upload(server, contact: contact.uuid, parts: [("\(documents)_1", "a.pdf", Samples.pdf())], version: false)
            #expect(noVersion.status == 400)
            #expect(try noVersion.jsonObject()["statusCode"] as? Int == 400)
            #expect(try noVersion.jsonObject()["message"] is String)
            let badToken = try await HighLevelClient.upload(server, contact: contact.uuid, parts: [("\(documents)_1", "a.pdf", Samples.pdf())], token: "att_bad")
            #expect(badToken.status == 401)
            let body = try badToken.jsonObject()
            #expect(body["statusCode"] as? Int == 401)
            #expect(body["message"] as? String == "Invalid token: access token is invalid")
            #expect(body["error"] as? String == "Unauthorized")
            let noContact = try await server.sendRaw(.POST, "/forms/upload-custom-files?locationId=acme", headers: [("Authorization", "Bearer \(server.writeToken)"), HighLevelClient.version, ("Content-Type", "multipart/form-data; boundary=x")], body: ByteBuffer(string: "--x--"))
            #expect(noContact.status == 400)
            #expect(try await HighLevelClient.json(server, .get, "/contacts/\(contact.uuid)", version: false).status == 400)
        }
    }

    @Test func customFieldDefinitions() async throws {
        try await TestServer.with(mode: .router) { server in
            let created = try await HighLevelClient.json(server, .post, "/locations/acme/customFields", body: #"{"name":"Lease Documents","dataType":"FILE_UPLOAD","acceptedFormat":[".pdf",".docx"],"isMultipleFile":true,"maxNumberOfFiles":3,"position":2}"#)
            #expect(created.status == 201)
            let field = try #require(try created.jsonObject().object("customField"))
            let id = try #require(field["id"] as? String)
            #expect(id.count == 20)
            #expect(field["fieldKey"] as? String == "contact.lease_documents")
            #expect(field["dataType"] as? String == "FILE_UPLOAD")
            #expect(field["isMultiFileAllowed"] as? Bool == true)
            #expect(field["maxFileLimit"] as? Int == 3)
            #expect(field["locationId"] as? String == "acme")
            #expect(field["model"] as? String == "contact")
            let list = try await HighLevelClient.json(server, .get, "/locations/acme/customFields").jsonObject()
            #expect(list.array("customFields")?.map { $0["id"] as? String } == [id])
            let one = try await HighLevelClient.json(server, .get, "/locations/acme/customFields/\(id)").jsonObject()
            #expect(one.object("customField")?["name"] as? String == "Lease Documents")
            let updated = try await HighLevelClient.json(server, .put, "/locations/acme/customFields/\(id)", body: #"{"name":"Leases"}"#).jsonObject()
            #expect(updated.object("customField")?["name"] as? String == "Leases")
            #expect(updated.object("customField")?["maxFileLimit"] as? Int == 3)
            let invalid = try await HighLevelClient.json(server, .post, "/locations/acme/customFields", body: #"{"dataType":"TEXT"}"#)
            #expect(invalid.status == 422)
            let deleted = try await HighLevelClient.json(server, .delete, "/locations/acme/customFields/\(id)")
            #expect(deleted.status == 200)
            #expect(try deleted.jsonObject()["succeded"] as? Bool == true)
            #expect(try await HighLevelClient.json(server, .get, "/locations/acme/customFields/\(id)").status == 400)
        }
    }

    @Test func otherLocationsAndContactsAreRefused() async throws {
        try await TestServer.with(mode: .router) { server in
            let contact = try await server.record(type: "contact")
            let documents = try await HighLevelClient.fileField(server)
            let otherLocation = try await HighLevelClient.upload(server, contact: contact.uuid, location: "globex", parts: [("\(documents)_1", "a.pdf", Samples.pdf())])
            #expect(otherLocation.status == 403)
            #expect(try await HighLevelClient.json(server, .get, "/locations/globex/customFields").status == 403)
            let intruder = server.otherToken
            let foreign = try await HighLevelClient.upload(server, contact: contact.uuid, location: "globex", parts: [("\(documents)_1", "a.pdf", Samples.pdf())], token: intruder)
            #expect(foreign.status == 400)
            #expect(try await HighLevelClient.json(server, .get, "/contacts/\(contact.uuid)", token: intruder).status == 400)
            #expect(try await HighLevelClient.json(server, .get, "/locations/globex/customFields/\(documents)", token: intruder).status == 400)
            let person = try await server.record(type: "person")
            #expect(try await HighLevelClient.json(server, .get, "/contacts/\(person.uuid)").status == 400)
            #expect(try await HighLevelClient.upload(server, contact: contact.uuid, parts: [("\(documents)_1", "a.pdf", Samples.pdf())], token: server.readToken).status == 403)
        }
    }
}
