import Hummingbird
import Logging

/// Logs one line per request: method, path (never the query, which can hold a signed link's
/// signature), status and duration, with the request id and tenant from the logger's metadata.
package struct AccessLogMiddleware: RouterMiddleware {
    package typealias Context = AttacheRequestContext
    package var level: Logger.Level = .info

    package init(level: Logger.Level = .info) {
        self.level = level
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        context.logger.log(
            level: level,
            "\(request.method) \(request.uri.path) \(response.status.code)",
            metadata: ["duration_ms": .stringConvertible((milliseconds * 10).rounded() / 10)]
        )
        return response
    }
}
