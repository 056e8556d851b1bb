import HTTPTypes
import Hummingbird

/// Puts `Allow` on the responses of wrong-method answers.
package struct AllowHeaderMiddleware: RouterMiddleware {
    package typealias Context = AttacheRequestContext
    package let allow: String

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        if response.status == .methodNotAllowed {
            response.headers[.allow] = allow
        }
        return response
    }
}
