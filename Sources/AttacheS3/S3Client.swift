import AttacheCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Signed requests to one bucket of an S3-compatible service.
struct S3Client: Sendable {
    let configuration: S3Configuration
    let signer: S3Signer
    let http: HTTPClient

    init(configuration: S3Configuration, http: HTTPClient = .shared) {
        self.configuration = configuration
        self.signer = S3Signer(
            accessKeyID: configuration.accessKeyID, secretAccessKey: configuration.secretAccessKey, region: configuration.region
        )
        self.http = http
    }

    /// The status and headers of a request whose (small) body has been read and dropped.
    struct Reply: Sendable {
        var status: HTTPResponseStatus
        var headers: HTTPHeaders
    }

    /// Sends a request for `key` (or the bucket itself); the response body is drained.
    /// - Throws: `storageUnavailable` (with the ``S3Error``) for a status outside 200–299, unless `allowing` lists it.
    @discardableResult
    func send(
        _ method: HTTPMethod,
        key: String? = nil,
        query: [(String, String)] = [],
        headers: [(String, String)] = [],
        body: HTTPClientRequest.Body? = nil,
        allowing allowed: Set<UInt> = []
    ) async throws -> Reply {
        let response = try await execute(method, key: key, query: query, headers: headers, body: body, allowing: allowed)
        _ = try await response.body.collect(upTo: 1024 * 1024)
        return Reply(status: response.status, headers: response.headers)
    }

    /// Sends a request and returns the response with its body unread, for streaming it.
    func stream(_ method: HTTPMethod, key: String, headers: [(String, String)] = [], allowing allowed: Set<UInt> = []) async throws -> HTTPClientResponse {
        try await execute(method, key: key, query: [], headers: headers, body: nil, allowing: allowed)
    }

    /// Sends a request and returns its whole (small) body as text.
    func text(_ method: HTTPMethod, key: String? = nil, query: [(String, String)] = [], headers: [(String, String)] = [], body: ByteBuffer? = nil) async throws -> String {
        let response = try await execute(method, key: key, query: query, headers: headers, body: body.map { .bytes($0) }, allowing: [])
        return String(buffer: try await response.body.collect(upTo: 16 * 1024 * 1024))
    }

    /// A URL that lets anyone `GET` `key` for `lifetime` seconds, with `query` (e.g. S3's
    /// `response-content-disposition`) signed in.
    func presignedURL(key: String, query: [(String, String)], lifetime: Int) -> String {
        let path = objectPath(key)
        return configuration.endpoint + path + "?" + signer.presign(method: "GET", path: path, host: host, query: query, lifetime: lifetime)
    }

    private func objectPath(_ key: String?) -> String {
        "/" + S3Signer.encode(configuration.bucket) + (key.map { "/" + S3Signer.encode($0, keepSlash: true) } ?? "")
    }

    /// The endpoint's `host[:port]`, as signed.
    private var host: String {
        URLComponents(string: configuration.endpoint).map { components in
            (components.host ?? "") + (components.port.map { ":\($0)" } ?? "")
        } ?? ""
    }

    private func execute(
        _ method: HTTPMethod,
        key: String?,
        query: [(String, String)],
        headers: [(String, String)],
        body: HTTPClientRequest.Body?,
        allowing allowed: Set<UInt>
    ) async throws -> HTTPClientResponse {
        let path = objectPath(key)
        let queryString = query.map { "\(S3Signer.encode($0.0))=\(S3Signer.encode($0.1))" }.joined(separator: "&")
        var request = HTTPClientRequest(url: configuration.endpoint + path + (queryString.isEmpty ? "" : "?" + queryString))
        request.method = method
        let signedHeaders = [("host", host)] + headers.filter { $0.0.lowercased().hasPrefix("x-amz-") }
        for (name, value) in signer.sign(method: method.rawValue, path: path, query: query, headers: signedHeaders) + headers {
            request.headers.add(name: name, value: value)
        }
        if let body { request.body = body }
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .seconds(300))
        } catch let error as HTTPClientError {
            // Object storage that cannot be reached is unavailable storage, not a server bug.
            throw AttacheError(.storageUnavailable, "Object storage is not reachable; try again.", underlying: String(describing: error))
        }
        let status = response.status.code
        guard (200..<300).contains(status) || allowed.contains(status) else {
            let text = String(buffer: try await response.body.collect(upTo: 64 * 1024))
            throw S3Error(status: status, message: XMLText.values(of: "Message", in: text).first ?? text).unavailable
        }
        return response
    }
}

/// An S3 request that failed.
struct S3Error: Error, CustomStringConvertible {
    var status: UInt
    var message: String
    var description: String { "S3 answered \(status): \(message)" }

    /// How a refused request reaches the service: for a client, object storage that fails (5xx,
    /// SlowDown) or refuses (a staged object or multipart upload that a `gc` removed, credentials) is
    /// storage being unavailable, answered 503, with S3's words in the log.
    var unavailable: AttacheError {
        AttacheError(.storageUnavailable, "Object storage is not available; try again.", underlying: description)
    }
}
