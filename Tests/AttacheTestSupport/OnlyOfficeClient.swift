import AttacheCore
import Foundation
import NIOCore
import NIOHTTP1

/// Requests an ONLYOFFICE CRM client makes: sign-in, uploads, attaching files to an entity.
package enum OnlyOfficeClient {
    package static func signIn(_ server: TestServer, user: String = "jan", tenant: String = "acme") async throws -> String {
        let (_, password) = try await server.service.createCredential(tenantSlug: tenant, kind: .onlyoffice, identifier: user, scope: .write)
        let response = try await server.sendJSON(.POST, "/api/2.0/authentication", token: nil, json: "{\"userName\":\"\(user)\",\"password\":\"\(password)\"}")
        guard let token = try response.jsonObject().object("response")?["token"] as? String else {
            throw TestFailure("sign-in failed: \(response.text)")
        }
        return token
    }

    /// Uploads a file through `…/files/upload` with the bare token and returns its id.
    package static func uploadFile(_ server: TestServer, token: String, entity: String, id: Int, name: String = "offer.pdf", seed: UInt8 = 1) async throws -> Int {
        let form = MultipartForm.file("file", fileName: name, bytes: Samples.pdf(seed: seed))
        let response = try await server.sendRaw(.POST, "/api/2.0/crm/\(entity)/\(id)/files/upload", headers: [("Authorization", token), ("Content-Type", form.contentType)], body: form.body)
        let json = try response.jsonObject()
        guard let fileID = (json["ID"] ?? json.object("response")?["id"]) as? Int else { throw TestFailure("upload failed: \(response.text)") }
        return fileID
    }

    package static func attach(_ server: TestServer, token: String, entity: String, id: Int, fileIDs: [Int]) async throws -> TestResponse {
        try await server.sendRaw(
            .POST, "/api/2.0/crm/\(entity)/\(id)/files",
            headers: [("Authorization", token), ("Content-Type", "application/json"), ("Accept", "application/json")],
            body: ByteBuffer(string: "{\"fileids\":[\(fileIDs.map(String.init).joined(separator: ","))]}")
        )
    }
}
