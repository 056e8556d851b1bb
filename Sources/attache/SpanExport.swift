import ArgumentParser
import Logging
import OTel
import ServiceLifecycle
import Tracing

/// Exporting the server's spans over OTLP/HTTP (swift-otel): installs the tracer process-wide and
/// returns the background service that batches and sends spans, which must run beside the server
/// (and, stopped last, flushes what is left). Only traces are exported: metrics go to `/metrics`,
/// logs to standard error. The standard `OTEL_*` variables refine what is set here (service name,
/// sampler, headers, batching).
struct SpanExport {
    /// The wire encoding of the OTLP/HTTP payload.
    enum WireProtocol: String, ExpressibleByArgument, CaseIterable {
        case protobuf = "http/protobuf"
        case json = "http/json"
    }

    /// - Parameter endpoint: the collector's base URL (`http://collector:4318`); spans go to `<endpoint>/v1/traces`.
    static func start(endpoint: String, wireProtocol: WireProtocol, logger: Logger) throws -> any Service {
        guard endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://") else {
            throw ValidationError("--otlp-endpoint must be an http:// or https:// URL, e.g. http://127.0.0.1:4318.")
        }
        var configuration = OTel.Configuration.default
        configuration.serviceName = "attache"
        configuration.metrics.enabled = false
        configuration.logs.enabled = false
        configuration.diagnosticLogger = .custom(logger)
        configuration.diagnosticLogLevel = switch logger.logLevel {
        case .trace: .trace
        case .debug: .debug
        case .info, .notice: .info
        case .warning: .warning
        case .error, .critical: .error
        }
        configuration.traces.otlpExporter.endpoint = endpoint.hasSuffix("/") ? endpoint + "v1/traces" : endpoint + "/v1/traces"
        configuration.traces.otlpExporter.protocol = wireProtocol == .json ? .httpJSON : .httpProtobuf
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        InstrumentationSystem.bootstrap(backend.factory)
        return backend.service
    }
}
