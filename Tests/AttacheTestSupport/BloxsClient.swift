import AttacheCore
import Foundation
import NIOCore
import NIOHTTP1

/// Requests a Bloxs client makes: sign-in with CLI-made credentials, uploads to a relation.
package enum BloxsClient {
    /// Signs in with CLI-made credentials, as a Bloxs client does first.
    package static func signIn(_ server: TestServer, tenant: String = "acme") async throws -> String {
        let (credential, secret) = try await server.service.createCredential(tenantSlug: tenant, kind: .bloxs, identifier: nil, scope: .write)
        let response = try await server.sendJSON(.POST, "/Authorization", token: nil, json: "{\"apiKey\":\"\(credential.identifier)\",\"apiSecret\":\"\(secret)\"}")
        guard response.status == 200, let token = try response.jsonObject()["token"] as? String else {
            throw TestFailure("sign-in failed: \(response.status) \(response.text)")
        }
        return token
    }

    package static func upload(_ server: TestServer, token: String?, relation: String = "persons", query: String, form: MultipartForm) async throws -> TestResponse {
        try await server.upload("/api/v1/relations/\(relation)/files?\(query)", token: token, form: form)
    }
}
