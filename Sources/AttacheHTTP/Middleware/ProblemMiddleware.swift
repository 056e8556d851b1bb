import AttacheCore
import HTTPTypes
import Hummingbird
import Logging

/// Tags every response with the request id (`X-Request-Id`) and renders anything thrown below it as
/// an RFC 9457 problem whose `traceId` is the request's W3C trace id (also the log's `trace_id`).
package struct ProblemMiddleware: RouterMiddleware {
    package init() {}

    package typealias Context = AttacheRequestContext

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let failure = ErrorTranslation.attacheError(from: error, logger: context.logger)
            var extra = failure.rateLimitHeaders
            if failure.code == .unauthenticated {
                extra[.wwwAuthenticate] = "Bearer realm=\"attache\""
            }
            do {
                response = try ProblemDetails(failure, traceId: context.traceID).response(headers: extra)
            } catch {
                context.logger.error("error response could not be rendered", metadata: ["error": "\(String(reflecting: error))"])
                response = JSONResponse.renderingFailed
            }
        }
        response.headers[.requestID] = context.id
        return response
    }
}
