import AttacheCore
import Foundation
import NIOCore
import NIOHTTP1

/// Requests a HighLevel client makes: versioned JSON calls, file custom fields, custom-file uploads.
package enum HighLevelClient {
    package static let version = ("Version", "2021-07-28")

    package static func json(_ server: TestServer, _ method: HTTPMethodName, _ path: String, token: String? = nil, body: String? = nil, version: Bool = true) async throws -> TestResponse {
        var headers: [(String, String)] = [("Authorization", "Bearer \(token ?? server.writeToken)")]
        if version { headers.append(HighLevelClient.version) }
        if body != nil { headers.append(("Content-Type", "application/json")) }
        return try await server.sendRaw(method.nio, path, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    /// Creates a file custom field and returns its id.
    package static func fileField(_ server: TestServer, name: String = "Documents", multiple: Bool = true, maximum: Int? = nil, formats: [String]? = nil) async throws -> String {
        var body = "{\"name\":\"\(name)\",\"dataType\":\"FILE_UPLOAD\",\"isMultipleFile\":\(multiple),\"model\":\"contact\""
        if let maximum { body += ",\"maxNumberOfFiles\":\(maximum)" }
        if let formats { body += ",\"acceptedFormat\":[\(formats.map { "\"\($0)\"" }.joined(separator: ","))]" }
        body += "}"
        let response = try await json(server, .post, "/locations/acme/customFields", body: body)
        guard response.status == 201, let id = try response.jsonObject().object("customField")?["id"] as? String else {
            throw TestFailure("field not created: \(response.text)")
        }
        return id
    }

    package static func upload(_ server: TestServer, contact: String, location: String = "acme", parts: [(String, String, [UInt8])], token: String? = nil, version: Bool = true) async throws -> TestResponse {
        var form = MultipartForm()
        for (name, fileName, bytes) in parts { form.addFile(name, fileName: fileName, bytes: bytes) }
        form.close()
        var headers = [("Authorization", "Bearer \(token ?? server.writeToken)"), ("Content-Type", form.contentType)]
        if version { headers.append(HighLevelClient.version) }
        return try await server.sendRaw(.POST, "/forms/upload-custom-files?contactId=\(contact)&locationId=\(location)", headers: headers, body: form.body)
    }
}
