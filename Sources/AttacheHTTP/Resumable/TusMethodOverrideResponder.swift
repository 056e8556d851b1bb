import HTTPTypes
import Hummingbird

/// tus 1.0: a client in an environment that can send only GET and POST says the real method in
/// `X-HTTP-Method-Override`, and the server must take it. Routing happens on the method, so this
/// wraps the whole router: a tus request (it carries `Tus-Resumable`) sent as POST with an override
/// of PATCH, DELETE or HEAD is routed as that method. Anything else passes unchanged.
package struct TusMethodOverrideResponder<Base: HTTPResponder>: HTTPResponder where Base.Context == AttacheRequestContext {
    package typealias Context = AttacheRequestContext
    static var methodOverride: HTTPField.Name { .literal("X-HTTP-Method-Override") }
    static var overridable: Set<HTTPRequest.Method> { [.patch, .delete, .head] }

    let base: Base

    package init(_ base: Base) {
        self.base = base
    }

    package func respond(to request: Request, context: Context) async throws -> Response {
        guard request.method == .post, request.headers[.tusResumable] != nil,
            let text = request.headers[Self.methodOverride], let method = HTTPRequest.Method(text.uppercased()),
            Self.overridable.contains(method)
        else {
            return try await base.respond(to: request, context: context)
        }
        var head = request.head
        head.method = method
        return try await base.respond(to: Request(head: head, body: request.body), context: context)
    }
}
