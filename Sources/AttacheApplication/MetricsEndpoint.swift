public import Prometheus

/// `/metrics`: the registry the server's metrics are kept in, in Prometheus' text format, and the
/// bearer token a scraper must send (`--metrics-token`; none: open, for a private network).
public struct MetricsEndpoint: Sendable {
    public var registry: PrometheusCollectorRegistry
    public var token: String?

    public init(registry: PrometheusCollectorRegistry, token: String? = nil) {
        self.registry = registry
        self.token = token
    }
}
