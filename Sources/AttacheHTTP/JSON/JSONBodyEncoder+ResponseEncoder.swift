public import AttacheJSON
import HTTPTypes
public import Hummingbird
import NIOCore

/// Every face answers its JSON through the one writer (``JSONBodyEncoder``), with one `Content-Type`.
extension JSONBodyEncoder: ResponseEncoder {
    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        let bytes = try encode(value)
        var headers = HTTPFields()
        headers[.contentType] = JSONResponse.mediaType
        headers[.contentLength] = String(bytes.count)
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
