import AttacheCore
import Hummingbird
import Logging
import Tracing

/// Outermost: everything the server records about a request, in one pass (each middleware layer costs
/// an async frame per request, so these share one):
/// - **trace**: joins the caller's W3C trace (`traceparent`, `tracestate`) or starts one, names it in
///   every log line of the request (`trace_id`) and sends the server's span back (`traceresponse`);
///   with `tracesRequests`, that span is the installed tracer's (swift-distributed-tracing): named
///   `METHOD /route/pattern`, current while the request is handled and its body written (so the
///   service's spans nest in it), ended when the last byte has gone;
/// - **access log**: one line per request — method, path (never the query, which can hold a signed
///   link's signature), route pattern, status, duration, body size, face and tenant;
/// - **metrics**: ``ServiceMetrics/request(face:route:method:status:duration:)``, labelled by face,
///   route pattern (never the raw path), method and status, timed until the body has been written.
package struct RequestObservationMiddleware: RouterMiddleware {
    package typealias Context = AttacheRequestContext
    package let metrics: ServiceMetrics
    package var logLevel: Logger.Level = .info
    /// Whether each request gets a span from the installed tracer (set when spans are exported).
    package var tracesRequests: Bool

    package init(metrics: ServiceMetrics, logLevel: Logger.Level = .info, tracesRequests: Bool = false) {
        self.metrics = metrics
        self.logLevel = logLevel
        self.tracesRequests = tracesRequests
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var context = context
        let span = tracesRequests ? startSpan(for: request) : nil
        let trace = span.flatMap(RequestTrace.init(span:))
            ?? RequestTrace(traceParent: request.headers[.traceParent], traceState: request.headers[.traceState])
        context.trace = trace
        context.logger[metadataKey: "trace_id"] = .string(trace.traceID)
        let method = request.method.rawValue
        var response: Response
        do {
            response = try await ServiceContext.withValue(span?.context ?? ServiceContext.current) {
                try await next(request, context)
            }
        } catch {
            let status = (error as? any HTTPResponseError).map { Int($0.status.code) } ?? 500
            record(context, method: method, status: status, since: start)
            span.map { end($0, context: context, status: status, error: error) }
            throw error
        }
        response.headers[.traceResponse] = trace.traceParent
        log(request, response, context: context, since: start)
        guard metrics.factory != nil || span != nil else { return response }
        let status = Int(response.status.code)
        let body = response.body
        let observed = context
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            do {
                try await ServiceContext.withValue(span?.context ?? ServiceContext.current) {
                    try await body.write(writer)
                }
            } catch {
                record(observed, method: method, status: status, since: start)
                span.map { end($0, context: observed, status: status, error: error) }
                throw error
            }
            record(observed, method: method, status: status, since: start)
            span.map { end($0, context: observed, status: status, error: nil) }
        }
        return response
    }

    /// The request's server span, a child of the caller's when it sent a trace context.
    private func startSpan(for request: Request) -> any Span {
        var parent = ServiceContext.topLevel
        InstrumentationSystem.instrument.extract(request.headers, into: &parent, using: RequestHeaderExtractor())
        let span = Tracing.startSpan(request.method.rawValue, context: parent, ofKind: .server)
        span.attributes["http.request.method"] = request.method.rawValue
        span.attributes["url.path"] = request.uri.path
        return span
    }

    /// Names the span by its route (OpenTelemetry's HTTP conventions), records the outcome and ends it.
    private func end(_ span: any Span, context: Context, status: Int, error: (any Error)?) {
        if let route = context.endpointPath {
            span.operationName = "\(span.operationName) \(route)"
            span.attributes["http.route"] = route
        }
        span.attributes["http.response.status_code"] = status
        if let face = context.observation.face { span.attributes["attache.face"] = face }
        if let tenant = context.observation.tenant { span.attributes["attache.tenant"] = tenant }
        if let error { span.recordError(error) }
        if status >= 500 || error != nil { span.setStatus(SpanStatus(code: .error)) }
        span.end()
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
