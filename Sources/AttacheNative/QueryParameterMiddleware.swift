import AttacheCore
import AttacheHTTP
import Foundation
import Hummingbird

/// Refuses a query parameter that the operation does not take, naming it (400): a misspelt filter
/// (`?title=`, `?sort=`, `?page=`) must not be ignored and answer as if nothing were asked. What each
/// operation takes comes from the OpenAPI document, so the server holds clients to what it documents.
/// The vendor faces keep their frameworks' habit of ignoring what they do not bind.
struct QueryParameterMiddleware<Context: RequestContext>: RouterMiddleware {

    /// Query parameter names by `METHOD /v1/path/{pattern}`; a failure to read them (a build without
    /// its document) fails every request that has a query, rather than letting any query through.
    let accepted: Result<[String: Set<String>], any Error>

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let query = request.uri.query, !query.isEmpty, let route = context.endpointPath, let start = route.range(of: "/v1/") {
            let method = request.method == .head ? "GET" : request.method.rawValue
            if let names = try accepted.get()["\(method) \(route[start.lowerBound...])"] {
                for key in QueryItems(request).keys where !names.contains(key) {
                    let known = names.isEmpty ? "it takes none" : "it takes " + names.sorted().joined(separator: ", ")
                    throw AttacheError(.invalidInput, "Unknown query parameter '\(key)': \(known).", field: key)
                }
            }
        }
        return try await next(request, context)
    }
}
