import AttacheCore
import HTTPTypes
import Hummingbird

/// Where a face adds its routes: a router group that also records which methods each path answers,
/// so that ``answerOtherMethods()`` can give every other method on a known path the face's own
/// "method not allowed" answer (with `Allow`), as the vendor's framework does, instead of a 404.
///
/// A face names its error renderer with ``renderingErrors(with:)``, which mounts it (a
/// ``FaceErrorMiddleware``) and keeps it for the wrong-method answers; a face without one (the native
/// API) answers an RFC 9457 problem.
package struct FaceRoutes: RouterMethods {
    package typealias Context = AttacheRequestContext

    /// What every ``FaceRoutes`` derived from one mount shares.
    package final class Table: @unchecked Sendable {
        // Filled while routes are added, on one task, before the server starts.
        var methods: [String: (path: RouterPath, methods: Set<HTTPRequest.Method>)] = [:]
        var render: (@Sendable (AttacheError, Request, Context) throws -> Response)?
    }

    /// The methods a wrong-method answer is given for.
    package static let answeredMethods: [HTTPRequest.Method] = [
        .get, .head, .post, .put, .patch, .delete, .options, .trace, HTTPRequest.Method("QUERY") ?? .get,
    ]

    private let group: RouterGroup<Context>
    /// Makes a fresh group at the mount path (a group's middleware list is shared by all that add to it).
    private let mount: () -> RouterGroup<Context>
    private let table: Table

    package init(_ mount: @escaping () -> RouterGroup<Context>) {
        self.group = mount()
        self.mount = mount
        self.table = Table()
    }

    private init(group: RouterGroup<Context>, mount: @escaping () -> RouterGroup<Context>, table: Table) {
        self.group = group
        self.mount = mount
        self.table = table
    }

    @discardableResult package func on<Responder: HTTPResponder>(
        _ path: RouterPath, method: HTTPRequest.Method, responder: Responder
    ) -> FaceRoutes where Responder.Context == Context {
        group.on(path, method: method, responder: responder)
        let key = path.description
        table.methods[key, default: (path, [])].methods.insert(method)
        return self
    }

    package func add(middleware: any MiddlewareProtocol<Request, Response, Context>) -> FaceRoutes {
        FaceRoutes(group: group.add(middleware: middleware), mount: mount, table: table)
    }

    /// Routes whose errors `render` answers in the face's wire format — those added below, and the
    /// wrong-method answers of ``answerOtherMethods()``. Mount it outside authentication, so that even a
    /// 401 has the vendor's shape.
    package func renderingErrors(with render: @escaping @Sendable (AttacheError, Request, Context) throws -> Response) -> FaceRoutes {
        table.render = render
        return add(middleware: FaceErrorMiddleware(render: render))
    }

    /// Adds the wrong-method answers for every path added so far. Call once, after the face's routes.
    package func answerOtherMethods() {
        let render = table.render ?? { error, _, context in try ProblemDetails(error, traceId: context.traceID).response() }
        for (path, methods) in table.methods.values {
            var allowed = methods
            if allowed.contains(.get) { allowed.insert(.head) }
            let allow = Self.answeredMethods.filter(allowed.contains).map(\.rawValue).joined(separator: ", ")
            let answer = mount()
                .add(middleware: AllowHeaderMiddleware(allow: allow))
                .add(middleware: FaceErrorMiddleware(render: render))
            for method in Self.answeredMethods where !allowed.contains(method) {
                answer.on(path, method: method) { request, _ -> Response in
                    throw AttacheError(
                        .methodNotAllowed, "The \(request.method.rawValue) method is not supported for this route. Supported methods: \(allow)."
                    )
                }
            }
        }
    }
}
