import W3CTraceContext

/// The W3C trace a request belongs to, and this server's span in it: the caller's trace when it sent a
/// valid `traceparent` (its flags kept), else a new one. The trace id is the problems' `traceId` and
/// the log's `trace_id`; the server's span goes back in `traceresponse`. Only text is kept: the context
/// is copied at every middleware hop.
package struct RequestTrace: Sendable {
    /// `00-<trace id>-<span id>-<flags>`.
    package let traceParent: String
    /// The caller's span, when it sent one.
    package let parentSpanID: String?

    package init(traceParent incoming: String?, traceState: String?) {
        var generator = TraceIDGenerator()
        // A malformed traceparent starts a new trace, as W3C Trace Context says.
        if let incoming, let parent = try? TraceContext(traceParentHeaderValue: incoming, traceStateHeaderValue: traceState) {  // allowed: see above
            let own = TraceContext(traceID: parent.traceID, spanID: .random(using: &generator), flags: parent.flags, state: parent.state)
            traceParent = own.traceParentHeaderValue
            parentSpanID = String(incoming.dropFirst(36).prefix(16))
        } else {
            let own = TraceContext(traceID: .random(using: &generator), spanID: .random(using: &generator), flags: [], state: TraceState())
            traceParent = own.traceParentHeaderValue
            parentSpanID = nil
        }
    }

    /// The 32 hex digits of the trace id.
    package var traceID: String { String(traceParent.dropFirst(3).prefix(32)) }

    /// The 16 hex digits of this server's span.
    package var spanID: String { String(traceParent.dropFirst(36).prefix(16)) }
}
