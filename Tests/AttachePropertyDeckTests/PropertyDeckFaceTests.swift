import AttacheTestSupport
import Foundation
import NIOCore
import Testing

/// One test per statement of `propertydeck-attachments.txt`.
@Suite("PropertyDeck face", .timeLimit(.minutes(3)))
struct PropertyDeckFaceTests {
    @Test func creatingOnContactsAndPropertiesAnswers201WithTheObject() async throws {
        try await TestServer.with(mode: .router) { server in
            let contact = try await server.record(type: "contact")
            let property = try await server.record(type: "property")
            let onContact = try await PropertyDeckClient.create(server, on: "/contacts/\(contact.uuid)/attachments", description: "Passport")
            #expect(onContact.status == 201)
            let data = try #require(try onContact.jsonObject().object("data"))
            #expect(data.sortedKeys == PropertyDeckClient.objectKeys)
            #expect(data["name"] as? String == "example.pdf")
            #expect(data["description"] as? String == "Passport")
            #expect(data["size"] as? Int == Samples.pdf().count)
            #expect(data["mime_type"] as? String == "application/pdf")
            #expect(data["type"] as? String == "Document")
            let created = try #require(data["created_at"] as? String)
            #expect(created.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$"#, options: .regularExpression) != nil)
            let onProperty = try await PropertyDeckClient.create(server, on: "/properties/\(property.uuid)/attachments", name: "photo.png", bytes: Samples.png)
            #expect(onProperty.status == 201)
            let photo = try #require(try onProperty.jsonObject().object("data"))
            #expect(photo["description"] is NSNull)
            #expect(photo["type"] as? String == "Image")
            // A contact path with a property's uuid is not found.
            #expect(try await PropertyDeckClient.create(server, on: "/contacts/\(property.uuid)/attachments").status == 404)
        }
    }

    @Test func getUpdateAndDelete() async throws {
        try await TestServer.with(mode: .router) { server in
            let contact = try await server.record(type: "contact")
            let created = try await PropertyDeckClient.create(server, on: "/contacts/\(contact.uuid)/attachments").jsonObject()
            let uuid = try #require(created.object("data")?["uuid"] as? String)
            let fetched = try await server.send(.GET, "/attachments/\(uuid)", token: server.readToken)
            #expect(fetched.status == 200)
            #expect(try fetched.jsonObject().object("data")?["uuid"] as? String == uuid)
            let updated = try await server.sendJSON(.PUT, "/attachments/\(uuid)", token: server.writeToken, json: #"{"description":"Signed copy"}"#)
            #expect(updated.status == 200)
            #expect(try updated.jsonObject().object("data")?["description"] as? String == "Signed copy")
            let viaForm = try await server.send(.PUT, "/attachments/\(uuid)", token: server.writeToken, headers: [("Content-Type", "application/x-www-form-urlencoded")], body: ByteBuffer(string: "description=Final"))
            #expect(try viaForm.jsonObject().object("data")?["description"] as? String == "Final")
            let cleared = try await server.sendJSON(.PUT, "/attachments/\(uuid)", token: server.writeToken, json: #"{"description":null}"#)
            #expect(try cleared.jsonObject().object("data")?["description"] is NSNull)
            let invalid = try await server.sendJSON(.PUT, "/attachments/\(uuid)", token: server.writeToken, json: #"{"description":42}"#)
            #expect(invalid.status == 422)
            let deleted = try await server.send(.DELETE, "/attachments/\(uuid)", token: server.writeToken)
            #expect(deleted.status == 204)
            #expect(deleted.body.readableBytes == 0)
            let gone = try await server.send(.GET, "/attachments/\(uuid)", token: server.readToken)
            #expect(gone.status == 404)
            #expect(try gone.jsonObject()["message"] as? String == "Not Found")
        }
    }

    @Test func listIsPaginatedAndFiltered() async throws {
        try await TestServer.with(mode: .router) { server in
            let contact = try await server.record(type: "contact")
            let property = try await server.record(type: "property")
            var uuids: [String] = []
            for index in 0..<12 {
                let target = index < 7 ? "/contacts/\(contact.uuid)/attachments" : "/properties/\(property.uuid)/attachments"
                let created = try await PropertyDeckClient.create(server, on: target, name: "f\(index).pdf", bytes: Samples.pdf(seed: UInt8(index))).jsonObject()
                uuids.append(try #require(created.object("data")?["uuid"] as? String))
            }
            let first = try await server.send(.GET, "/attachments", token: server.readToken).jsonObject()
            #expect(first.array("data")?.count == 10)
            let pagination = try #require(first.object("meta")?.object("pagination"))
            #expect(pagination["total"] as? Int == 12)
            #expect(pagination["count"] as? Int == 10)
            #expect(pagination["per_page"] as? Int == 10)
            #expect(pagination["current_page"] as? Int == 1)
            #expect(pagination["total_pages"] as? Int == 2)
            let second = try await server.send(.GET, "/attachments?page=2", token: server.readToken).jsonObject()
            #expect(second.array("data")?.map { $0["uuid"] as? String } == [uuids[10], uuids[11]])
            let wide = try await server.send(.GET, "/attachments?per_page=500", token: server.readToken).jsonObject()
            #expect(wide.object("meta")?.object("pagination")?["per_page"] as? Int == 100)
            let one = try await server.send(.GET, "/attachments?uuid=\(uuids[3])", token: server.readToken).jsonObject()
            #expect(one.array("data")?.map { $0["uuid"] as? String } == [uuids[3]])
            let two = try await server.send(.GET, "/attachments?uuid%5B%5D=\(uuids[1])&uuid%5B%5D=\(uuids[8])", token: server.readToken).jsonObject()
            #expect(two.array("data")?.map { $0["uuid"] as? String } == [uuids[1], uuids[8]])
            let ofContact = try await server.send(.GET, "/attachments?contact%5Buuid%5D=\(contact.uuid)&per_page=100", token: server.readToken).jsonObject()
            #expect(ofContact.object("meta")?.object("pagination")?["total"] as? Int == 7)
            let ofProperty = try await server.send(.GET, "/attachments?property[uuid]=\(property.uuid)", token: server.readToken).jsonObject()
            #expect(ofProperty.object("meta")?.object("pagination")?["total"] as? Int == 5)
            let crossed = try await server.send(.GET, "/attachments?property[uuid]=\(contact.uuid)", token: server.readToken).jsonObject()
            #expect(crossed.object("meta")?.object("pagination")?["total"] as? Int == 0)
        }
    }

    /// Live: the links are built from the Host the client sent.
    @Test func linksOpenWithoutAToken() async throws {
        try await TestServer.with { server in
            let contact = try await server.record(type: "contact")
            let data = try #require(try await PropertyDeckClient.create(server, on: "/contacts/\(contact.uuid)/attachments").jsonObject().object("data"))
            let download = try #require(data["download_url"] as? String)
            let stream = try #require(data["stream_url"] as? String)
            #expect(download.hasPrefix(server.baseURL + "/attachments/"))
            #expect(try await server.send(.GET, download).bytes == Samples.pdf())
            let streamed = try await server.send(.GET, stream)
            #expect(streamed.header("Content-Disposition")?.hasPrefix("inline;") == true)
            #expect(try await server.send(.GET, download.replacingOccurrences(of: "signature=", with: "signature=0")).status == 403)
        }
    }

    @Test func validationErrorsAre422() async throws {
        try await TestServer.with(mode: .router) { server in
            let contact = try await server.record(type: "contact")
            var form = MultipartForm()
            form.addField("description", "no file")
            form.close()
            let missing = try await server.upload("/contacts/\(contact.uuid)/attachments", token: server.writeToken, form: form)
            #expect(missing.status == 422)
            #expect(try missing.jsonObject()["message"] as? String == "The upload field is required.")
            #expect(try missing.jsonObject().object("errors")?["upload"] as? [String] == ["The upload field is required."])
            let disguised = try await PropertyDeckClient.create(server, on: "/contacts/\(contact.uuid)/attachments", name: "x.pdf", bytes: Samples.elf)
            #expect(disguised.status == 422)
            #expect(try disguised.jsonObject().object("errors")?["upload"] != nil)
        }
    }

    @Test func scopesAndAuthentication() async throws {
        try await TestServer.with(mode: .router) { server in
            let contact = try await server.record(type: "contact")
            let uuid = try #require(try await PropertyDeckClient.create(server, on: "/contacts/\(contact.uuid)/attachments").jsonObject().object("data")?["uuid"] as? String)
            let anonymous = try await server.send(.GET, "/attachments")
            #expect(anonymous.status == 401)
            #expect(try anonymous.jsonObject()["message"] as? String == "Unauthenticated.")
            #expect(try await server.send(.GET, "/attachments/\(uuid)", token: server.readToken).status == 200)
            #expect(try await PropertyDeckClient.create(server, on: "/contacts/\(contact.uuid)/attachments", token: server.readToken).status == 403)
            #expect(try await server.sendJSON(.PUT, "/attachments/\(uuid)", token: server.readToken, json: #"{"description":"x"}"#).status == 403)
            #expect(try await server.send(.DELETE, "/attachments/\(uuid)", token: server.readToken).status == 403)
        }
    }

    @Test func anotherTenantsAttachmentsAreNotFound() async throws {
        try await TestServer.with(mode: .router) { server in
            let contact = try await server.record(type: "contact")
            let uuid = try #require(try await PropertyDeckClient.create(server, on: "/contacts/\(contact.uuid)/attachments").jsonObject().object("data")?["uuid"] as? String)
            let intruder = server.otherToken
            #expect(try await server.send(.GET, "/attachments/\(uuid)", token: intruder).status == 404)
            #expect(try await server.sendJSON(.PUT, "/attachments/\(uuid)", token: intruder, json: #"{"description":"x"}"#).status == 404)
            #expect(try await server.send(.DELETE, "/attachments/\(uuid)", token: intruder).status == 404)
            #expect(try await server.send(.GET, "/attachments/\(uuid)/download", token: intruder).status == 404)
            #expect(try await PropertyDeckClient.create(server, on: "/contacts/\(contact.uuid)/attachments", token: intruder).status == 404)
            let list = try await server.send(.GET, "/attachments?uuid=\(uuid)", token: intruder).jsonObject()
            #expect(list.array("data")?.isEmpty == true)
        }
    }
}
