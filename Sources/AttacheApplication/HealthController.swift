import AttacheHTTP
import AttacheCore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Liveness (`/healthz`, with the build's version), readiness (`/readyz`: both stores answer and the server is not draining)
/// and the OpenAPI document.
struct HealthController: Sendable {
    let service: AttacheService
    let readiness: Readiness

    func addRoutes(to router: FaceRoutes) {
        router.get("healthz") { _, _ in Self.json(#"{"status":"ok","version":"\#(AttacheVersion.current)"}"#) }
        router.get("readyz") { _, _ in
            guard !readiness.isDraining else {
                var response = Self.json(#"{"status":"draining"}"#)
                response.status = .serviceUnavailable
                return response
            }
            try await service.checkReadiness()
            return Self.json(#"{"status":"ready"}"#)
        }
        router.get("openapi.json") { _, _ in
            var response = Self.json(String(decoding: try OpenAPIDocument.data(), as: UTF8.self))
            response.headers[.cacheControl] = "public, max-age=300"
            return response
        }
    }

    private static func json(_ text: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }
}
