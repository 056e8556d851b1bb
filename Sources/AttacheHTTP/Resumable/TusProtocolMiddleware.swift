import AttacheCore
import HTTPTypes
import Hummingbird

/// tus 1.0 around the resumable upload routes: a tus request (anything but `OPTIONS` and the JSON
/// `GET`) must send `Tus-Resumable: 1.0.0` — otherwise 412 with the versions spoken — and every
/// answer says the version.
package struct TusProtocolMiddleware: RouterMiddleware {
    package typealias Context = AttacheRequestContext

    package init() {}

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method != .options, request.method != .get, request.headers[.tusResumable] != TusRequest.version {
            let error = AttacheError(.unsupportedProtocolVersion, "This server speaks tus \(TusRequest.version): send Tus-Resumable: \(TusRequest.version).")
            return try ProblemDetails(error, traceId: context.traceID).response(headers: [.tusVersion: TusRequest.version])
        }
        var response = try await next(request, context)
        response.headers[.tusResumable] = TusRequest.version
        return response
    }
}
