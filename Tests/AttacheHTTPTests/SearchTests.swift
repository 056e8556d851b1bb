import AttacheCore
import AttacheTestSupport
import Foundation
import Testing

/// `GET /v1/search`: the tenant's attachments by words, over real HTTP (and, in the test command's
/// second pass, on PostgreSQL + S3): the exact shape of a hit, the tenant's own hits only, a deleted
/// attachment gone at once, and what a malformed query is told.
@Suite("Search", .timeLimit(.minutes(3)))
struct SearchTests {
    @Test func theTenantsAttachmentsAreFoundByWords() async throws {
        try await TestServer.with { server in
            let record = try await server.record(type: "person", externalIdentifier: "CRM-88", title: "Jörg Jansen")
            let lease = try await ShareTests.attach(server, record: record.uuid, name: "lease_jansen_2024.pdf", bytes: Samples.pdf(seed: 91))
            _ = try await ShareTests.attach(server, record: record.uuid, name: "passport.pdf", bytes: Samples.pdf(seed: 92))
            let theirs = try await server.record(type: "person", title: "Jansen", token: server.otherToken)
            let form = MultipartForm.file(fileName: "lease_jansen_2024.pdf", bytes: Samples.pdf(seed: 93))
            #expect(try await server.upload("/v1/records/\(theirs.uuid)/attachments", token: server.otherToken, form: form).status == 201)

            let found = try await server.send(.GET, "/v1/search?q=jansen%202024", token: server.readToken)
            #expect(found.status == 200, "\(found.text)")
            let body = try found.jsonObject()
            let hits = try #require(body["items"] as? [[String: Any]])
            #expect(hits.count == 1 && body["nextCursor"] is NSNull, "\(found.text)")
            let hit = try #require(hits.first)
            let attachment = try #require(hit["attachment"] as? [String: Any])
            #expect(attachment["uuid"] as? String == lease && attachment["name"] as? String == "lease_jansen_2024.pdf")
            #expect((attachment["downloadUrl"] as? String)?.contains("signature=") == true)
            let shown = try #require(hit["record"] as? [String: Any])
            #expect(shown["uuid"] as? String == record.uuid && shown["type"] as? String == "person" && shown["title"] as? String == "Jörg Jansen")
            #expect(shown["externalIdentifier"] as? String == "CRM-88" && shown["reference"] as? String == record.reference)
            let snippet = try #require(hit["snippet"] as? [[String: Any]])
            #expect(snippet.contains { $0["match"] as? Bool == true }, "\(snippet)")

            // The record's words find all its files; accents fold; the other tenant's never show.
            let byTitle = try await server.send(.GET, "/v1/search?q=JORG", token: server.readToken).jsonObject()
            #expect((byTitle["items"] as? [[String: Any]])?.count == 2)
            let documents = try await server.send(.GET, "/v1/search?q=jorg&type=Document", token: server.readToken).jsonObject()
            #expect((documents["items"] as? [[String: Any]])?.count == 2)
            let images = try await server.send(.GET, "/v1/search?q=jorg&type=Image", token: server.readToken).jsonObject()
            #expect((images["items"] as? [[String: Any]])?.isEmpty == true)
            let theirsFound = try await server.send(.GET, "/v1/search?q=lease", token: server.otherToken).jsonObject()
            let theirHits = try #require(theirsFound["items"] as? [[String: Any]])
            #expect(theirHits.count == 1 && (theirHits.first?["record"] as? [String: Any])?["uuid"] as? String == theirs.uuid)

            // Deleted: gone from the hits at once.
            #expect(try await server.send(.DELETE, "/v1/attachments/\(lease)", token: server.writeToken).status == 204)
            let after = try await server.send(.GET, "/v1/search?q=lease", token: server.readToken).jsonObject()
            #expect((after["items"] as? [[String: Any]])?.isEmpty == true)

            // What a query cannot be.
            let punctuation = try await server.send(.GET, "/v1/search?q=%21%21", token: server.readToken)
            #expect(try punctuation.status == 200 && (punctuation.jsonObject()["items"] as? [Any])?.isEmpty == true, "no word, nothing found")
            for (query, field) in [("q=", "q"), ("q=a+b+c+d+e+f+g+h+i+j+k+l+m", "q"), ("q=x&recordType=boat", "recordType"), ("q=x&type=pdf", "type"), ("q=x&cursor=c1", "cursor"), ("", "q")] {
                let refused = try await server.send(.GET, "/v1/search?\(query)", token: server.readToken)
                let errors = try refused.jsonObject()["errors"] as? [String: Any]
                #expect(refused.status == 400 && errors?[field] != nil, "\(query): \(refused.text)")
            }
            #expect(try await server.send(.GET, "/v1/search?q=lease").status == 401)
        }
    }
}
