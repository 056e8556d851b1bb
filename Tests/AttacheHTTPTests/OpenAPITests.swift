import AttacheTestSupport
import AttacheCore
import Foundation
import NIOCore
import Testing

@Suite("OpenAPI document", .timeLimit(.minutes(3)))
struct OpenAPITests {
    /// Every documented operation is routed: it answers with something other than 405 or the
    /// no-route 404, when called with ids that exist.
    @Test func everyDocumentedOperationAnswers() async throws {
        try await TestServer.with(mode: .router) { server in
            let document = try await server.send(.GET, "/openapi.json")
            #expect(document.status == 200)
            let paths = try #require(try document.jsonObject()["paths"] as? [String: [String: Any]])
            #expect(paths.count >= 13)

            let record = try #require(try await server.createRecord()["uuid"] as? String)
            let attachment = try await server.upload("/v1/records/\(record)/attachments", token: server.writeToken, form: .file(fileName: "a.pdf", bytes: Samples.pdf())).jsonObject()
            let attachmentUUID = try #require(attachment["uuid"] as? String)
            let unlinked = try await server.upload("/v1/files", token: server.writeToken, form: .file(fileName: "c.pdf", bytes: Samples.pdf(seed: 3))).jsonObject()
            let fileID = try #require(unlinked["id"] as? Int)
            let tus = ("Tus-Resumable", "1.0.0")
            let created = try await server.send(.POST, "/v1/uploads", token: server.writeToken, headers: [tus, ("Upload-Length", "6")])
            let uploadID = try #require(created.header("Location")?.split(separator: "/").last.map(String.init))
            let share = try await server.sendJSON(.POST, "/v1/records/\(record)/shares", token: server.writeToken, json: "{}").jsonObject()
            let shareID = try #require(share["id"] as? String)
            let shareToken = try #require(share["token"] as? String)
            let drop = try await server.sendJSON(.POST, "/v1/records/\(record)/shares", token: server.writeToken, json: #"{"kind":"upload"}"#).jsonObject()
            let dropToken = try #require(drop["token"] as? String)
            let dropped = try await server.send(.POST, "/s/\(dropToken)/uploads", headers: [tus, ("Upload-Length", "6")])
            let dropUploadID = try #require(dropped.header("Location")?.split(separator: "/").last.map(String.init), "\(dropped.status)")
            // A webhook (nothing delivers in this test) and a delivery of it.
            let webhook = try await server.sendJSON(.POST, "/v1/webhooks", token: server.adminToken, json: #"{"url":"http://127.0.0.1:9/hook","events":["record.created"]}"#)
            let webhookID = try #require(try webhook.jsonObject()["id"] as? String, "\(webhook.text)")
            _ = try await server.record(type: "owner")
            let deliveries = try await server.send(.GET, "/v1/webhooks/\(webhookID)/deliveries", token: server.adminToken).jsonObject()
            let deliveryID = try #require((deliveries["items"] as? [[String: Any]])?.first?["id"] as? String)
            #expect(try await server.sendJSON(.POST, "/v1/categories", token: server.adminToken, json: #"{"name":"walk"}"#).status == 201)
            // A second version of the attachment, so version 1 is an earlier one: downloaded, restored, then deleted.
            let etag = try #require(try await server.send(.GET, "/v1/attachments/\(attachmentUUID)", token: server.readToken).header("ETag"))
            let second = try await server.upload(
                "/v1/attachments/\(attachmentUUID)/versions", token: server.writeToken, form: .file(fileName: "a2.pdf", bytes: Samples.pdf(seed: 9)),
                extraHeaders: [("If-Match", etag)]
            )
            #expect(second.status == 201, "\(second.text)")

            let methodOrder = ["options", "get", "head", "post", "patch", "put", "delete"]
            let pathOrder = ["/v1/attachments/", "/v1/files/", "/v1/records/"]
            var operations: [(method: String, path: String)] = []
            for (template, item) in paths {
                for method in item.keys where methodOrder.contains(method) {
                    let path = template
                        .replacingOccurrences(
                            of: "{uuid}",
                            with: template.hasPrefix("/v1/records")
                                ? record : template.hasPrefix("/v1/uploads") ? uploadID : template.hasPrefix("/s/{token}/uploads") ? dropUploadID : attachmentUUID
                        )
                        .replacingOccurrences(
                            of: "{id}", with: template.hasPrefix("/v1/shares") ? shareID : template.hasPrefix("/v1/webhooks") ? webhookID : String(fileID)
                        )
                        .replacingOccurrences(of: "{deliveryId}", with: deliveryID)
                        .replacingOccurrences(of: "{number}", with: "1")
                        .replacingOccurrences(of: "{name}", with: "walk")
                        .replacingOccurrences(
                            of: "{token}", with: template == "/s/{token}/files" || template.hasPrefix("/s/{token}/uploads") ? dropToken : shareToken
                        )
                    operations.append((method, path))
                }
            }
            // Deletes last, children before parents.
            operations.sort { lhs, rhs in
                // Within a group, longer paths (children) first.
                let l = (methodOrder.firstIndex(of: lhs.method) ?? 0, pathOrder.firstIndex { lhs.path.hasPrefix($0) } ?? 0, -lhs.path.count)
                let r = (methodOrder.firstIndex(of: rhs.method) ?? 0, pathOrder.firstIndex { rhs.path.hasPrefix($0) } ?? 0, -rhs.path.count)
                return l < r
            }
            for operation in operations {
                let response: TestResponse
                switch operation.method {
                case "post" where operation.path.hasSuffix("/uploads"):
                    response = try await server.send(.POST, operation.path, token: server.writeToken, headers: [tus, ("Upload-Length", "6")])
                case "head" where operation.path.contains("/uploads/"), "delete" where operation.path.contains("/uploads/"):
                    response = try await server.send(.init(rawValue: operation.method.uppercased()), operation.path, token: server.writeToken, headers: [tus])
                case "patch" where operation.path.contains("/uploads/"):
                    response = try await server.send(
                        .PATCH, operation.path, token: server.writeToken,
                        headers: [tus, ("Upload-Offset", "0"), ("Content-Type", "application/offset+octet-stream")], body: ByteBuffer(string: "hello\n")
                    )
                case "post" where operation.path.hasSuffix("/versions"):
                    let current = try #require(try await server.send(.GET, operation.path.replacingOccurrences(of: "/versions", with: ""), token: server.readToken).header("ETag"))
                    response = try await server.upload(
                        operation.path, token: server.writeToken, form: .file(fileName: "b2.pdf", bytes: Samples.pdf(seed: 10)), extraHeaders: [("If-Match", current)]
                    )
                case "post" where operation.path.hasSuffix("attachments") || operation.path == "/v1/files":
                    response = try await server.upload(operation.path, token: server.writeToken, form: .file(fileName: "b.pdf", bytes: Samples.pdf(seed: 2)))
                case "post" where operation.path.hasPrefix("/s/") && operation.path.hasSuffix("/files"):
                    response = try await server.upload(operation.path, token: nil, form: .file("files", fileName: "d.pdf", bytes: Samples.pdf(seed: 4)), extraHeaders: [("Accept", "application/json")])
                case "post" where operation.path.hasPrefix("/s/"):
                    response = try await server.sendJSON(.POST, operation.path, token: nil, json: #"{"password":"none is set"}"#)
                case "post" where operation.path == "/v1/webhooks":
                    response = try await server.sendJSON(.POST, operation.path, token: server.adminToken, json: #"{"url":"http://127.0.0.1:9/other","events":["file.stored"]}"#)
                case "post" where operation.path == "/v1/categories":
                    response = try await server.sendJSON(.POST, operation.path, token: server.adminToken, json: #"{"name":"other"}"#)
                case _ where operation.path.hasPrefix("/v1/webhooks") || operation.path.hasPrefix("/v1/categories/"):
                    let body = operation.method == "patch" ? ByteBuffer(string: #"{"description":"x"}"#) : nil
                    response = try await server.send(
                        .init(rawValue: operation.method.uppercased()), operation.path, token: server.adminToken,
                        headers: body == nil ? [] : [("Content-Type", "application/json")], body: body
                    )
                case "get" where operation.path == "/v1/search":
                    response = try await server.send(.GET, "/v1/search?q=a.pdf", token: server.readToken)
                case "get" where operation.path.hasPrefix("/s/"):
                    response = try await server.send(.GET, operation.path, headers: [("Accept", "application/json")])
                case "post", "patch":
                    let body = operation.path == "/v1/records" ? #"{"type":"owner"}"# : #"{"description":"x"}"#
                    response = try await server.sendJSON(.init(rawValue: operation.method.uppercased()), operation.path, token: server.writeToken, json: body)
                default:
                    let token = operation.path.hasPrefix("/v1/audit") ? server.adminToken : server.writeToken
                    response = try await server.send(.init(rawValue: operation.method.uppercased()), operation.path, token: token)
                }
                let noRoute = response.status == 404 && (try? response.jsonObject()["detail"] as? String) == "There is no such route."
                #expect(response.status != 405 && !noRoute, "\(operation.method) \(operation.path) → \(response.status)")
                #expect((200..<300).contains(response.status), "\(operation.method) \(operation.path) → \(response.status) \(response.text.prefix(200))")
            }
        }
    }

    /// What client generators need: a stable, unique `operationId` and a tag on every operation, and
    /// content typed as it is served — `application/octet-stream` or one of the catalogue's types,
    /// never `*/*`, which generators drop.
    /// A problem's `code` is one the document names: every code the server has, and no other (the
    /// fuzz found `no_preview` and `preview_unavailable` missing once); the action and event-type enums
    /// are the server's.
    @Test func theDocumentNamesEveryProblemCode() async throws {
        try await TestServer.with(mode: .router) { server in
            let document = try await server.send(.GET, "/openapi.json").jsonObject()
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
            let problem = try #require((schemas["Problem"] as? [String: Any])?["properties"] as? [String: Any])
            let named = try #require((problem["code"] as? [String: Any])?["enum"] as? [String])
            #expect(Set(named) == Set(AttacheError.Code.all.map(\.name)), "\(Set(named).symmetricDifference(AttacheError.Code.all.map(\.name)).sorted())")
            #expect(named.count == Set(named).count)
            // The enums of the audit trail's actions and the change feed's types, likewise.
            for (schema, values) in [("AuditAction", AuditAction.allCases.map(\.rawValue)), ("ChangeEventType", ChangeEventType.allCases.map(\.rawValue))] {
                let listed = try #require((schemas[schema] as? [String: Any])?["enum"] as? [String])
                #expect(Set(listed) == Set(values) && listed.count == values.count, "\(schema): \(Set(listed).symmetricDifference(values).sorted())")
            }
        }
    }

    @Test func everyOperationIsNamedTaggedAndTyped() async throws {
        try await TestServer.with(mode: .router) { server in
            let document = try await server.send(.GET, "/openapi.json").jsonObject()
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var operationIDs: [String] = []
            for (path, item) in paths {
                for (method, value) in item where ["get", "head", "post", "patch", "put", "delete", "options"].contains(method) {
                    let operation = try #require(value as? [String: Any])
                    let id = operation["operationId"] as? String
                    #expect(id?.isEmpty == false, "\(method) \(path) has no operationId")
                    operationIDs += id.map { [$0] } ?? []
                    #expect((operation["tags"] as? [String])?.count == 1, "\(method) \(path) has no tag")
                }
            }
            #expect(Set(operationIDs).count == operationIDs.count, "operationIds are unique: \(operationIDs.sorted())")
            #expect(operationIDs.contains("createRecord") && operationIDs.contains("listRecordAttachments"))
            #expect(!(try await server.send(.GET, "/openapi.json").text.contains("\"*/*\"")))

            let responses = try #require((document["components"] as? [String: Any])?["responses"] as? [String: [String: Any]])
            let served = Set(["application/octet-stream"] + FileType.catalog.map(\.mimeType))
            for name in ["Content", "PartialContent"] {
                let types = Set(((responses[name]?["content"]) as? [String: Any])?.keys.map { $0 } ?? [])
                #expect(types == served, "\(name): \(types.symmetricDifference(served).sorted())")
            }
        }
    }

    @Test func unknownRoutesAreProblems() async throws {
        try await TestServer.with(mode: .router) { server in
            let response = try await server.send(.GET, "/v1/nothing-here", token: server.readToken)
            #expect(response.status == 404)
            #expect(try response.jsonObject()["detail"] as? String == "There is no such route.")
            #expect(try await server.send(.GET, "/readyz").status == 200)
        }
    }
}
