import AttacheCore
import AttacheHTTP
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Prometheus

/// Serves `GET /metrics` from the endpoint's registry, behind its token when it has one.
struct MetricsController: Sendable {
    let endpoint: MetricsEndpoint

    func addRoutes(to router: FaceRoutes) {
        router.get("metrics") { request, _ in
            try authorize(request)
            var bytes: [UInt8] = []
            bytes.reserveCapacity(16 * 1024)
            endpoint.registry.emit(into: &bytes)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
            )
        }
    }

    /// Compares the bearer token in constant time (through its digest).
    private func authorize(_ request: Request) throws(AttacheError) {
        guard let token = endpoint.token else { return }
        let header = request.headers[.authorization] ?? ""
        let given = header.lowercased().hasPrefix("bearer ") ? String(header.dropFirst(7)) : ""
        guard SHA256.hash(data: Data(given.utf8)) == SHA256.hash(data: Data(token.utf8)) else {
            throw AttacheError(.unauthenticated, "/metrics needs the metrics token.")
        }
    }
}
