import AttacheCore
import AttacheHTTP
import HTTPTypes
import Hummingbird

/// Bloxs' error body, ASP.NET Core's `ValidationProblemDetails`:
/// `{type, title, status, traceId, errors: {field: [messages]}}`.
struct BloxsProblem: Encodable {
    var type: String
    var title: String
    var status: Int
    var traceId: String
    var errors: [String: [String]]?

    static let validationTitle = "One or more validation errors occurred."

    /// Renders a core error as Bloxs does.
    ///
    /// Status choices: Bloxs documents 400, 401, 403, 404, 405, 429, 500 and 503 only, so a file that
    /// is too large or of a refused type is a 400 validation error on `File`; a 401 has an empty body
    /// and `WWW-Authenticate: Bearer`, as ASP.NET's JWT handler answers; a wrong method on a known path is
    /// an empty 405 with `Allow`, as ASP.NET's endpoint routing answers.
    static func response(for error: AttacheError, request: Request, context: AttacheRequestContext) throws -> Response {
        // ASP.NET writes the current Activity's W3C id: the request's trace and the server's span.
        let traceId = context.traceParent
        switch error.code {
        case .unauthenticated:
            return JSONResponse.empty(.unauthorized, headers: [.wwwAuthenticate: "Bearer"])
        case .methodNotAllowed:
            return JSONResponse.empty(.methodNotAllowed)
        case .tooManyRequests:
            // ASP.NET Core's rate limiter rejects with an empty 429.
            return JSONResponse.empty(.tooManyRequests, headers: error.rateLimitHeaders)
        case .notFound:
            let relation = BloxsRelation(rawValue: context.parameters.get("relation") ?? "")?.singularName ?? "relation"
            let body = BloxsProblem(
                type: "https://tools.ietf.org/html/rfc9110#section-15.5.5",
                title: "There was a problem attaching the file to the \(relation)",
                status: 404, traceId: traceId, errors: ["relation": [error.message]]
            )
            return try JSONResponse.make(body, status: .notFound, contentType: "application/problem+json; charset=utf-8")
        case .forbidden, .internal, .storageUnavailable, .scanUnavailable:
            let status = error.code.httpStatus
            let body = BloxsProblem(type: "https://tools.ietf.org/html/rfc9110", title: error.message, status: status.code, traceId: traceId, errors: nil)
            return try JSONResponse.make(body, status: status, contentType: "application/problem+json; charset=utf-8")
        default:
            var errors = error.fieldErrors
            if errors.isEmpty {
                let field = [AttacheError.Code.contentTooLarge, .unsupportedMediaType, .contentInfected, .quotaExceeded, .missingFile, .digestMismatch, .malformedUpload]
                    .contains(error.code) ? "File" : "request"
                errors = [field: [error.message]]
            }
            let body = BloxsProblem(
                type: "https://tools.ietf.org/html/rfc9110#section-15.5.1",
                title: validationTitle, status: 400, traceId: traceId, errors: errors
            )
            return try JSONResponse.make(body, status: .badRequest, contentType: "application/problem+json; charset=utf-8")
        }
    }
}
