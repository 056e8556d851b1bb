import ArgumentParser
import AttacheApplication
import AttacheCore
import AttacheExtraction
import AttacheHTTP
import AttacheOnlyOffice
import AttacheWebhooks
import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

extension OnlyOfficeWireFormat: ExpressibleByArgument {}
extension UploadScanning.FailurePolicy: ExpressibleByArgument {}

/// `attache serve`: runs the HTTP server on the data folder.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP server.")

    @OptionGroup var options: DataOptions

    @Option(help: "Address to listen on (env ATTACHE_HOST).")
    var host: String = Environment.string("ATTACHE_HOST", default: "127.0.0.1")

    @Option(help: "Port to listen on; 0 picks a free one (env ATTACHE_PORT).")
    var port: Int = Environment.integer("ATTACHE_PORT", default: 8080)

    @Option(help: "Once listening, write the port to this file (written whole, then renamed into place): with --port 0, how a supervisor or test learns it.")
    var portFile: String?

    @Option(help: "Public base URL for absolute links, e.g. https://files.example.com; default: the request's Host header (env ATTACHE_PUBLIC_URL).")
    var publicURL: String?

    @Option(help: "Largest file, on every path that stores one (one-request and resumable uploads, every face), in bytes or with a unit: 200MB, 2GiB (env ATTACHE_MAX_FILE_SIZE).")
    var maxFileSize: ByteSize = ByteSize.fromEnvironment("ATTACHE_MAX_FILE_SIZE") ?? ByteSize(bytes: UploadPolicy.defaultMaximumFileSize)

    @Option(help: "Largest resumable (tus) upload, when resumable uploads (the web page's files of 8 MiB and more) may be larger than --max-file-size; default: --max-file-size (env ATTACHE_MAX_RESUMABLE_SIZE).")
    var maxResumableSize: ByteSize? = ByteSize.fromEnvironment("ATTACHE_MAX_RESUMABLE_SIZE")

    @Option(help: "Hours an unfinished resumable upload stays resumable after its last bytes; then gc removes it (env ATTACHE_RESUMABLE_HOURS).")
    var resumableHours: Int = Environment.integer("ATTACHE_RESUMABLE_HOURS", default: 24)

    @Option(help: "Comma-separated allowed file types (env ATTACHE_ALLOWED_TYPES).")
    var allowedTypes: String = Environment.string("ATTACHE_ALLOWED_TYPES", default: FileType.defaultAllowedTypeNames.joined(separator: ","))

    @Option(help: "Lifetime of signed links in seconds (env ATTACHE_SIGNED_URL_LIFETIME).")
    var signedURLLifetime: Int = Environment.integer("ATTACHE_SIGNED_URL_LIFETIME", default: Int(URLSigner.defaultLifetime))

    @Option(help: "Seconds a resolved token is trusted before the database is asked again, so a revocation takes effect within it; 0 disables (env ATTACHE_TOKEN_CACHE_SECONDS).")
    var tokenCacheSeconds: Int = Environment.integer("ATTACHE_TOKEN_CACHE_SECONDS", default: 5)

    @Option(help: "ONLYOFFICE JSON dialect: documented or community-server (env ATTACHE_ONLYOFFICE_FORMAT).")
    var onlyofficeFormat: OnlyOfficeWireFormat = Environment.string("ATTACHE_ONLYOFFICE_FORMAT").flatMap(OnlyOfficeWireFormat.init) ?? .documented

    @Option(help: "Path prefix of the native API; empty: the root (env ATTACHE_NATIVE_PREFIX).")
    var nativePrefix: String = Environment.string("ATTACHE_NATIVE_PREFIX", default: "")

    @Option(help: "Path prefix of the Bloxs face; empty: the root (env ATTACHE_BLOXS_PREFIX).")
    var bloxsPrefix: String = Environment.string("ATTACHE_BLOXS_PREFIX", default: "")

    @Option(help: "Path prefix of the ONLYOFFICE face; empty: the root (env ATTACHE_ONLYOFFICE_PREFIX).")
    var onlyofficePrefix: String = Environment.string("ATTACHE_ONLYOFFICE_PREFIX", default: "")

    @Option(help: "Path prefix of the PropertyDeck face; empty: the root (env ATTACHE_PROPERTYDECK_PREFIX).")
    var propertydeckPrefix: String = Environment.string("ATTACHE_PROPERTYDECK_PREFIX", default: "")

    @Option(help: "Path prefix of the HighLevel face; empty: the root (env ATTACHE_HIGHLEVEL_PREFIX).")
    var highlevelPrefix: String = Environment.string("ATTACHE_HIGHLEVEL_PREFIX", default: "")

    @Option(help: "Secret for signed links, hex or base64, ≥ 32 bytes; default: the keys kept in the database, shared by every node and rotated with `attache keys rotate` (env ATTACHE_SIGNING_KEY).")
    var signingKey: String?

    @Option(help: "Seconds between reloads of the signing keys from the database (env ATTACHE_SIGNING_KEY_RELOAD).")
    var signingKeyReload: Int = Environment.integer("ATTACHE_SIGNING_KEY_RELOAD", default: 60)

    @Option(help: "Seconds a connection may send nothing, or an upload body less than 1 KiB, before it is cut off with 408 (env ATTACHE_IDLE_TIMEOUT).")
    var idleTimeout: Int = Environment.integer("ATTACHE_IDLE_TIMEOUT", default: 60)

    @Option(help: "Seconds between background collections of released content; 0 disables (env ATTACHE_GC_INTERVAL).")
    var gcInterval: Int = Environment.integer("ATTACHE_GC_INTERVAL", default: 900)

    @Option(help: "Seconds deleted content stays readable before the background collection removes it (env ATTACHE_GC_GRACE).")
    var gcGrace: Int = Environment.integer("ATTACHE_GC_GRACE", default: 3600)

    @Option(help: "Jobs of derived work (reading content's text for search, drawing preview images) this node works at once; 0: none here, other nodes do them (env ATTACHE_DERIVE_WORKERS; default: the number of cores).")
    var deriveWorkers: Int = Environment.integer("ATTACHE_DERIVE_WORKERS", default: ProcessInfo.processInfo.activeProcessorCount)

    @Option(help: "Seconds a node holds a derived job it claimed: a job its node has not finished by then (the node died) is taken over by another (env ATTACHE_DERIVE_LEASE). Longer than any job may run.")
    var deriveLease: Int = Environment.integer("ATTACHE_DERIVE_LEASE", default: Int(DerivationSettings().lease))

    @Flag(help: "Read the text of scanned PDFs (no text layer) by OCR, with Tesseract (Debian: tesseract-ocr; env ATTACHE_OCR=1). Off by default.")
    var ocr: Bool = Environment.string("ATTACHE_OCR") == "1"

    @Option(help: "Tesseract's languages for --ocr, joined by + (each a Debian package tesseract-ocr-<language>; env ATTACHE_OCR_LANGUAGES).")
    var ocrLanguages: String = Environment.string("ATTACHE_OCR_LANGUAGES", default: "eng")

    @Option(help: "Images with more pixels (all frames of a GIF together) get no preview; refused from their header, before any decoder runs (env ATTACHE_PREVIEW_MAX_PIXELS).")
    var previewMaxPixels: Int = Environment.integer("ATTACHE_PREVIEW_MAX_PIXELS", default: PreviewLimits().maximumPixels)

    @Option(help: "Let webhooks reach this network although it is not public, in CIDR notation (10.20.0.0/16); repeat for more (env ATTACHE_WEBHOOK_ALLOW_NETWORK, separated by commas). By default loopback, private, link-local, unique-local and IPv4-mapped addresses are refused.")
    var webhookAllowNetwork: [String] = Environment.string("ATTACHE_WEBHOOK_ALLOW_NETWORK", default: "").split(separator: ",").map(String.init)

    @Option(help: "Webhook deliveries this node has in flight at once; 0: none here, other nodes deliver (env ATTACHE_WEBHOOK_DELIVERIES).")
    var webhookDeliveries: Int = Environment.integer("ATTACHE_WEBHOOK_DELIVERIES", default: 64)

    @Option(help: "Seconds one webhook attempt may take, connecting included (env ATTACHE_WEBHOOK_TIMEOUT).")
    var webhookTimeout: Int = Environment.integer("ATTACHE_WEBHOOK_TIMEOUT", default: 15)

    @Option(help: "Attempts per second to one webhook endpoint, over every node (env ATTACHE_WEBHOOK_RATE).")
    var webhookRate: Double = Double(Environment.string("ATTACHE_WEBHOOK_RATE", default: "10")) ?? 10

    @Option(help: "Attempts to one webhook endpoint in flight at once, over every node (env ATTACHE_WEBHOOK_IN_FLIGHT).")
    var webhookInFlight: Int = Environment.integer("ATTACHE_WEBHOOK_IN_FLIGHT", default: 4)

    @Option(help: "Seconds between a failed webhook attempt and the next, separated by commas (env ATTACHE_WEBHOOK_RETRY_SCHEDULE); default: Standard Webhooks' 5,300,1800,7200,18000,36000,36000, each drawn within ±20 %.")
    var webhookRetrySchedule: String = Environment.string("ATTACHE_WEBHOOK_RETRY_SCHEDULE", default: "")

    @Option(help: "Scan every upload with clamd at unix:PATH or tcp://HOST:PORT; off when empty (env ATTACHE_CLAMD).")
    var clamd: String = Environment.string("ATTACHE_CLAMD", default: "")

    @Option(help: "When clamd cannot answer: closed refuses uploads (503), open stores them unscanned (env ATTACHE_CLAMD_FAILURE).")
    var clamdFailure: UploadScanning.FailurePolicy = Environment.string("ATTACHE_CLAMD_FAILURE").flatMap(UploadScanning.FailurePolicy.init) ?? .closed

    @Option(help: "Seconds to wait for clamd to connect, take data or give a verdict (env ATTACHE_CLAMD_TIMEOUT).")
    var clamdTimeout: Int = Environment.integer("ATTACHE_CLAMD_TIMEOUT", default: 30)

    @Option(help: "Requests per second allowed per token (or client address without one); 0: no limit (env ATTACHE_RATE_LIMIT).")
    var rateLimit: Double = Double(Environment.string("ATTACHE_RATE_LIMIT", default: "0")) ?? 0

    @Option(help: "Requests a token may send at once before the rate applies (env ATTACHE_RATE_BURST).")
    var rateBurst: Int = Environment.integer("ATTACHE_RATE_BURST", default: 60)

    @OptionGroup var audit: AuditOptions

    @Option(help: "On SIGTERM or SIGINT, seconds /readyz answers 503 while new requests are still served, so load balancers move away (env ATTACHE_DRAIN_DELAY).")
    var drainDelay: Double = Double(Environment.string("ATTACHE_DRAIN_DELAY", default: "1")) ?? 1

    @Option(help: "Then, seconds requests in flight (uploads, downloads) get to finish before they are cut off (env ATTACHE_DRAIN_SECONDS).")
    var drainSeconds: Int = Environment.integer("ATTACHE_DRAIN_SECONDS", default: 30)

    @Option(help: "With S3 blobs: answer authorised downloads with a redirect to a presigned URL valid this many seconds, so large bytes skip the node; 0: off (env ATTACHE_S3_REDIRECT_DOWNLOADS).")
    var s3RedirectDownloads: Int = Environment.integer("ATTACHE_S3_REDIRECT_DOWNLOADS", default: 0)

    @Option(help: "Serve /metrics only on this host:port (e.g. 10.0.0.5:9100) instead of the API's address (env ATTACHE_METRICS_ADDRESS).")
    var metricsAddress: String?

    @Option(help: "Bearer token Prometheus must send for /metrics; empty: /metrics is open (env ATTACHE_METRICS_TOKEN).")
    var metricsToken: String?

    @Option(help: "Log lines as json or text; default: json when standard error is not a terminal (env ATTACHE_LOG_FORMAT).")
    var logFormat: LogFormat?

    @Option(help: "Export spans over OTLP/HTTP to this collector base URL, e.g. http://127.0.0.1:4318 (spans go to <url>/v1/traces); off when empty (env ATTACHE_OTLP_ENDPOINT).")
    var otlpEndpoint: String = Environment.string("ATTACHE_OTLP_ENDPOINT", default: "")

    @Option(help: "OTLP/HTTP payload encoding: http/protobuf or http/json (env ATTACHE_OTLP_PROTOCOL).")
    var otlpProtocol: SpanExport.WireProtocol = Environment.string("ATTACHE_OTLP_PROTOCOL").flatMap(SpanExport.WireProtocol.init) ?? .protobuf

    func run() async throws {
        let format = try logFormat ?? LogFormat.fromEnvironment()
        LoggingSystem.bootstrap { label in format.makeHandler(label: label) }
        MemoryTuning.apply()
        let folder = try DataFolder(options, label: "attache")
        let policy = try UploadPolicy(
            maximumFileSize: maxFileSize.bytes,
            allowedTypeNames: allowedTypes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        )
        var settings = ServerSettings(
            host: host,
            port: port,
            publicURL: publicURL ?? Environment.string("ATTACHE_PUBLIC_URL"),
            maximumRequestSize: maxFileSize.bytes + 1024 * 1024,
            prefixes: [
                .native: nativePrefix, .bloxs: bloxsPrefix, .onlyoffice: onlyofficePrefix,
                .propertydeck: propertydeckPrefix, .highlevel: highlevelPrefix,
            ],
            onlyOfficeWireFormat: onlyofficeFormat,
            idleTimeout: .seconds(max(idleTimeout, 1))
        )
        let registry = PrometheusCollectorRegistry()
        let metrics = ServiceMetrics(factory: PrometheusMetricsFactory(registry: registry))
        let metricsEndpoint = MetricsEndpoint(registry: registry, token: (metricsToken ?? Environment.string("ATTACHE_METRICS_TOKEN")).flatMap { $0.isEmpty ? nil : $0 })
        let metricsListener = try (metricsAddress ?? Environment.string("ATTACHE_METRICS_ADDRESS")).flatMap { $0.isEmpty ? nil : try Self.hostAndPort($0) }
        settings.metrics = metricsListener == nil ? metricsEndpoint : nil
        let spanExport = try otlpEndpoint.isEmpty ? nil : SpanExport.start(endpoint: otlpEndpoint, wireProtocol: otlpProtocol, logger: folder.logger)
        settings.tracesRequests = spanExport != nil
        let scanning = try scanning()
        let webhooks = try webhookSettings()
        let transport = HTTPWebhookTransport(policy: webhooks.policy)
        let limits = rateLimit > 0 ? RateLimiter(perSecond: rateLimit, burst: rateBurst) : nil
        let (service, metadata) = try await folder.openService(
            policy: policy, tokenCacheLifetime: TimeInterval(tokenCacheSeconds), scanning: scanning, requestLimits: limits,
            auditRetention: audit.retention, metrics: metrics,
            downloadRedirectLifetime: s3RedirectDownloads > 0 ? TimeInterval(s3RedirectDownloads) : nil,
            resumableLimits: ResumableUploadLimits(maximumSize: (maxResumableSize ?? maxFileSize).bytes, lifetime: .seconds(max(resumableHours, 1) * 3600)),
            webhookTransport: transport
        )
        let collection = (interval: gcInterval, grace: TimeInterval(gcGrace))
        let stop: ServerStop
        do {
            let keyring = try await keyring(folder: folder, service: service)
            let signer = URLSigner(keyring: keyring, lifetime: TimeInterval(signedURLLifetime))
            let (portFile, host, port) = (portFile, host, port)
            let app = AttacheServer.buildApplication(service: service, settings: settings, signer: signer, logger: folder.logger) { channel in
                let bound = channel.localAddress?.port ?? port
                folder.logger.info("attache serving", metadata: ["data": "\(folder.path)", "address": "\(host):\(bound)"])
                if let portFile { PortFile.write(bound, to: portFile, logger: folder.logger) }
            }
            // Services stop in reverse order: the background loops first, then the HTTP server, the span
            // exporter (so it sends the server's final spans), and the metadata store last.
            var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: MetadataStoreService(store: metadata))]
            if let spanExport { services.append(.init(service: spanExport)) }
            services.append(.init(service: app))
            if let metricsListener {
                let metricsApp = AttacheServer.buildMetricsApplication(
                    metricsEndpoint, host: metricsListener.host, port: metricsListener.port, logger: folder.logger
                )
                services.append(.init(service: metricsApp))
            }
            if keyring.reloads {
                let reload = Duration.seconds(max(signingKeyReload, 1))
                services.append(.init(service: BackgroundLoop("signing-key reload") { await keyring.reloadPeriodically(every: reload) }))
            }
            if deriveWorkers > 0 {
                var recognition: TextRecognition?
                if ocr {
                    guard let found = TextRecognition(languages: ocrLanguages) else {
                        throw ValidationError("--ocr needs tesseract and pdftoppm (Debian: tesseract-ocr, poppler-utils)")
                    }
                    recognition = found
                }
                let deriver = ToolDeriver(text: ToolTextExtractor(recognition: recognition))
                deriver.describe(to: folder.logger)
                let settings = DerivationSettings(
                    workers: deriveWorkers, lease: TimeInterval(max(deriveLease, 1)), previewLimits: PreviewLimits(maximumPixels: previewMaxPixels)
                )
                services.append(.init(service: BackgroundLoop("derived work") { await service.deriveContinuously(settings, deriver: deriver) }))
            }
            if webhooks.settings.nodeConcurrency > 0 {
                let settings = webhooks.settings
                services.append(.init(service: BackgroundLoop("webhook deliveries") {
                    await service.deliverWebhooksContinuously(settings, transport: transport)
                    await transport.shutdown()
                }))
            }
            if collection.interval > 0 {
                services.append(.init(service: BackgroundLoop("background gc") {
                    await service.collectGarbagePeriodically(every: .seconds(collection.interval), grace: collection.grace)
                }))
            }
            var configuration = ServiceGroupConfiguration(services: services, logger: folder.logger)
            configuration.maximumGracefulShutdownDuration = .seconds(max(drainSeconds, 0))
            let server = ServiceGroup(configuration: configuration)
            let drain = Drain(readiness: settings.readiness, delay: .milliseconds(Int(max(drainDelay, 0) * 1000)), logger: folder.logger)
            // The group closes the store as its last service.
            stop = await Self.run(server, drain: drain)
        } catch {
            // The group never ran: the store is closed here.
            await service.shutdown()
            throw error
        }
        try stop.exit(logger: folder.logger)
    }

    /// Runs the server until it stops, and says why: drained after a signal, or a failure — a
    /// service that threw or ended on its own (e.g. a listener that could not bind), or a second signal.
    private static func run(_ server: ServiceGroup, drain: Drain) async -> ServerStop {
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                // Only the server's end (drained, or cut off after --drain-seconds) or a second signal ends the group.
                group.addTask { try await server.run() }
                group.addTask { try await drain.run(stopping: server) }
                try await group.next()
                group.cancelAll()
            }
        } catch {
            return ServerStop(signal: drain.signal, failure: error)
        }
        return ServerStop(signal: drain.signal, failure: nil)
    }

    /// How this node delivers webhooks, and where they may go.
    /// - Throws: `ValidationError` for a network or a schedule that does not read.
    private func webhookSettings() throws -> (settings: WebhookSettings, policy: WebhookAddressPolicy) {
        var networks: [IPNetwork] = []
        for text in webhookAllowNetwork {
            guard let network = IPNetwork(text.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("--webhook-allow-network must be a network in CIDR notation (10.20.0.0/16, fd00::/8), not \(text).")
            }
            networks.append(network)
        }
        var schedule = WebhookRetrySchedule.standard
        if !webhookRetrySchedule.isEmpty {
            guard let given = WebhookRetrySchedule(secondsList: webhookRetrySchedule) else {
                throw ValidationError("--webhook-retry-schedule must be seconds separated by commas (5,300,1800), each at most a week.")
            }
            schedule = given
        }
        guard webhookRate > 0, webhookInFlight > 0, webhookTimeout > 0 else {
            throw ValidationError("--webhook-rate, --webhook-in-flight and --webhook-timeout must be above 0.")
        }
        let settings = WebhookSettings(
            schedule: schedule, attemptTimeout: .seconds(webhookTimeout), maximumInFlight: webhookInFlight, perSecond: webhookRate,
            nodeConcurrency: max(webhookDeliveries, 0), holder: "webhooks-" + TokenSecret.randomHex(byteCount: 8)
        )
        return (settings, WebhookAddressPolicy(allowedNetworks: networks))
    }

    /// `host:port` (`[::1]:9100` for IPv6). - Throws: `ValidationError` for anything else.
    static func hostAndPort(_ text: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65_535).contains(port) else {
            throw ValidationError("--metrics-address must be host:port, e.g. 127.0.0.1:9100.")
        }
        let host = text[..<colon].trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        guard !host.isEmpty else { throw ValidationError("--metrics-address must be host:port, e.g. 127.0.0.1:9100.") }
        return (host, port)
    }

    /// The link signing keys: the configured one, else the database's (adopting `<data>/signing.key`
    /// or a new key when it has none).
    private func keyring(folder: DataFolder, service: AttacheService) async throws -> SigningKeyring {
        if let configured = signingKey ?? Environment.string("ATTACHE_SIGNING_KEY"), !configured.isEmpty {
            return SigningKeyring(secret: try DataFolder.signingSecret(configured: configured))
        }
        let keys = try await service.signingKeys(adopting: folder.firstSigningKey())
        return SigningKeyring(keys: keys, reload: { try await service.signingKeys() })
    }

    /// Upload scanning from `--clamd`; `nil` when it is empty.
    private func scanning() throws -> UploadScanning? {
        guard !clamd.isEmpty else { return nil }
        return UploadScanning(scanner: try Scan.scanner(clamd: clamd, timeoutSeconds: clamdTimeout), onFailure: clamdFailure)
    }
}
