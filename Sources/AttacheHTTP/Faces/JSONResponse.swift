import AttacheJSON
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// JSON responses of every face, written by ``JSONBodyEncoder``, with one `Content-Type`.
package enum JSONResponse {
    package static let mediaType = "application/json; charset=utf-8"

    /// - Parameters:
    ///   - contentType: the media type (a face's problem type, say); it replaces the default.
    ///   - keys: how property names are written (ONLYOFFICE's documented PascalCase).
    /// - Throws: the encoder's error, which the error middleware answers as a 500.
    package static func make(
        _ value: some Encodable,
        status: HTTPResponse.Status = .ok,
        contentType: String = mediaType,
        headers extra: HTTPFields = [:],
        keys: JSONBodyEncoder.KeyStyle = .asDeclared
    ) throws -> Response {
        let data = try JSONBodyEncoder(keys: keys).encode(value)
        var headers = extra
        headers[.contentType] = contentType
        headers[.contentLength] = String(data.count)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// An empty-bodied response.
    package static func empty(_ status: HTTPResponse.Status, headers extra: HTTPFields = [:]) -> Response {
        var headers = extra
        headers[.contentLength] = "0"
        return Response(status: status, headers: headers)
    }

    /// What an error renderer answers when it cannot render: a bare 500.
    package static let renderingFailed = Response(
        status: .internalServerError,
        headers: [.contentType: "text/plain; charset=utf-8", .contentLength: "21"],
        body: ResponseBody(byteBuffer: ByteBuffer(string: "Internal Server Error"))
    )
}
