import AttacheCore
import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Content opened in the bucket: a `GET` whose response has started and whose body is streamed later.
struct S3BlobReader: BlobReader {
    let contentSize: Int64
    private let response: HTTPClientResponse
    private let emptyRange: Bool

    init(response: HTTPClientResponse, emptyRange: Bool) {
        self.response = response
        self.emptyRange = emptyRange
        // `Content-Range: bytes 0-9/1234` for a range, else `Content-Length` is the whole size.
        let total = response.headers.first(name: "Content-Range").flatMap { $0.split(separator: "/").last }.flatMap { Int64($0) }
        self.contentSize = total ?? response.headers.first(name: "Content-Length").flatMap { Int64($0) } ?? 0
    }

    func stream(into consume: (ByteBuffer) async throws -> Void) async throws {
        if emptyRange {
            _ = try await response.body.collect(upTo: Int(max(contentSize, 0)))
            return
        }
        for try await chunk in response.body {
            try await consume(chunk)
        }
    }
}
