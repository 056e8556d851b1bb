/// What `gc` or `verify` found and did.
public struct MaintenanceReport: Sendable, Hashable {
    /// Staged uploads removed (left by crashes or aborted uploads).
    public var removedStagedContent = 0
    /// Content removed after its last file was deleted and the grace period passed.
    public var removedBlobs = 0
    /// Content removed that had no blob row at all (left by a crash between promotion and commit).
    public var removedOrphanBlobs = 0
    /// Staged parts of resumable uploads removed because their upload expired.
    public var removedResumableParts = 0
    /// Audit events deleted because they were older than the retention.
    public var removedAuditEvents = 0
    /// Change events deleted with the audit trail's retention.
    public var removedChangeEvents = 0
    /// Webhook deliveries that ended (delivered or failed) deleted with the audit trail's retention.
    public var removedWebhookDeliveries = 0
    /// Earlier versions deleted by their tenant's version retention.
    public var removedVersions = 0
    /// Attachments deleted by their category's retention rule.
    public var removedByRetention = 0
    /// Blobs checked by `verify`.
    public var checkedBlobs = 0
    /// Damaged content found by `verify`: missing, or another SHA-256 or size than recorded.
    public var damaged: [DamagedContent] = []
    /// Files whose damaged content `verify --quarantine` found whole again, and served again.
    public var restoredFiles = 0
    /// What `verify` found, one line each, for people.
    public var problems: [String] { damaged.map(\.description) }

    public init() {}
}
