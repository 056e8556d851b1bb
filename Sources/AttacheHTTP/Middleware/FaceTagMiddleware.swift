import AttacheCore
import Hummingbird

/// Marks a request as one of `face`'s (added to every group a face mounts), for the access log and
/// the request metrics.
package struct FaceTagMiddleware: RouterMiddleware {
    package typealias Context = AttacheRequestContext
    package let face: Face

    package init(face: Face) {
        self.face = face
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        context.observation.face = face.rawValue
        return try await next(request, context)
    }
}
