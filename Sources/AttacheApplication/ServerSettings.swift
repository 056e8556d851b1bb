import AttacheHTTP
public import AttacheOnlyOffice
import Foundation

/// How the HTTP server is exposed.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    /// Base of absolute links in responses (`--public-url`); `nil` uses the request's Host header.
    public var publicURL: String?
    /// Largest request body; also the early `Content-Length` check. Default: the file limit plus 1 MiB
    /// for multipart framing and form fields.
    public var maximumRequestSize: Int64
    /// Path prefix per face (`/bloxs` moves Bloxs' routes under it); absent or empty mounts at the root.
    public var prefixes: [Face: String]
    /// The JSON shape of the ONLYOFFICE face.
    public var onlyOfficeWireFormat: OnlyOfficeWireFormat
    /// How long a connection may send nothing, and how long an upload body may take to make progress
    /// (``UploadIntake/minimumProgress`` bytes), before it is cut off: slow clients cannot hold a
    /// connection and a staging file forever.
    public var idleTimeout: Duration
    /// `/metrics`, when served.
    public var metrics: MetricsEndpoint?
    /// Turned to draining on shutdown (`/readyz` then answers 503).
    public var readiness = Readiness()
    /// Whether every request gets a server span from the installed tracer (`InstrumentationSystem`),
    /// which the service's own spans (upload receive, scan, store, commit; download open, send) nest in.
    /// Set when spans are exported (`--otlp-endpoint`); without it the server still joins or starts a
    /// W3C trace for its logs, problems and `traceresponse`.
    public var tracesRequests = false

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        publicURL: String? = nil,
        maximumRequestSize: Int64,
        prefixes: [Face: String] = [:],
        onlyOfficeWireFormat: OnlyOfficeWireFormat = .documented,
        idleTimeout: Duration = .seconds(60),
        metrics: MetricsEndpoint? = nil
    ) {
        self.idleTimeout = idleTimeout
        self.metrics = metrics
        self.host = host
        self.port = port
        self.publicURL = publicURL
        self.maximumRequestSize = maximumRequestSize
        self.prefixes = prefixes
        self.onlyOfficeWireFormat = onlyOfficeWireFormat
    }
}
