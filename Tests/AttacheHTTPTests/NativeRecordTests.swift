import AttacheTestSupport
import Foundation
import Testing

@Suite("Native API: records", .timeLimit(.minutes(3)))
struct NativeRecordTests {
    @Test func createGetListUpdateDeleteRecord() async throws {
        try await TestServer.with(mode: .router) { server in
            let created = try await server.createRecord(type: "estate_agent", externalIdentifier: "ea-7")
            let uuid = try #require(created["uuid"] as? String)
            #expect(created["type"] as? String == "estate_agent")
            #expect(created["externalIdentifier"] as? String == "ea-7")
            #expect((created["reference"] as? String)?.isEmpty == false)
            #expect(created["title"] is NSNull)

            let fetched = try await server.send(.GET, "/v1/records/\(uuid)", token: server.readToken)
            #expect(fetched.status == 200)
            #expect(try fetched.jsonObject()["id"] as? Int == created["id"] as? Int)

            _ = try await server.createRecord(type: "person", externalIdentifier: "p-1")
            let byType = try await server.send(.GET, "/v1/records?type=estate_agent", token: server.readToken).jsonObject()
            #expect((byType["items"] as? [[String: Any]])?.count == 1)
            let reference = try #require(created["reference"] as? String)
            let byReference = try await server.send(.GET, "/v1/records?reference=\(reference)", token: server.readToken).jsonObject()
            #expect((byReference["items"] as? [[String: Any]])?.first?["uuid"] as? String == uuid)

            let patched = try await server.sendJSON(.PATCH, "/v1/records/\(uuid)", token: server.writeToken, json: #"{"title":"Makelaardij Noord"}"#)
            #expect(patched.status == 200)
            #expect(try patched.jsonObject()["title"] as? String == "Makelaardij Noord")
            #expect(try patched.jsonObject()["externalIdentifier"] as? String == "ea-7")

            let deleted = try await server.send(.DELETE, "/v1/records/\(uuid)", token: server.writeToken)
            #expect(deleted.status == 204)
            #expect(try await server.send(.GET, "/v1/records/\(uuid)", token: server.readToken).status == 404)
        }
    }

    @Test func referencesAreUniqueAcrossTypesAndExternalIdentifiersPerType() async throws {
        try await TestServer.with(mode: .router) { server in
            let person = try await server.createRecord(type: "person", externalIdentifier: "x-1")
            let owner = try await server.createRecord(type: "owner", externalIdentifier: "x-1")
            #expect(person["reference"] as? String != owner["reference"] as? String)
            let duplicate = try await server.sendJSON(.POST, "/v1/records", token: server.writeToken, json: #"{"type":"person","externalIdentifier":"x-1"}"#)
            #expect(duplicate.status == 409)
            #expect(duplicate.header("Content-Type") == "application/problem+json")
        }
    }

    @Test func invalidRecordInputIsAProblem() async throws {
        try await TestServer.with(mode: .router) { server in
            let badType = try await server.sendJSON(.POST, "/v1/records", token: server.writeToken, json: #"{"type":"spaceship"}"#)
            #expect(badType.status == 400)
            let problem = try badType.jsonObject()
            #expect(problem["status"] as? Int == 400)
            #expect(problem["detail"] as? String == "type must be one of person, organisation, owner, supplier, estate_agent, contact, property, opportunity, case.")
            #expect((problem["errors"] as? [String: Any])?.keys.sorted() == ["type"])
            #expect(problem["traceId"] as? String == badType.header("traceresponse")?.split(separator: "-")[1].description)
            let notJSON = try await server.sendJSON(.POST, "/v1/records", token: server.writeToken, json: "{")
            #expect(notJSON.status == 400)
            #expect(try await server.send(.GET, "/v1/records/not-a-uuid", token: server.readToken).status == 404)
        }
    }

    @Test func listsAreKeysetPaginated() async throws {
        try await TestServer.with(mode: .router) { server in
            for index in 0..<5 {
                _ = try await server.createRecord(type: "contact", externalIdentifier: "c-\(index)")
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let query = "/v1/records?limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await server.send(.GET, query, token: server.readToken).jsonObject()
                seen += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["externalIdentifier"] as? String }
                cursor = page["nextCursor"] as? String
            } while cursor != nil
            #expect(seen == ["c-0", "c-1", "c-2", "c-3", "c-4"])
            var newest: [String] = []
            cursor = nil
            repeat {
                let query = "/v1/records?order=newest&limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await server.send(.GET, query, token: server.readToken).jsonObject()
                newest += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["externalIdentifier"] as? String }
                cursor = page["nextCursor"] as? String
            } while cursor != nil
            #expect(newest == ["c-4", "c-3", "c-2", "c-1", "c-0"])
            #expect(try await server.send(.GET, "/v1/records?order=sideways", token: server.readToken).status == 400)
            #expect(try await server.send(.GET, "/v1/records?cursor=garbage", token: server.readToken).status == 400)
            #expect(try await server.send(.GET, "/v1/records?limit=0", token: server.readToken).status == 400)
        }
    }

    /// A misspelt or unsupported query parameter is refused, naming it and what the operation takes;
    /// the documented ones (and a signed link's) pass.
    @Test func unknownQueryParametersAreRefusedByName() async throws {
        try await TestServer.with(mode: .router) { server in
            let record = try #require(try await server.createRecord()["uuid"] as? String)
            for name in ["search", "sort", "page"] {
                let refused = try await server.send(.GET, "/v1/records?\(name)=x", token: server.readToken)
                #expect(refused.status == 400)
                let problem = try refused.jsonObject()
                #expect(problem["detail"] as? String == "Unknown query parameter '\(name)': it takes cursor, externalIdentifier, limit, order, reference, title, type.")
                #expect((problem["errors"] as? [String: Any])?.keys.sorted() == [name])
            }
            let none = try await server.send(.GET, "/v1/records/\(record)?expand=attachments", token: server.readToken)
            #expect(none.status == 400)
            #expect(try none.jsonObject()["detail"] as? String == "Unknown query parameter 'expand': it takes none.")
            #expect(try await server.send(.GET, "/v1/records?type=person&limit=5", token: server.readToken).status == 200)
            #expect(try await server.send(.HEAD, "/v1/records?limit=1", token: server.readToken).status == 200)
        }
    }

    /// Found by the start of their title, whatever the case and accents.
    @Test func recordsAreFoundByTitlePrefixWithAccentsFolded() async throws {
        try await TestServer.with(mode: .router) { server in
            let jose = try await server.record(type: "person", title: "José Núñez")
            let cafe = try await server.record(type: "organisation", title: "Café de Jong")
            _ = try await server.record(type: "person", title: "Joost 100% Vermeer")
            _ = try await server.record(type: "person", title: "Anna")
            _ = try await server.record(type: "person", title: "Jose_Other", token: server.otherToken)
            func titles(_ query: String) async throws -> [String] {
                let page = try await server.send(.GET, "/v1/records?\(query)", token: server.readToken).jsonObject()
                return (page["items"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
            }
            #expect(try await titles("title=jose") == ["José Núñez"])
            #expect(try await titles("title=JOS%C3%89%20N") == ["José Núñez"])
            #expect(try await titles("title=CAFE") == ["Café de Jong"])
            #expect(try await titles("title=jo") == ["José Núñez", "Joost 100% Vermeer"])
            #expect(try await titles("title=joost%20100%25") == ["Joost 100% Vermeer"], "% is a character, not a wildcard")
            #expect(try await titles("title=j_") == [], "_ is a character, not a wildcard")
            #expect(try await titles("title=jo&type=organisation") == [])
            #expect(try await titles("title=de%20jong") == [], "a prefix, not a substring")
            // A renamed record is found by its new title.
            _ = try await server.sendJSON(.PATCH, "/v1/records/\(cafe.uuid)", token: server.writeToken, json: #"{"title":"Ëlise Bakker"}"#)
            #expect(try await titles("title=elise") == ["Ëlise Bakker"])
            #expect(jose.uuid.isEmpty == false)
        }
    }
}
