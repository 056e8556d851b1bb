import AsyncHTTPClient
import AttacheCore
import AttacheApplication
import AttacheHTTP
import AttacheOnlyOffice
import AttacheSQL
import AttacheSQLite
import AttacheWebhooks
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import ServiceLifecycle
import NIOCore
import NIOHTTP1

/// A real Attache server over a real SQLite file and a temporary data folder (or PostgreSQL and S3:
/// ``TestMetadata``, ``TestBlobs``): on a loopback port (``Mode/live``), or driven through its router
/// without a socket (``Mode/router``, HummingbirdTesting's router mode) for tests of what goes over
/// the wire — request and response shapes — that need no connection of their own (100-continue,
/// disconnects, slow clients, drain and real clients keep the live server).
package struct TestServer: Sendable {
    package enum Mode: Sendable {
        case live
        case router
    }

    /// Where requests go.
    package enum Transport: Sendable {
        case live(HTTPClient)
        case router(any TestClientProtocol)
    }

    /// The live server's port; 0 in router mode.
    package let port: Int
    package let folder: URL
    package let service: AttacheService
    package let blobs: any BlobStore
    package let tenant: Tenant
    package let writeToken: String
    package let readToken: String
    package let adminToken: String
    /// A second tenant with its own write token, for isolation tests.
    package let otherTenant: Tenant
    package let otherToken: String
    package let transport: Transport
    /// How the server's webhooks go out: to loopback too unless the test gave another policy.
    package let webhookTransport: HTTPWebhookTransport

    package var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The live server's HTTP client. - Throws: in router mode, which has none.
    package var client: HTTPClient {
        get throws {
            guard case .live(let client) = transport else { throw TestFailure("a router-mode server has no HTTP client") }
            return client
        }
    }
    /// Webhooks of test servers may reach loopback, where the tests' receivers listen.
    package static let loopbackWebhooks = WebhookAddressPolicy(allowedNetworks: [IPNetwork("127.0.0.0/8"), IPNetwork("::1/128")].compactMap { $0 })

    /// The bearer token of every test server's `/metrics`.
    package static let metricsToken = "metrics-secret"

    /// Starts a server, runs `body` against it, and stops it.
    package static func with<Result: Sendable>(
        mode: Mode = .live,
        maximumFileSize: Int64 = UploadPolicy.defaultMaximumFileSize,
        signedURLLifetime: TimeInterval = URLSigner.defaultLifetime,
        publicURL: String? = nil,
        onlyOfficeFormat: OnlyOfficeWireFormat = .documented,
        prefixes: [Face: String] = [:],
        idleTimeout: Duration = .seconds(60),
        logLevel: Logger.Level = .warning,
        scanning: UploadScanning? = nil,
        requestLimits: RateLimiter? = nil,
        resumableLimits: ResumableUploadLimits = ResumableUploadLimits(),
        firstSignInLockout: Duration = .seconds(1),
        webhookPolicy: WebhookAddressPolicy = TestServer.loopbackWebhooks,
        _ body: @Sendable (TestServer) async throws -> Result
    ) async throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("attache-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var logger = Logger(label: "attache.test")
        logger.logLevel = logLevel
        let registry = PrometheusCollectorRegistry()
        let metrics = ServiceMetrics(factory: PrometheusMetricsFactory(registry: registry))
        let (metadata, closeStore) = try await TestMetadata.make(folder: folder, logger: logger, metrics: metrics)
        let blobs = try await TestBlobs.make(folder: folder)
        let webhookTransport = HTTPWebhookTransport(policy: webhookPolicy)
        let closeMetadata = {
            await webhookTransport.shutdown()
            await closeStore()
        }
        let service = AttacheService(
            metadata: metadata,
            blobs: blobs,
            policy: try UploadPolicy(maximumFileSize: maximumFileSize),
            logger: logger,
            scanning: scanning,
            requestLimits: requestLimits,
            metrics: metrics,
            resumableLimits: resumableLimits,
            webhookTransport: webhookTransport,
            firstSignInLockout: firstSignInLockout
        )
        let tenant = try await service.createTenant(slug: "acme", name: "Acme")
        let other = try await service.createTenant(slug: "globex", name: "Globex")
        let write = try await service.createToken(tenantSlug: "acme", scope: .write, label: nil).secret
        let read = try await service.createToken(tenantSlug: "acme", scope: .read, label: nil).secret
        let admin = try await service.createToken(tenantSlug: "acme", scope: .admin, label: nil).secret
        let otherWrite = try await service.createToken(tenantSlug: "globex", scope: .write, label: nil).secret

        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = AttacheServer.buildApplication(
            service: service,
            settings: ServerSettings(
                host: "127.0.0.1", port: 0, publicURL: publicURL, maximumRequestSize: maximumFileSize + 1024 * 1024,
                prefixes: prefixes, onlyOfficeWireFormat: onlyOfficeFormat, idleTimeout: idleTimeout,
                metrics: MetricsEndpoint(registry: registry, token: Self.metricsToken)
            ),
            signer: URLSigner(secret: Array(repeating: 7, count: 32), lifetime: signedURLLifetime),
            logger: logger,
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            }
        )
        if mode == .router {
            let result: Result
            do {
                result = try await app.test(.router) { client in
                    try await body(TestServer(
                        port: 0, folder: folder, service: service, blobs: blobs, tenant: tenant, writeToken: write, readToken: read,
                        adminToken: admin, otherTenant: other, otherToken: otherWrite, transport: .router(client), webhookTransport: webhookTransport
                    ))
                }
            } catch {
                await closeMetadata()
                throw error
            }
            await closeMetadata()
            return result
        }
        // Generous waits and enough connections: twenty parallel uploads on a loaded machine (and S3)
        // must not time out in the client's pool.
        var clientConfiguration = HTTPClient.Configuration(timeout: .init(connect: .seconds(60), read: .seconds(120)))
        clientConfiguration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 32)
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: clientConfiguration)
        let result: Result
        do {
            result = try await ServiceGroup.serving(app, logger: logger, ports: portStream, what: "the server") { port in
                try await body(TestServer(
                    port: port, folder: folder, service: service, blobs: blobs, tenant: tenant, writeToken: write, readToken: read, adminToken: admin,
                    otherTenant: other, otherToken: otherWrite, transport: .live(client), webhookTransport: webhookTransport
                ))
            }
        } catch {
            try await client.shutdown()
            await closeMetadata()
            throw error
        }
        try await client.shutdown()
        await closeMetadata()
        return result
    }

    /// Sends a request and collects the whole response.
    package func send(
        _ method: HTTPMethod,
        _ path: String,
        token: String? = nil,
        headers: [(String, String)] = [],
        body: ByteBuffer? = nil
    ) async throws -> TestResponse {
        switch transport {
        case .live(let client):
            var request = HTTPClientRequest(url: path.hasPrefix("http") ? path : baseURL + path)
            request.method = method
            if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            if let body { request.body = .bytes(body) }
            let response = try await client.execute(request, timeout: .seconds(120))
            let bytes = try await response.body.collect(upTo: 200 * 1024 * 1024)
            return TestResponse(status: Int(response.status.code), headers: response.headers, body: bytes)
        case .router(let client):
            // What a client's HTTP library adds (the router-mode client gives the Host): the body's length.
            var fields: HTTPFields = [:]
            if let token { fields[.authorization] = "Bearer \(token)" }
            for (name, value) in headers {
                guard let field = HTTPField.Name(name) else { throw TestFailure("not a header name: \(name)") }
                fields.append(HTTPField(name: field, value: value))
            }
            if let body, fields[.contentLength] == nil { fields[.contentLength] = String(body.readableBytes) }
            let uri = path.hasPrefix("http") ? String(path.drop { $0 != "/" }.dropFirst(2).drop { $0 != "/" }) : path
            let response = try await client.executeRequest(uri: uri, method: HTTPRequest.Method(method.rawValue) ?? .get, headers: fields, body: body)
            var headers = HTTPHeaders()
            for field in response.headers { headers.add(name: field.name.rawName, value: field.value) }
            return TestResponse(status: Int(response.status.code), headers: headers, body: response.body)
        }
    }

    /// Sends JSON.
    package func sendJSON(_ method: HTTPMethod, _ path: String, token: String?, json: String) async throws -> TestResponse {
        try await send(method, path, token: token, headers: [("Content-Type", "application/json")], body: ByteBuffer(string: json))
    }

    /// Uploads a multipart form.
    package func upload(_ path: String, token: String?, form: MultipartForm, extraHeaders: [(String, String)] = []) async throws -> TestResponse {
        try await send(.POST, path, token: token, headers: [("Content-Type", form.contentType)] + extraHeaders, body: form.body)
    }

    /// Creates a record and returns its JSON.
    package func createRecord(type: String = "person", externalIdentifier: String? = nil, token: String? = nil) async throws -> [String: Any] {
        let ext = externalIdentifier.map { ",\"externalIdentifier\":\"\($0)\"" } ?? ""
        let response = try await sendJSON(.POST, "/v1/records", token: token ?? writeToken, json: "{\"type\":\"\(type)\"\(ext)}")
        guard response.status == 201 else { throw TestFailure("record not created: \(response.status) \(response.text)") }
        return try response.jsonObject()
    }

    /// Creates a record and returns its `uuid` and numeric `id`.
    package func record(type: String, externalIdentifier: String? = nil, title: String? = nil, token: String? = nil) async throws -> (uuid: String, id: Int, reference: String) {
        var fields = ["\"type\":\"\(type)\""]
        if let externalIdentifier { fields.append("\"externalIdentifier\":\"\(externalIdentifier)\"") }
        if let title { fields.append("\"title\":\"\(title)\"") }
        let response = try await sendJSON(.POST, "/v1/records", token: token ?? writeToken, json: "{" + fields.joined(separator: ",") + "}")
        let json = try response.jsonObject()
        guard let uuid = json["uuid"] as? String, let id = json["id"] as? Int, let reference = json["reference"] as? String else {
            throw TestFailure("record not created: \(response.text)")
        }
        return (uuid, id, reference)
    }

    /// Sends a request with raw headers (no bearer added) and an optional body.
    package func sendRaw(_ method: HTTPMethod, _ path: String, headers: [(String, String)], body: ByteBuffer? = nil) async throws -> TestResponse {
        try await send(method, path, headers: headers, body: body)
    }

    /// How many uploads the blob store holds staged (in flight, or left over).
    package func stagedCount() async throws -> Int {
        try await blobs.countStagedContent()
    }

    /// Every stored blob, as the blob store lists them.
    package func storedBlobs() async throws -> [BlobAddress] {
        var addresses: [BlobAddress] = []
        try await blobs.forEachBlob { address, _ in addresses.append(address) }
        return addresses
    }
}

package struct TestFailure: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
