import Tracing
import W3CTraceContext

/// The W3C trace a request belongs to, and this server's span in it. The trace id is the problems'
/// `traceId` and the log's `trace_id`; the server's span goes back in `traceresponse`. Only text is
/// kept: the context is copied at every middleware hop.
package struct RequestTrace: Sendable {
    /// `00-<trace id>-<span id>-<flags>`.
    package let traceParent: String

    /// Without a tracer: the caller's trace when it sent a valid `traceparent` (its flags kept), else a
    /// new one, with a span id of the server's own.
    package init(traceParent incoming: String?, traceState: String?) {
        var generator = TraceIDGenerator()
        // A malformed traceparent starts a new trace, as W3C Trace Context says.
        if let incoming, let parent = try? TraceContext(traceParentHeaderValue: incoming, traceStateHeaderValue: traceState) {  // allowed: see above
            let own = TraceContext(traceID: parent.traceID, spanID: .random(using: &generator), flags: parent.flags, state: parent.state)
            traceParent = own.traceParentHeaderValue
        } else {
            let own = TraceContext(traceID: .random(using: &generator), spanID: .random(using: &generator), flags: [], state: TraceState())
            traceParent = own.traceParentHeaderValue
        }
    }

    /// With a tracer: the ids of the span it started for the request, so what the server reports
    /// names the span it exports. `nil` when the tracer propagates no W3C context.
    package init?(span: any Span) {
        var headers: [String: String] = [:]
        InstrumentationSystem.instrument.inject(span.context, into: &headers, using: TraceHeaderInjector())
        guard let traceParent = headers["traceparent"], traceParent.utf8.count == 55 else { return nil }
        self.traceParent = traceParent
    }

    /// The 32 hex digits of the trace id.
    package var traceID: String { String(traceParent.dropFirst(3).prefix(32)) }

    /// The 16 hex digits of this server's span.
    package var spanID: String { String(traceParent.dropFirst(36).prefix(16)) }
}
