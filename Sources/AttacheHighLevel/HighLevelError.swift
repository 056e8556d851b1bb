import AttacheCore
import AttacheHTTP
import HTTPTypes
import Hummingbird

/// HighLevel's error bodies (NestJS): 400 `{statusCode, message}`, 401
/// `{statusCode, message: "Invalid token: access token is invalid", error}`, 422
/// `{statusCode, message: [..], error: "Unprocessable Entity"}`.
enum HighLevelError {
    private struct Message: Encodable {
        var statusCode: Int
        var message: String
        var error: String?
    }

    private struct Messages: Encodable {
        var statusCode: Int
        var message: [String]
        var error: String
    }

    /// HighLevel documents 400, 401 and 422 for these operations, so an unknown contact or field is a 400,
    /// and a file or field that breaks a rule (size, type, unknown or non-file field) a 422.
    static func response(for error: AttacheError, request: Request, context: AttacheRequestContext) throws -> Response {
        switch error.code {
        case .unauthenticated:
            return try JSONResponse.make(
                Message(statusCode: 401, message: "Invalid token: access token is invalid", error: "Unauthorized"), status: .unauthorized
            )
        case .forbidden:
            return try JSONResponse.make(Message(statusCode: 403, message: error.message, error: "Forbidden"), status: .forbidden)
        case .methodNotAllowed:
            // Express has no 405: a method no route takes is NestJS's 404 for an unknown route.
            return try JSONResponse.make(
                Message(statusCode: 404, message: "Cannot \(request.method.rawValue) \(request.uri.path)", error: "Not Found"), status: .notFound
            )
        case .contentTooLarge, .unsupportedMediaType, .contentInfected, .quotaExceeded, .digestMismatch, .invalidInput:
            return try JSONResponse.make(
                Messages(statusCode: 422, message: [error.message], error: "Unprocessable Entity"), status: .unprocessableContent
            )
        case .tooManyRequests:
            // NestJS's ThrottlerGuard.
            return try JSONResponse.make(
                Message(statusCode: 429, message: "ThrottlerException: Too Many Requests", error: nil), status: .tooManyRequests,
                headers: error.rateLimitHeaders
            )
        case .internal, .storageUnavailable, .scanUnavailable:
            let status = error.code.httpStatus
            return try JSONResponse.make(Message(statusCode: status.code, message: status.reasonPhrase, error: nil), status: status)
        default:
            return try JSONResponse.make(Message(statusCode: 400, message: error.message, error: nil), status: .badRequest)
        }
    }
}
