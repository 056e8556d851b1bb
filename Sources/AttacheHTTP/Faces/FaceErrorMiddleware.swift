import AttacheCore
import HTTPTypes
import Hummingbird

/// Renders errors thrown below it in a face's own wire format. Each face mounts one with its renderer,
/// outside its authentication middleware, so that even a 401 has the vendor's shape.
struct FaceErrorMiddleware: RouterMiddleware {
    typealias Context = AttacheRequestContext
    /// Builds the vendor's error response.
    let render: @Sendable (AttacheError, Request, Context) -> Response

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return render(ErrorTranslation.attacheError(from: error, logger: context.logger), request, context)
        }
    }
}
