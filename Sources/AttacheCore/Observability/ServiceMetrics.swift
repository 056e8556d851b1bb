public import CoreMetrics

/// What Attache counts and times, in one place: every metric's name, labels and meaning. Recorded
/// through a swift-metrics factory that the caller owns (Prometheus in `serve`), never the global one,
/// so each server — and each test — has its own; without a factory nothing is recorded.
///
/// Names follow Prometheus' conventions: `attache_` prefix, base units (seconds, bytes), `_total` on counters.
public struct ServiceMetrics: Sendable {
    /// Where metrics go; `nil`: nowhere.
    public let factory: (any MetricsFactory)?
    private let requests = MetricHandleCache<RequestLabels, RequestHandles>()
    private let storeCalls = MetricHandleCache<StoreCallLabels, Timer>()

    private struct RequestLabels: Hashable, Sendable {
        var face: String
        var route: String
        var method: String
        var status: Int
    }

    private struct RequestHandles: Sendable {
        var counter: Counter
        var timer: Timer
    }

    private struct StoreCallLabels: Hashable, Sendable {
        var store: String
        var operation: String
    }

    public init(factory: (any MetricsFactory)? = nil) {
        self.factory = factory
    }

    // MARK: HTTP

    /// One answered request: `attache_http_requests_total` and `attache_http_request_duration_seconds`
    /// by face, route pattern (never the raw path), method and status.
    public func request(face: String, route: String, method: String, status: Int, duration: Duration) {
        guard let factory else { return }
        let handles = requests.handles(for: RequestLabels(face: face, route: route, method: method, status: status)) {
            let dimensions = [("face", face), ("route", route), ("method", method), ("status", String(status))]
            return RequestHandles(
                counter: Counter(label: "attache_http_requests_total", dimensions: dimensions, factory: factory),
                timer: Timer(label: "attache_http_request_duration_seconds", dimensions: dimensions, factory: factory)
            )
        }
        handles.counter.increment()
        handles.timer.recordNanoseconds(Self.nanoseconds(duration))
    }

    /// Upload requests being received now: `attache_uploads_in_flight`.
    public func uploadStarted() {
        guard let factory else { return }
        Meter(label: "attache_uploads_in_flight", factory: factory).increment()
    }

    public func uploadEnded() {
        guard let factory else { return }
        Meter(label: "attache_uploads_in_flight", factory: factory).decrement()
    }

    // MARK: Content

    /// Bytes of files stored: `attache_upload_bytes_total` (and `attache_uploaded_files_total`).
    public func stored(files: Int, bytes: Int64) {
        guard let factory else { return }
        Counter(label: "attache_uploaded_files_total", factory: factory).increment(by: files)
        Counter(label: "attache_upload_bytes_total", factory: factory).increment(by: Int(clamping: bytes))
    }

    /// Bytes sent by downloads: `attache_download_bytes_total`, and `attache_downloads_total` by
    /// outcome (`complete` or `cut_short`; `redirected` counts those sent to the blob store).
    public func downloaded(bytes: Int64, complete: Bool) {
        guard let factory else { return }
        Counter(label: "attache_downloads_total", dimensions: [("outcome", complete ? "complete" : "cut_short")], factory: factory).increment()
        Counter(label: "attache_download_bytes_total", factory: factory).increment(by: Int(clamping: bytes))
    }

    /// A download sent to the blob store directly: `attache_downloads_total{outcome="redirected"}`.
    public func redirectedDownload() {
        guard let factory else { return }
        Counter(label: "attache_downloads_total", dimensions: [("outcome", "redirected")], factory: factory).increment()
    }

    /// An upload refused for its content: `attache_upload_refusals_total` by reason (the error code).
    public func refusedUpload(reason: String) {
        guard let factory else { return }
        Counter(label: "attache_upload_refusals_total", dimensions: [("reason", reason)], factory: factory).increment()
    }

    // MARK: Storage

    /// One call to the metadata store (`store` = `metadata`) or the blob store (`blob`), by operation:
    /// `attache_store_duration_seconds`. A Swift function name (`record(tenantID:uuid:)`) is labelled
    /// by its base name (`record`).
    public func storeCall(_ store: String, operation: String, duration: Duration) {
        guard let factory else { return }
        let timer = storeCalls.handles(for: StoreCallLabels(store: store, operation: operation)) {
            let name = operation.firstIndex(of: "(").map { String(operation[..<$0]) } ?? operation
            return Timer(label: "attache_store_duration_seconds", dimensions: [("store", store), ("operation", name)], factory: factory)
        }
        timer.recordNanoseconds(Self.nanoseconds(duration))
    }

    // MARK: Maintenance

    // MARK: Derived work

    /// One derived job's attempt: `attache_derivation_jobs_total` by kind and outcome (`done`,
    /// `retried`, `failed`, `superseded` when another node's claim took it over), and its time in
    /// `attache_derivation_duration_seconds` by kind.
    public func derived(kind: String, outcome: String, duration: Duration) {
        guard let factory else { return }
        Counter(label: "attache_derivation_jobs_total", dimensions: [("kind", kind), ("outcome", outcome)], factory: factory).increment()
        Timer(label: "attache_derivation_duration_seconds", dimensions: [("kind", kind)], factory: factory)
            .recordNanoseconds(Self.nanoseconds(duration))
    }

    /// A webhook delivery attempt ended: `delivered`, `retry`, `failed` or `gone` (the receiver
    /// answered 410), and how long it took from its start to the answer or failure.
    public func webhookAttempt(outcome: String, duration: Duration) {
        guard let factory else { return }
        Counter(label: "attache_webhook_attempts_total", dimensions: [("outcome", outcome)], factory: factory).increment()
        Timer(label: "attache_webhook_attempt_duration_seconds", factory: factory).recordNanoseconds(Self.nanoseconds(duration))
    }

    /// The jobs in the store by state, as last counted: `attache_derivation_queue` (`queued`,
    /// `running`, `done`, `failed`).
    public func derivationQueue(_ counts: [String: Int]) {
        guard let factory else { return }
        for state in ["queued", "running", "done", "failed"] {
            Gauge(label: "attache_derivation_queue", dimensions: [("state", state)], factory: factory).record(counts[state] ?? 0)
        }
    }

    /// One `gc` run: `attache_gc_runs_total` by outcome, and what it removed in
    /// `attache_gc_removed_total` by kind.
    public func collected(_ report: MaintenanceReport?) {
        guard let factory else { return }
        Counter(label: "attache_gc_runs_total", dimensions: [("outcome", report == nil ? "failed" : "ok")], factory: factory).increment()
        guard let report else { return }
        for (kind, count) in [
            ("staged", report.removedStagedContent), ("released_blobs", report.removedBlobs),
            ("orphan_blobs", report.removedOrphanBlobs), ("audit_events", report.removedAuditEvents),
            ("change_events", report.removedChangeEvents), ("webhook_deliveries", report.removedWebhookDeliveries), ("versions", report.removedVersions), ("retention", report.removedByRetention), ("resumable_parts", report.removedResumableParts),
        ] {
            Counter(label: "attache_gc_removed_total", dimensions: [("kind", kind)], factory: factory).increment(by: count)
        }
    }

    /// One `verify` run: `attache_verify_checked_blobs_total` and `attache_verify_problems_total`.
    public func verified(_ report: MaintenanceReport) {
        guard let factory else { return }
        Counter(label: "attache_verify_checked_blobs_total", factory: factory).increment(by: report.checkedBlobs)
        Counter(label: "attache_verify_problems_total", factory: factory).increment(by: report.problems.count)
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }

    /// Runs `body`, recording its duration as a call to `store` — also when it throws.
    public func timing<Result>(_ store: String, _ operation: String, _ body: () async throws -> Result) async rethrows -> Result {
        guard factory != nil else { return try await body() }
        let start = ContinuousClock.now
        defer { storeCall(store, operation: operation, duration: ContinuousClock.now - start) }
        return try await body()
    }
}
