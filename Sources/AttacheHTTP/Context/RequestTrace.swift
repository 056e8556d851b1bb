import W3CTraceContext

/// The W3C trace a request belongs to, and this server's span in it: the caller's trace when it sent a
/// valid `traceparent` (its flags and `tracestate` kept), else a new one. The trace id is the problems'
/// `traceId` and the log's `trace_id`; the server's span goes back in `traceresponse`.
package struct RequestTrace: Sendable {
    package let context: TraceContext
    /// The caller's span, when it sent one.
    package let parentSpanID: String?
    /// `00-<trace id>-<span id>-<flags>`.
    package let traceParent: String

    package init(traceParent: String?, traceState: String?) {
        // A malformed traceparent starts a new trace and drops tracestate, as W3C Trace Context says.
        var generator = TraceIDGenerator()
        if let traceParent, let incoming = try? TraceContext(traceParentHeaderValue: traceParent, traceStateHeaderValue: traceState) {  // allowed: see above
            context = TraceContext(traceID: incoming.traceID, spanID: .random(using: &generator), flags: incoming.flags, state: incoming.state)
            parentSpanID = String(traceParent.dropFirst(36).prefix(16))
        } else {
            context = TraceContext(traceID: .random(using: &generator), spanID: .random(using: &generator), flags: [], state: TraceState())
            parentSpanID = nil
        }
        self.traceParent = context.traceParentHeaderValue
    }

    /// The 32 hex digits of the trace id.
    package var traceID: String { String(traceParent.dropFirst(3).prefix(32)) }

    /// The 16 hex digits of this server's span.
    package var spanID: String { String(traceParent.dropFirst(36).prefix(16)) }
}
