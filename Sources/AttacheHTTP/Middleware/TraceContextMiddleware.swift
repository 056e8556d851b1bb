import Hummingbird
import Logging

/// Outermost: joins the caller's W3C trace (`traceparent`, `tracestate`) or starts one, names the trace
/// in every log line of the request (`trace_id`) and sends the server's span back (`traceresponse`).
package struct TraceContextMiddleware: RouterMiddleware {
    package typealias Context = AttacheRequestContext

    package init() {}

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let trace = RequestTrace(traceParent: request.headers[.traceParent], traceState: request.headers[.traceState])
        context.trace = trace
        context.logger[metadataKey: "trace_id"] = .string(trace.traceID)
        var response = try await next(request, context)
        response.headers[.traceResponse] = trace.traceParent
        return response
    }
}
