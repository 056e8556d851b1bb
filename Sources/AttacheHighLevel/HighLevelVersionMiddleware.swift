import AttacheCore
import AttacheHTTP
import HTTPTypes
import Hummingbird

/// Requires HighLevel's `Version` header: `2021-07-28`, or `v3`, which HighLevel's current SDK sends for
/// the same operations. Anything else is a 400.
struct HighLevelVersionMiddleware: RouterMiddleware {
    typealias Context = AuthenticatedRequestContext
    static let acceptedVersions: Set<String> = ["2021-07-28", "v3"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let version = request.headers[.highLevelVersion] else {
            throw AttacheError(.malformedUpload, "version header was not found")
        }
        guard Self.acceptedVersions.contains(version) else {
            throw AttacheError(.malformedUpload, "Version \(version) is not supported; use 2021-07-28")
        }
        return try await next(request, context)
    }
}
