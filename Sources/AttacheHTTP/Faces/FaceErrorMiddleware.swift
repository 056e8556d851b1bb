import AttacheCore
import HTTPTypes
import Hummingbird
import Logging

/// Renders errors thrown below it in a face's own wire format. Each face mounts one through
/// ``FaceRoutes/renderingErrors(with:)``, outside its authentication middleware, so that even a 401 has
/// the vendor's shape.
package struct FaceErrorMiddleware: RouterMiddleware {
    package typealias Context = AttacheRequestContext
    /// Builds the vendor's error response.
    package let render: @Sendable (AttacheError, Request, Context) throws -> Response

    package init(render: @escaping @Sendable (AttacheError, Request, Context) throws -> Response) {
        self.render = render
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let failure = ErrorTranslation.attacheError(from: error, logger: context.logger)
            do {
                return try render(failure, request, context)
            } catch {
                context.logger.error("error response could not be rendered", metadata: ["error": "\(String(reflecting: error))"])
                return JSONResponse.renderingFailed
            }
        }
    }
}
