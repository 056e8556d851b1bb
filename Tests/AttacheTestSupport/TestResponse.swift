import Foundation
import NIOCore
import NIOHTTP1

/// A collected HTTP response.
package struct TestResponse: Sendable {
    package var status: Int
    package var headers: HTTPHeaders
    package var body: ByteBuffer

    package var text: String { String(buffer: body) }
    package var bytes: [UInt8] { Array(body.readableBytesView) }

    package func jsonObject() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw TestFailure("not a JSON object: \(text)")
        }
        return object
    }

    package func header(_ name: String) -> String? {
        headers.first(name: name)
    }
}
