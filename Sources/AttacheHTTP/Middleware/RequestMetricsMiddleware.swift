import AttacheCore
import Hummingbird

/// Counts and times every request (``ServiceMetrics/request(face:route:method:status:duration:)``):
/// labelled by face, the matched route pattern — never the raw path, which holds ids — method and
/// status; the time runs until the response body has been written. Outermost, beside the access log.
package struct RequestMetricsMiddleware: RouterMiddleware {
    package typealias Context = AttacheRequestContext
    package let metrics: ServiceMetrics

    package init(metrics: ServiceMetrics) {
        self.metrics = metrics
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard metrics.factory != nil else { return try await next(request, context) }
        let start = ContinuousClock.now
        let method = request.method.rawValue
        do {
            var response = try await next(request, context)
            let status = Int(response.status.code)
            let body = response.body
            response.body = ResponseBody(contentLength: body.contentLength) { writer in
                defer {
                    metrics.request(
                        face: context.observation.face ?? "server", route: context.endpointPath ?? "unmatched", method: method, status: status,
                        duration: ContinuousClock.now - start
                    )
                }
                try await body.write(writer)
            }
            return response
        } catch {
            let status = (error as? any HTTPResponseError).map { Int($0.status.code) } ?? 500
            metrics.request(
                face: context.observation.face ?? "server", route: context.endpointPath ?? "unmatched", method: method, status: status,
                duration: ContinuousClock.now - start
            )
            throw error
        }
    }
}
