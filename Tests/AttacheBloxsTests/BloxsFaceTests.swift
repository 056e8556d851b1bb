import AttacheTestSupport
import Foundation
import NIOCore
import Testing

/// One test per statement of `bloxs-add-file-to-person.*`.
@Suite("Bloxs face", .timeLimit(.minutes(3)))
struct BloxsFaceTests {
    @Test func signInGivesATwentyFourHourTokenAndRefusesBadSecrets() async throws {
        try await TestServer.with(mode: .router) { server in
            let (credential, secret) = try await server.service.createCredential(tenantSlug: "acme", kind: .bloxs, identifier: nil, scope: .write)
            let good = try await server.sendJSON(.POST, "/Authorization", token: nil, json: "{\"apiKey\":\"\(credential.identifier)\",\"apiSecret\":\"\(secret)\"}")
            #expect(good.status == 200)
            let body = try good.jsonObject()
            #expect(body.sortedKeys == ["expiration", "token"])
            let expiration = try #require(ISO8601DateFormatter.fractional.date(from: body["expiration"] as? String ?? ""))
            #expect(abs(expiration.timeIntervalSinceNow - 24 * 3600) < 120)
            let bad = try await server.sendJSON(.POST, "/Authorization", token: nil, json: "{\"apiKey\":\"\(credential.identifier)\",\"apiSecret\":\"wrong\"}")
            #expect(bad.status == 400)
            #expect(try bad.jsonObject()["title"] as? String == "One or more validation errors occurred.")
            let empty = try await server.sendJSON(.POST, "/Authorization", token: nil, json: #"{"apiKey":""}"#)
            #expect(empty.status == 400)
            #expect(try empty.jsonObject().object("errors")?.sortedKeys == ["apiKey", "apiSecret"])
        }
    }

    @Test func uploadsAndLinksToThePersonAndAnswersTheFileID() async throws {
        try await TestServer.with(mode: .router) { server in
            let token = try await BloxsClient.signIn(server)
            let person = try await server.record(type: "person", externalIdentifier: "HR-7")
            let byReference = try await BloxsClient.upload(server, token: token, query: "reference=\(person.reference)", form: .file("File", fileName: "payslip.pdf", bytes: Samples.pdf()))
            #expect(byReference.status == 200)
            #expect(byReference.header("Content-Type")?.hasPrefix("application/json") == true)
            let fileID = try #require(try byReference.jsonValue() as? Int)
            let byExternal = try await BloxsClient.upload(server, token: token, query: "externalIdentifier=HR-7", form: .file("File", fileName: "contract.pdf", bytes: Samples.pdf(seed: 2)))
            #expect(byExternal.status == 200)
            let both = try await BloxsClient.upload(server, token: token, query: "reference=\(person.reference)&externalIdentifier=HR-7", form: .file("File", fileName: "c.pdf", bytes: Samples.pdf(seed: 3)))
            #expect(both.status == 200)
            let list = try await server.send(.GET, "/v1/records/\(person.uuid)/attachments", token: server.readToken).jsonObject()
            #expect(list.array("items")?.map { $0["name"] as? String } == ["payslip.pdf", "contract.pdf", "c.pdf"])
            #expect(list.array("items")?.first?["fileId"] as? Int == fileID)
        }
    }

    @Test(arguments: [("organisations", "organisation"), ("owners", "owner"), ("suppliers", "supplier"), ("estateAgents", "estate_agent")])
    func everyRelationKindHasItsPath(relation: String, type: String) async throws {
        try await TestServer.with(mode: .router) { server in
            let token = try await BloxsClient.signIn(server)
            let record = try await server.record(type: type, externalIdentifier: "R-1")
            let response = try await BloxsClient.upload(server, token: token, relation: relation, query: "externalIdentifier=R-1", form: .file("File", fileName: "a.pdf", bytes: Samples.pdf()))
            #expect(response.status == 200)
            let wrongKind = try await BloxsClient.upload(server, token: token, relation: "persons", query: "reference=\(record.reference)", form: .file("File", fileName: "a.pdf", bytes: Samples.pdf()))
            #expect(wrongKind.status == 404)
        }
    }

    @Test func unknownRelationIsA404ProblemAndNothingIsKept() async throws {
        try await TestServer.with(mode: .router) { server in
            let token = try await BloxsClient.signIn(server)
            let response = try await BloxsClient.upload(server, token: token, query: "reference=999999", form: .file("File", fileName: "a.pdf", bytes: Samples.pdf()))
            #expect(response.status == 404)
            let body = try response.jsonObject()
            #expect(body["title"] as? String == "There was a problem attaching the file to the person")
            #expect(body["status"] as? Int == 404)
            #expect((body["traceId"] as? String)?.isEmpty == false)
            #expect(body.sortedKeys == ["errors", "status", "title", "traceId", "type"])
            #expect(try await server.storedBlobs().isEmpty)
            #expect(try await server.stagedCount() == 0)
        }
    }

    @Test func identifiersAreRequiredAndMustAgree() async throws {
        try await TestServer.with(mode: .router) { server in
            let token = try await BloxsClient.signIn(server)
            let first = try await server.record(type: "person", externalIdentifier: "A")
            _ = try await server.record(type: "person", externalIdentifier: "B")
            let none = try await BloxsClient.upload(server, token: token, query: "", form: .file("File", fileName: "a.pdf", bytes: Samples.pdf()))
            #expect(none.status == 400)
            #expect(try none.jsonObject()["title"] as? String == "One or more validation errors occurred.")
            #expect(try none.jsonObject().object("errors")?["reference"] != nil)
            let clash = try await BloxsClient.upload(server, token: token, query: "reference=\(first.reference)&externalIdentifier=B", form: .file("File", fileName: "a.pdf", bytes: Samples.pdf()))
            #expect(clash.status == 400)
            #expect(try clash.jsonObject().object("errors")?["externalIdentifier"] != nil)
        }
    }

    @Test func noFilePartIsNoFileWasUploaded() async throws {
        try await TestServer.with(mode: .router) { server in
            let token = try await BloxsClient.signIn(server)
            let person = try await server.record(type: "person")
            let response = try await BloxsClient.upload(server, token: token, query: "reference=\(person.reference)", form: .file("Document", fileName: "a.pdf", bytes: Samples.pdf()))
            #expect(response.status == 400)
            let body = try response.jsonObject()
            #expect(body["type"] as? String == "https://tools.ietf.org/html/rfc9110#section-15.5.1")
            #expect(body["title"] as? String == "One or more validation errors occurred.")
            #expect(body["status"] as? Int == 400)
            #expect(body.object("errors")?["File"] as? [String] == ["No file was uploaded"])
            #expect(try await server.storedBlobs().isEmpty)
        }
    }

    @Test func jsonBodyCarriesTheFileAsBase64() async throws {
        try await TestServer.with(mode: .router) { server in
            let token = try await BloxsClient.signIn(server)
            let person = try await server.record(type: "person")
            let pdf = Samples.pdf(size: 100_000, seed: 8)
            let json = "{\"File\": \"" + Data(pdf).base64EncodedString().replacingOccurrences(of: "/", with: "\\/") + "\"}"
            let response = try await server.sendJSON(.POST, "/api/v1/relations/persons/files?reference=\(person.reference)", token: token, json: json)
            #expect(response.status == 200)
            let fileID = try #require(try response.jsonValue() as? Int)
            let file = try await server.send(.GET, "/v1/files/\(fileID)", token: server.readToken).jsonObject()
            #expect(file["name"] as? String == "File.pdf")
            #expect(file["size"] as? Int == pdf.count)
            let download = try await server.send(.GET, "/v1/files/\(fileID)/download", token: server.readToken)
            #expect(download.bytes == pdf)
            let garbage = try await server.sendJSON(.POST, "/api/v1/relations/persons/files?reference=\(person.reference)", token: token, json: #"{"File": "%%%"}"#)
            #expect(garbage.status == 400)
            let noFile = try await server.sendJSON(.POST, "/api/v1/relations/persons/files?reference=\(person.reference)", token: token, json: #"{"Other": "x"}"#)
            #expect(noFile.status == 400)
            #expect(try noFile.jsonObject().object("errors")?["File"] as? [String] == ["No file was uploaded"])
        }
    }

    @Test func refusedFilesAreValidationErrorsOnFile() async throws {
        try await TestServer.with(mode: .router) { server in
            let token = try await BloxsClient.signIn(server)
            let person = try await server.record(type: "person")
            let response = try await BloxsClient.upload(server, token: token, query: "reference=\(person.reference)", form: .file("File", fileName: "invoice.pdf", bytes: Samples.elf))
            #expect(response.status == 400)
            #expect(try response.jsonObject().object("errors")?["File"] != nil)
        }
    }

    @Test func withoutAValidBearerTokenIs401() async throws {
        try await TestServer.with(mode: .router) { server in
            let person = try await server.record(type: "person")
            let none = try await BloxsClient.upload(server, token: nil, query: "reference=\(person.reference)", form: .file("File", fileName: "a.pdf", bytes: Samples.pdf()))
            #expect(none.status == 401)
            #expect(none.header("WWW-Authenticate") == "Bearer")
            #expect(none.body.readableBytes == 0)
            let wrong = try await BloxsClient.upload(server, token: "att_expired", query: "reference=\(person.reference)", form: .file("File", fileName: "a.pdf", bytes: Samples.pdf()))
            #expect(wrong.status == 401)
        }
    }

    @Test func anotherTenantsRelationIsNotFound() async throws {
        try await TestServer.with(mode: .router) { server in
            let person = try await server.record(type: "person", externalIdentifier: "P")
            let intruder = try await BloxsClient.signIn(server, tenant: "globex")
            let response = try await BloxsClient.upload(server, token: intruder, query: "reference=\(person.reference)", form: .file("File", fileName: "a.pdf", bytes: Samples.pdf()))
            #expect(response.status == 404)
            let byExternal = try await BloxsClient.upload(server, token: intruder, query: "externalIdentifier=P", form: .file("File", fileName: "a.pdf", bytes: Samples.pdf()))
            #expect(byExternal.status == 404)
        }
    }
}
