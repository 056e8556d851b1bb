import AttacheTestSupport
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// One core behind every face: what one face stores, the others see; no face crosses tenants.
@Suite("Across faces", .timeLimit(.minutes(3)))
struct CrossFaceTests {
    @Test func aBloxsUploadAttachedThroughOnlyOfficeIsSeenEverywhere() async throws {
        try await TestServer.with(mode: .router) { server in
            let bloxs = try await BloxsClient.signIn(server)
            let onlyoffice = try await OnlyOfficeClient.signIn(server)
            let person = try await server.record(type: "person", externalIdentifier: "P-1")
            let contact = try await server.record(type: "contact", title: "Same person as contact")
            let uploaded = try await BloxsClient.upload(server, token: bloxs, query: "externalIdentifier=P-1", form: .file("File", fileName: "id-card.pdf", bytes: Samples.pdf()))
            let fileID = try #require(try uploaded.jsonValue() as? Int)
            let event = try await OnlyOfficeClient.attach(server, token: onlyoffice, entity: "contact", id: contact.id, fileIDs: [fileID])
            #expect(event.status == 200)
            #expect(try event.jsonObject().array("Files")?.first?["Name"] as? String == "id-card.pdf")
            let propertyDeck = try await server.send(.GET, "/attachments?contact[uuid]=\(contact.uuid)", token: server.readToken).jsonObject()
            #expect(propertyDeck.array("data")?.first?["name"] as? String == "id-card.pdf")
            let native = try await server.send(.GET, "/v1/records/\(person.uuid)/attachments", token: server.readToken).jsonObject()
            #expect(native.array("items")?.first?["fileId"] as? Int == fileID)
        }
    }

    @Test func aPropertyDeckContactUploadIsSeenByHighLevelAndTheNativeAPI() async throws {
        try await TestServer.with(mode: .router) { server in
            let contact = try await server.record(type: "contact")
            let created = try await PropertyDeckClient.create(server, on: "/contacts/\(contact.uuid)/attachments", name: "viewing.pdf").jsonObject()
            let uuid = try #require(created.object("data")?["uuid"] as? String)
            let highLevel = try await HighLevelClient.json(server, .get, "/contacts/\(contact.uuid)", token: server.readToken).jsonObject()
            let attachments = try #require(highLevel.object("contact")?["attachments"] as? String)
            #expect(attachments.hasSuffix("/documents/download/\(uuid)"))
            let document = try await server.send(.GET, attachments, token: server.readToken)
            #expect(document.bytes == Samples.pdf())
            let native = try await server.send(.GET, "/v1/records/\(contact.uuid)/attachments", token: server.readToken).jsonObject()
            #expect(native.array("items")?.map { $0["uuid"] as? String } == [uuid])
            let field = try await HighLevelClient.fileField(server)
            _ = try await HighLevelClient.upload(server, contact: contact.uuid, parts: [("\(field)_k", "scan.png", Samples.png)])
            let pdList = try await server.send(.GET, "/attachments?contact[uuid]=\(contact.uuid)", token: server.readToken).jsonObject()
            #expect(pdList.array("data")?.map { $0["name"] as? String } == ["viewing.pdf", "scan.png"])
        }
    }

    @Test func facesMoveUnderConfiguredPrefixes() async throws {
        try await TestServer.with(prefixes: [.bloxs: "/bloxs", .propertydeck: "pd/", .onlyoffice: "/oo", .highlevel: "/hl", .native: "/api"]) { server in
            let contact = try await server.record(type: "contact", token: nil, prefix: "/api")
            let created = try await PropertyDeckClient.create(server, on: "/pd/contacts/\(contact.uuid)/attachments")
            #expect(created.status == 201)
            let link = try #require(try created.jsonObject().object("data")?["download_url"] as? String)
            #expect(link.hasPrefix(server.baseURL + "/pd/attachments/"))
            #expect(try await server.send(.GET, link).status == 200)
            #expect(try await server.send(.GET, "/attachments", token: server.readToken).status == 404)
            #expect(try await server.send(.GET, "/api/v1/records", token: server.readToken).status == 200)
            let native = try await server.send(.GET, "/api/v1/records/\(contact.uuid)/attachments", token: server.readToken).jsonObject()
            let item = try #require((native["items"] as? [[String: Any]])?.first)
            for key in ["downloadUrl", "streamUrl"] {
                let nativeLink = try #require(item[key] as? String)
                #expect(nativeLink.hasPrefix(server.baseURL + "/api/v1/attachments/"), "\(key) follows the native mount")
                #expect(try await server.send(.GET, nativeLink).status == 200, "\(key) is signed over the mounted path")
            }
            let page = try await server.send(.GET, "/ui")
            #expect(page.text.contains(#"<meta name="attache-api-base" content="/api/v1">"#), "the web page talks to the mounted API")
            let token = try await OnlyOfficeClient.signInAt(server, path: "/oo/api/2.0/authentication")
            let files = try await server.sendRaw(.GET, "/oo/api/2.0/crm/contact/\(contact.id)/files", headers: [("Authorization", token)])
            #expect(files.status == 200)
            #expect((try files.jsonArray().first?["Location"] as? String)?.hasPrefix(server.baseURL + "/oo/Products/Files/") == true)
            #expect(try await server.sendRaw(.GET, "/hl/contacts/\(contact.uuid)", headers: [("Authorization", "Bearer \(server.readToken)"), HighLevelClient.version]).status == 200)
            #expect(try await server.sendJSON(.POST, "/bloxs/Authorization", token: nil, json: #"{"apiKey":"x","apiSecret":"y"}"#).status == 400)
        }
    }

    /// Every route of every face, called with another tenant's token on this tenant's objects,
    /// answers without the object: never a 2xx, and never anything but the face's not-found answer.
    @Test func noRouteOfAnyFaceCrossesTenants() async throws {
        try await TestServer.with(mode: .router) { server in
            let contact = try await server.record(type: "contact")
            let person = try await server.record(type: "person", externalIdentifier: "X")
            let pd = try await PropertyDeckClient.create(server, on: "/contacts/\(contact.uuid)/attachments").jsonObject()
            let attachment = try #require(pd.object("data")?["uuid"] as? String)
            let fileID = try #require(try await server.send(.GET, "/v1/attachments/\(attachment)", token: server.readToken).jsonObject()["fileId"] as? Int)
            let field = try await HighLevelClient.fileField(server)
            let intruder = server.otherToken
            let pdf = MultipartForm.file("file", fileName: "a.pdf", bytes: Samples.pdf(seed: 9))
            let routes: [(HTTPMethod, String, [(String, String)], ByteBuffer?, Set<Int>)] = [
                (.GET, "/v1/records/\(contact.uuid)", [], nil, [404]),
                (.GET, "/v1/records/\(contact.uuid)/attachments", [], nil, [404]),
                (.POST, "/v1/records/\(contact.uuid)/attachments", [("Content-Type", pdf.contentType)], pdf.body, [404]),
                (.GET, "/v1/attachments/\(attachment)", [], nil, [404]),
                (.GET, "/v1/attachments/\(attachment)/stream", [], nil, [404]),
                (.DELETE, "/v1/attachments/\(attachment)", [], nil, [404]),
                (.GET, "/v1/files/\(fileID)", [], nil, [404]),
                (.DELETE, "/v1/files/\(fileID)", [], nil, [404]),
                (.POST, "/api/v1/relations/persons/files?externalIdentifier=X", [("Content-Type", pdf.contentType)], pdf.body, [404]),
                (.POST, "/api/v1/relations/persons/files?reference=\(person.reference)", [("Content-Type", pdf.contentType)], pdf.body, [404]),
                (.GET, "/api/2.0/crm/contact/\(contact.id)/files", [], nil, [404]),
                (.POST, "/api/2.0/crm/contact/\(contact.id)/files", [("Content-Type", "application/json")], ByteBuffer(string: "{\"fileids\":[\(fileID)]}"), [404]),
                (.POST, "/api/2.0/crm/contact/\(contact.id)/files/upload", [("Content-Type", pdf.contentType)], pdf.body, [404]),
                (.DELETE, "/api/2.0/crm/files/\(fileID)", [], nil, [404]),
                (.GET, "/Products/Files/HttpHandlers/filehandler.ashx?action=download&fileid=\(fileID)", [], nil, [404]),
                (.GET, "/attachments/\(attachment)", [], nil, [404]),
                (.PUT, "/attachments/\(attachment)", [("Content-Type", "application/json")], ByteBuffer(string: #"{"description":"x"}"#), [404]),
                (.DELETE, "/attachments/\(attachment)", [], nil, [404]),
                (.GET, "/attachments/\(attachment)/download", [], nil, [404]),
                (.POST, "/contacts/\(contact.uuid)/attachments", [("Content-Type", pdf.contentType)], pdf.body, [404]),
                (.GET, "/contacts/\(contact.uuid)", [HighLevelClient.version], nil, [400]),
                (.POST, "/forms/upload-custom-files?contactId=\(contact.uuid)&locationId=globex", [HighLevelClient.version, ("Content-Type", pdf.contentType)], pdf.body, [400]),
                (.POST, "/forms/upload-custom-files?contactId=\(contact.uuid)&locationId=acme", [HighLevelClient.version, ("Content-Type", pdf.contentType)], pdf.body, [403]),
                (.GET, "/locations/acme/customFields", [HighLevelClient.version], nil, [403]),
                (.GET, "/locations/globex/customFields/\(field)", [HighLevelClient.version], nil, [400]),
                (.GET, "/documents/download/\(attachment)", [], nil, [400]),
            ]
            for (method, path, headers, body, expected) in routes {
                let response = try await server.sendRaw(method, path, headers: [("Authorization", "Bearer \(intruder)")] + headers, body: body)
                #expect(expected.contains(response.status), "\(method) \(path) → \(response.status) \(response.text.prefix(120))")
            }
            let list = try await server.send(.GET, "/attachments", token: intruder).jsonObject()
            #expect(list.array("data")?.isEmpty == true)
            #expect(try await server.send(.GET, "/v1/attachments/\(attachment)", token: server.readToken).status == 200)
            #expect(try await server.stagedCount() == 0)
        }
    }
}

extension TestServer {
    /// Creates a record through the native API mounted under `prefix`.
    func record(type: String, token: String?, prefix: String) async throws -> (uuid: String, id: Int) {
        let response = try await sendJSON(.POST, prefix + "/v1/records", token: token ?? writeToken, json: "{\"type\":\"\(type)\"}")
        let json = try response.jsonObject()
        guard let uuid = json["uuid"] as? String, let id = json["id"] as? Int else { throw TestFailure(response.text) }
        return (uuid, id)
    }
}

extension OnlyOfficeClient {
    static func signInAt(_ server: TestServer, path: String) async throws -> String {
        let (_, password) = try await server.service.createCredential(tenantSlug: "acme", kind: .onlyoffice, identifier: "prefixed", scope: .write)
        let response = try await server.sendJSON(.POST, path, token: nil, json: "{\"userName\":\"prefixed\",\"password\":\"\(password)\"}")
        guard let token = try response.jsonObject().object("response")?["token"] as? String else { throw TestFailure(response.text) }
        return token
    }
}
