import AttacheCore
import HTTPTypes
import Hummingbird
import Logging

/// Outermost middleware: tags every response with the request id (`X-Request-Id`, the `traceId` of error
/// bodies and of the log) and renders anything thrown below it as an RFC 9457 problem.
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
                response = try ProblemDetails(failure, traceId: context.id).response(headers: extra)
            } catch {
                context.logger.error("error response could not be rendered", metadata: ["error": "\(String(reflecting: error))"])
                response = JSONResponse.renderingFailed
            }
        }
        response.headers[.requestID] = context.id
        return response
    }
}
