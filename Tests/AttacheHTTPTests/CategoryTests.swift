import AttacheCore
import AttacheTestSupport
import Foundation
import Testing

/// Categories and tags over real HTTP (on SQLite + disk; the test command's other passes run them on
/// PostgreSQL + S3 and the in-memory store): admins define categories, an attachment gets one and free
/// tags at upload or by PATCH, and the record's list and search filter by them.
@Suite("Categories and tags", .timeLimit(.minutes(3)))
struct CategoryTests {
    static func names(_ server: TestServer, _ path: String) async throws -> [String] {
        let response = try await server.send(.GET, path, token: server.readToken)
        guard response.status == 200 else { throw TestFailure("\(path): \(response.status) \(response.text)") }
        let items = try response.jsonObject()["items"] as? [[String: Any]] ?? []
        return items.compactMap { ($0["name"] as? String) ?? ($0["attachment"] as? [String: Any])?["name"] as? String }.sorted()
    }

    @Test func adminsDefineCategoriesThatAttachmentsAreIn() async throws {
        try await TestServer.with { server in
            let lease = #"{"name":"lease","description":"Rental agreements","retention":{"days":2555,"from":"upload"}}"#
            let refused = try await server.sendJSON(.POST, "/v1/categories", token: server.writeToken, json: lease)
            #expect(try refused.status == 403 && refused.jsonObject()["code"] as? String == "forbidden")
            let created = try await server.sendJSON(.POST, "/v1/categories", token: server.adminToken, json: lease)
            #expect(created.status == 201, "\(created.text)")
            let shown = try created.jsonObject()
            #expect(shown["name"] as? String == "lease" && (shown["retention"] as? [String: Any])?["days"] as? Int == 2555)
            #expect(try await server.sendJSON(.POST, "/v1/categories", token: server.adminToken, json: lease).status == 409)
            for bad in [#"{"name":"Lease"}"#, #"{"name":"-x"}"#, #"{"name":""}"#, #"{"name":"a","retention":{"days":0,"from":"upload"}}"#,
                        #"{"name":"a","retention":{"days":3,"from":"signature"}}"#] {
                #expect(try await server.sendJSON(.POST, "/v1/categories", token: server.adminToken, json: bad).status == 400, "\(bad)")
            }
            #expect(try await server.sendJSON(.POST, "/v1/categories", token: server.adminToken, json: #"{"name":"id-document"}"#).status == 201)
            #expect(try await Self.names(server, "/v1/categories") == ["id-document", "lease"])
            // Another tenant sees its own (none).
            let theirs = try await server.send(.GET, "/v1/categories", token: server.otherToken).jsonObject()["items"] as? [Any]
            #expect(theirs?.isEmpty == true)
            let changed = try await server.sendJSON(.PATCH, "/v1/categories/lease", token: server.adminToken, json: #"{"retention":null}"#)
            #expect(try changed.status == 200 && changed.jsonObject()["retention"] is NSNull && changed.jsonObject()["description"] as? String == "Rental agreements")
            #expect(try await server.send(.GET, "/v1/categories/nothing", token: server.readToken).status == 404)

            // At upload (multipart fields), then by PATCH.
            let record = try await server.record(type: "property", title: "Keizersgracht 12")
            let form = MultipartForm.file(fileName: "lease.pdf", bytes: Samples.pdf(seed: 61), fields: [("category", "lease"), ("tags", "signed, 2026 ,Signed")])
            let uploaded = try await server.upload("/v1/records/\(record.uuid)/attachments", token: server.writeToken, form: form)
            #expect(uploaded.status == 201, "\(uploaded.text)")
            let attachment = try uploaded.jsonObject()
            #expect(attachment["category"] as? String == "lease" && attachment["tags"] as? [String] == ["2026", "signed"], "\(attachment)")
            let unknown = try await server.upload(
                "/v1/records/\(record.uuid)/attachments", token: server.writeToken,
                form: MultipartForm.file(fileName: "x.pdf", bytes: Samples.pdf(seed: 62), fields: [("category", "payslip")])
            )
            #expect(try unknown.status == 400 && (unknown.jsonObject()["errors"] as? [String: Any])?.keys.sorted() == ["category"], "\(unknown.text)")
            let passport = try await ShareTests.attach(server, record: record.uuid, name: "passport.pdf", bytes: Samples.pdf(seed: 63))
            #expect(try await Self.names(server, "/v1/records/\(record.uuid)/attachments") == ["lease.pdf", "passport.pdf"], "the refused upload stored nothing")
            let patched = try await server.sendJSON(.PATCH, "/v1/attachments/\(passport)", token: server.writeToken, json: #"{"category":"id-document","tags":["applicant"]}"#)
            #expect(try patched.status == 200 && patched.jsonObject()["category"] as? String == "id-document", "\(patched.text)")
            for bad in [#"{"category":"payslip"}"#, #"{"tags":["a,b"]}"#, #"{"tags":null}"#, #"{"tags":[""]}"#] {
                #expect(try await server.sendJSON(.PATCH, "/v1/attachments/\(passport)", token: server.writeToken, json: bad).status == 400, "\(bad)")
            }

            // Filters: the record's list and search.
            #expect(try await Self.names(server, "/v1/records/\(record.uuid)/attachments?category=lease") == ["lease.pdf"])
            #expect(try await Self.names(server, "/v1/records/\(record.uuid)/attachments?tag=applicant") == ["passport.pdf"])
            #expect(try await Self.names(server, "/v1/records/\(record.uuid)/attachments?tag=sign") == [])
            #expect(try await Self.names(server, "/v1/search?q=keizersgracht&category=id-document") == ["passport.pdf"])
            #expect(try await Self.names(server, "/v1/search?q=keizersgracht&tag=signed") == ["lease.pdf"])

            // A category in use stays; out of it, it goes.
            #expect(try await server.send(.DELETE, "/v1/categories/id-document", token: server.adminToken).status == 409)
            let cleared = try await server.sendJSON(.PATCH, "/v1/attachments/\(passport)", token: server.writeToken, json: #"{"category":null,"tags":[]}"#)
            #expect(try cleared.status == 200 && cleared.jsonObject()["category"] is NSNull && cleared.jsonObject()["tags"] as? [String] == [])
            #expect(try await server.send(.DELETE, "/v1/categories/id-document", token: server.adminToken).status == 204)
            #expect(try await Self.names(server, "/v1/categories") == ["lease"])
            let actions = try await server.service.auditEvents(tenantSlug: "acme", matching: AuditQuery(), page: PageRequest(limit: 100)).items.map(\.action)
            #expect(actions.contains(.categoryCreate) && actions.contains(.categoryUpdate) && actions.contains(.categoryDelete))
        }
    }

    /// tus metadata labels the attachment a resumable upload makes (`category`, `tags`): checked when
    /// the upload is created, so nothing is refused for them after the last byte; an upload that makes
    /// no new attachment (no record, a partial upload, a new version) cannot take them.
    @Test func resumableUploadsTakeACategoryAndTagsFromTheirMetadata() async throws {
        try await TestServer.with { server in
            #expect(try await server.sendJSON(.POST, "/v1/categories", token: server.adminToken, json: #"{"name":"invoice"}"#).status == 201)
            let record = try await server.record(type: "property", title: "Prinsengracht 4")
            let labels = [("filename", "invoice-0042.pdf"), ("record", record.uuid), ("category", "invoice"), ("tags", "2026,Paid, paid")]
            let content = Samples.pdf(seed: 71)
            let path = try await ResumableUploadTests.create(server, length: content.count, metadata: labels)
            let finished = try await ResumableUploadTests.patch(server, path, offset: 0, content)
            #expect(finished.status == 204, "\(finished.text)")
            let attachment = try #require(finished.header("Attache-Attachment")).split(separator: "/").last.map(String.init) ?? ""
            let shown = try await server.send(.GET, "/v1/attachments/\(attachment)", token: server.readToken).jsonObject()
            #expect(shown["category"] as? String == "invoice" && shown["tags"] as? [String] == ["2026", "Paid"], "\(shown)")
            #expect(try await Self.names(server, "/v1/records/\(record.uuid)/attachments?category=invoice&tag=paid") == ["invoice-0042.pdf"])

            // Refused when the upload is created, before any byte: an undefined category, a bad tag, labels without an attachment to label.
            let version = try await ShareTests.attach(server, record: record.uuid, name: "survey.txt", bytes: Array("survey\n".utf8))
            let refusals: [([(String, String)], [(String, String)], String)] = [
                ([("filename", "a.pdf"), ("record", record.uuid), ("category", "payslip")], [], "category"),
                ([("filename", "a.pdf"), ("record", record.uuid), ("tags", String(repeating: "t", count: 41))], [], "tags"),
                ([("filename", "a.pdf"), ("category", "invoice")], [], ""),
                ([("filename", "a.pdf"), ("record", record.uuid), ("tags", "x")], [("Upload-Concat", "partial")], ""),
                ([("filename", "a.pdf"), ("attachment", version), ("tags", "x")], [("If-Match", try await VersionTests.etag(server, version))], ""),
            ]
            for (metadata, headers, field) in refusals {
                let refused = try await server.send(
                    .POST, "/v1/uploads", token: server.writeToken,
                    headers: [ResumableUploadTests.tus, ("Upload-Length", "10"), ("Upload-Metadata", ResumableUploadTests.metadata(metadata))] + headers
                )
                let fields = (try refused.jsonObject()["errors"] as? [String: Any])?.keys.sorted() ?? []
                #expect(refused.status == 400 && fields == (field.isEmpty ? [] : [field]), "\(metadata) \(headers): \(refused.status) \(refused.text)")
            }
        }
    }
}
