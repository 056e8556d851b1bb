import Foundation
public import Logging

/// Implements every use case of Attache over a ``MetadataStore`` and a ``BlobStore``.
///
/// API faces call the service and only translate requests and responses; all rules (tenant scoping,
/// token scopes, upload policy, blob lifetime) live here.
public struct AttacheService: Sendable {
    public let metadata: any MetadataStore
    public let blobs: any BlobStore
    public let policy: UploadPolicy
    /// Malware scanning of uploads; `nil` when off.
    public let scanning: UploadScanning?
    /// Request rate limits per token or client address; `nil` when off.
    public let requestLimits: RateLimiter?
    /// How long audit events are kept; `gc` deletes older ones. `nil`: for ever.
    public let auditRetention: TimeInterval?
    /// Where the service's metrics go (none by default).
    public let metrics: ServiceMetrics
    /// When set, authorised downloads are sent to the blob store directly (S3: a presigned URL valid
    /// this many seconds) instead of through the server; `nil`: off.
    public let downloadRedirectLifetime: TimeInterval?
    /// This process among the nodes sharing the stores: the holder of the job leases it takes.
    public let nodeID = "node-" + TokenSecret.randomHex(byteCount: 8)
    let signInThrottle: SignInThrottle
    /// Wrong share passwords, per share and client address: the tenth starts a lockout that grows
    /// (a lockout starts once failures pass `allowedFailures`).
    /// Password attempts per share and client address, counted in the metadata store (every node alike).
    let sharePasswordLimit = PasswordGuessLimit()
    /// Size and lifetime of resumable uploads.
    public let resumableLimits: ResumableUploadLimits
    /// How webhook endpoints' URLs are checked when saved (deliveries take their transport from
    /// ``deliverWebhooksContinuously(_:transport:)``); `nil` refuses to save endpoints.
    public let webhookTransport: (any WebhookTransport)?
    /// Running digests of the resumable uploads this node receives.
    let resumableDigests = ResumableDigests()
    let logger: Logger
    let principals: PrincipalCache

    /// - Parameters:
    ///   - tokenCacheLifetime: how long a resolved token is trusted without asking the database again
    ///     (a revocation from another process takes effect within this time); 0 disables.
    ///   - firstSignInLockout: how long an identifier waits after its first run of failed sign-ins
    ///     (each further failure doubles it).
    ///   - signInRefusalTime: the least time a refused sign-in takes to answer.
    public init(
        metadata: any MetadataStore,
        blobs: any BlobStore,
        policy: UploadPolicy,
        logger: Logger,
        tokenCacheLifetime: TimeInterval = 5,
        scanning: UploadScanning? = nil,
        requestLimits: RateLimiter? = nil,
        auditRetention: TimeInterval? = nil,
        metrics: ServiceMetrics = ServiceMetrics(),
        downloadRedirectLifetime: TimeInterval? = nil,
        resumableLimits: ResumableUploadLimits = ResumableUploadLimits(),
        webhookTransport: (any WebhookTransport)? = nil,
        firstSignInLockout: Duration = .seconds(1),
        signInRefusalTime: Duration = .milliseconds(100)
    ) {
        self.resumableLimits = resumableLimits
        self.webhookTransport = webhookTransport
        self.signInThrottle = SignInThrottle(firstLockout: firstSignInLockout, failureTime: signInRefusalTime)
        self.downloadRedirectLifetime = downloadRedirectLifetime
        self.metadata = metadata
        self.blobs = metrics.factory == nil ? blobs : TimedBlobStore(blobs, metrics: metrics)
        self.metrics = metrics
        var policy = policy
        if resumableLimits.maximumSize > policy.maximumFileSize {
            policy.largerFilesHint = "Larger files, up to \(ByteCountText.describe(resumableLimits.maximumSize)), can be sent as resumable uploads."
        }
        self.policy = policy
        self.scanning = scanning
        self.requestLimits = requestLimits
        self.auditRetention = auditRetention
        self.logger = logger
        self.principals = PrincipalCache(lifetime: tokenCacheLifetime)
    }

    /// Releases the stores' connections; call once, when the service is no longer used.
    public func shutdown() async {
        await metadata.shutdown()
    }

    /// Throws `storageUnavailable` unless both stores answer.
    public func checkReadiness() async throws {
        do {
            try await metadata.checkHealth()
            try await blobs.checkHealth()
        } catch {
            throw AttacheError(.storageUnavailable, "Storage is not reachable.", underlying: String(reflecting: error))
        }
    }
}
