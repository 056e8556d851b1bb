import Hummingbird
import Logging

/// Logs one line per request: method, path (never the query, which can hold a signed link's
/// signature), route pattern, status, duration and body size, with the request id, and the face and
/// tenant once known.
package struct AccessLogMiddleware: RouterMiddleware {
    package typealias Context = AttacheRequestContext
    package var level: Logger.Level = .info

    package init(level: Logger.Level = .info) {
        self.level = level
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        guard context.logger.logLevel <= level else { return response }
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        var metadata: Logger.Metadata = [
            "duration_ms": .stringConvertible((milliseconds * 10).rounded() / 10),
            "status": .stringConvertible(Int(response.status.code)),
            "method": .string(request.method.rawValue),
            "route": .string(context.endpointPath ?? "unmatched"),
        ]
        if let bytes = response.body.contentLength { metadata["bytes"] = .stringConvertible(bytes) }
        if let face = context.observation.face { metadata["face"] = .string(face) }
        if let tenant = context.observation.tenant { metadata["tenant"] = .string(tenant) }
        context.logger.log(level: level, "\(request.method) \(request.uri.path) \(response.status.code)", metadata: metadata)
        return response
    }
}
