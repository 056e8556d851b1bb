import AttacheCore
import Foundation
import NIOCore
import NIOHTTP1

/// Requests a PropertyDeck client makes, and the members of its attachment objects.
package enum PropertyDeckClient {
    package static let objectKeys = ["created_at", "description", "download_url", "mime_type", "name", "size", "stream_url", "type", "updated_at", "uuid"]

    package static func create(_ server: TestServer, on path: String, name: String = "example.pdf", bytes: [UInt8] = Samples.pdf(), description: String? = nil, token: String? = nil) async throws -> TestResponse {
        var form = MultipartForm()
        form.addFile("upload", fileName: name, bytes: bytes)
        if let description { form.addField("description", description) }
        form.close()
        return try await server.upload(path, token: token ?? server.writeToken, form: form)
    }
}
