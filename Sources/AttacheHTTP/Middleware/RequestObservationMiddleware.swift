import AttacheCore
import Hummingbird
import Logging

/// Outermost: everything the server records about a request, in one pass (each middleware layer costs
/// an async frame per request, so these share one):
/// - **trace**: joins the caller's W3C trace (`traceparent`, `tracestate`) or starts one, names it in
///   every log line of the request (`trace_id`) and sends the server's span back (`traceresponse`);
/// - **access log**: one line per request — method, path (never the query, which can hold a signed
///   link's signature), route pattern, status, duration, body size, face and tenant;
/// - **metrics**: ``ServiceMetrics/request(face:route:method:status:duration:)``, labelled by face,
///   route pattern (never the raw path), method and status, timed until the body has been written.
package struct RequestObservationMiddleware: RouterMiddleware {
    package typealias Context = AttacheRequestContext
    package let metrics: ServiceMetrics
    package var logLevel: Logger.Level = .info

    package init(metrics: ServiceMetrics, logLevel: Logger.Level = .info) {
        self.metrics = metrics
        self.logLevel = logLevel
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var context = context
        let trace = RequestTrace(traceParent: request.headers[.traceParent], traceState: request.headers[.traceState])
        context.trace = trace
        context.logger[metadataKey: "trace_id"] = .string(trace.traceID)
        let method = request.method.rawValue
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let status = (error as? any HTTPResponseError).map { Int($0.status.code) } ?? 500
            record(context, method: method, status: status, since: start)
            throw error
        }
        response.headers[.traceResponse] = trace.traceParent
        log(request, response, context: context, since: start)
        guard metrics.factory != nil else { return response }
        let status = Int(response.status.code)
        let body = response.body
        let observed = context
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            defer { record(observed, method: method, status: status, since: start) }
            try await body.write(writer)
        }
        return response
    }

    private func record(_ context: Context, method: String, status: Int, since start: ContinuousClock.Instant) {
        metrics.request(
            face: context.observation.face ?? "server", route: context.endpointPath ?? "unmatched", method: method, status: status,
            duration: ContinuousClock.now - start
        )
    }

    private func log(_ request: Request, _ response: Response, context: Context, since start: ContinuousClock.Instant) {
        guard context.logger.logLevel <= logLevel else { return }
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        var metadata: Logger.Metadata = [
            "duration_ms": .stringConvertible((milliseconds * 10).rounded() / 10),
            "status": .stringConvertible(Int(response.status.code)),
            "method": .string(request.method.rawValue),
            "route": .string(context.endpointPath ?? "unmatched"),
        ]
        if let bytes = response.body.contentLength { metadata["bytes"] = .stringConvertible(bytes) }
        if let face = context.observation.face { metadata["face"] = .string(face) }
        if let tenant = context.observation.tenant { metadata["tenant"] = .string(tenant) }
        context.logger.log(level: logLevel, "\(request.method) \(request.uri.path) \(response.status.code)", metadata: metadata)
    }
}
