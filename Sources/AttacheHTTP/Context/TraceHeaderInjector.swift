import Tracing

/// Collects the headers the installed tracer would send for a span (`Instrument.inject`), so the
/// server's span can be named in `traceresponse`, the logs and problem bodies.
package struct TraceHeaderInjector: Injector {
    package init() {}

    package func inject(_ value: String, forKey key: String, into headers: inout [String: String]) {
        headers[key] = value
    }
}
