import AttacheCore
import AttacheDiskStore
import AttachePostgres
import AttacheS3
import AttacheSQL
import AttacheSQLite
import Foundation
import Logging

/// The embedded deployment: everything under one data folder (metadata in PostgreSQL instead when a
/// database URL is given).
///
/// ```
/// <data>/attache.sqlite   metadata (WAL mode)
/// <data>/blobs/, staging/ content (see DiskBlobStore)
/// <data>/signing.key      secret for signed links, created on first start (mode 0600)
/// ```
struct DataFolder {
    let path: String
    let databaseURL: String?
    let s3: S3Configuration?
    let logger: Logger

    init(_ options: DataOptions, label: String) throws {
        self.path = options.data
        self.databaseURL = options.databaseURL ?? Environment.string("ATTACHE_DATABASE_URL")
        guard (1...4096).contains(options.s3UploadBuffers) else {
            throw AttacheError(.invalidInput, "--s3-upload-buffers takes 1 to 4096 uploads.")
        }
        if let endpoint = options.s3Endpoint ?? Environment.string("ATTACHE_S3_ENDPOINT") {
            guard let bucket = options.s3Bucket ?? Environment.string("ATTACHE_S3_BUCKET") else {
                throw AttacheError(.invalidInput, "--s3-endpoint needs --s3-bucket (or ATTACHE_S3_BUCKET).")
            }
            self.s3 = S3Configuration(
                endpoint: endpoint,
                bucket: bucket,
                region: options.s3Region ?? Environment.string("ATTACHE_S3_REGION", default: "us-east-1"),
                accessKeyID: Environment.string("ATTACHE_S3_ACCESS_KEY_ID") ?? Environment.string("AWS_ACCESS_KEY_ID") ?? "",
                secretAccessKey: Environment.string("ATTACHE_S3_SECRET_ACCESS_KEY") ?? Environment.string("AWS_SECRET_ACCESS_KEY") ?? "",
                uploadBuffers: options.s3UploadBuffers
            )
        } else {
            self.s3 = nil
        }
        var logger = Logger(label: label)
        guard let level = Logger.Level(rawValue: options.logLevel.lowercased()) else {
            throw AttacheError(.invalidInput, "Unknown log level '\(options.logLevel)'.")
        }
        logger.logLevel = level
        self.logger = logger
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    var databasePath: String { (path as NSString).appendingPathComponent("attache.sqlite") }

    func openMetadata(metrics: ServiceMetrics = ServiceMetrics()) async throws -> SQLMetadataStore {
        if let databaseURL {
            return try await SQLMetadataStore.postgres(url: databaseURL, logger: logger, metrics: metrics)
        }
        return try await SQLMetadataStore.sqlite(path: databasePath, logger: logger, metrics: metrics)
    }

    func openService(
        policy: UploadPolicy, tokenCacheLifetime: TimeInterval = 0, scanning: UploadScanning? = nil, requestLimits: RateLimiter? = nil,
        auditRetention: TimeInterval? = nil, metrics: ServiceMetrics = ServiceMetrics(), downloadRedirectLifetime: TimeInterval? = nil,
        resumableLimits: ResumableUploadLimits = ResumableUploadLimits(), webhookTransport: (any WebhookTransport)? = nil
    ) async throws -> (service: AttacheService, metadata: SQLMetadataStore) {
        let metadata = try await openMetadata(metrics: metrics)
        do {
            let blobs = try await openBlobs()
            let service = AttacheService(
                metadata: metadata, blobs: blobs, policy: policy, logger: logger, tokenCacheLifetime: tokenCacheLifetime, scanning: scanning,
                requestLimits: requestLimits, auditRetention: auditRetention, metrics: metrics,
                downloadRedirectLifetime: downloadRedirectLifetime, resumableLimits: resumableLimits, webhookTransport: webhookTransport
            )
            return (service, metadata)
        } catch {
            await metadata.shutdown()
            throw error
        }
    }

    /// The blob store: the S3 bucket when configured (created if missing), else `<data>/blobs`.
    func openBlobs() async throws -> any BlobStore {
        guard let s3 else { return try await DiskBlobStore(root: path) }
        let store = S3BlobStore(configuration: s3)
        try await store.ensureBucket()
        return store
    }

    /// Runs `body` with a service on this folder and shuts the database down afterwards.
    func withService<Result>(
        policy: UploadPolicy? = nil, auditRetention: TimeInterval? = nil, _ body: (AttacheService) async throws -> Result
    ) async throws -> Result {
        let service = try await openService(policy: policy ?? UploadPolicy(), auditRetention: auditRetention).service
        do {
            let result = try await body(service)
            await service.shutdown()
            return result
        } catch {
            await service.shutdown()
            throw error
        }
    }

    /// The signing secret: given, or read from `signing.key`, or created there on first use.
    /// A configured signing key (`--signing-key`): at least 32 bytes, as base64 or hex.
    static func signingSecret(configured: String) throws -> [UInt8] {
        guard let secret = Data(base64Encoded: configured).map(Array.init) ?? [UInt8](hexString: configured), secret.count >= 32 else {
            throw AttacheError(.invalidInput, "The signing key must be at least 32 bytes, as hex or base64.")
        }
        return secret
    }

    /// The key a store without keys adopts: `<data>/signing.key`, which versions before keys were kept
    /// in the database wrote (so their links keep opening), else a new random one.
    func firstSigningKey() -> [UInt8] {
        let keyPath = (path as NSString).appendingPathComponent("signing.key")
        if let existing = FileManager.default.contents(atPath: keyPath), existing.count >= 32 {
            return Array(existing)
        }
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
