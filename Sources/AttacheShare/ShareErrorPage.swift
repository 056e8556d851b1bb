import AttacheCore
import AttacheHTTP
import Hummingbird

/// How the share face answers an error: a short HTML page for a person's browser, an RFC 9457
/// problem for a script — the same status and `Retry-After` either way.
enum ShareErrorPage {
    @Sendable static func response(_ error: AttacheError, request: Request, context: AttacheRequestContext) throws -> Response {
        guard ShareController.wantsHTML(request) else {
            return try ProblemDetails(error, traceId: context.traceID).response(headers: error.rateLimitHeaders)
        }
        var response = SharePage.failure(error, text: .preferred(by: request)).response(status: error.code.httpStatus)
        response.headers.append(contentsOf: error.rateLimitHeaders)
        return response
    }
}
