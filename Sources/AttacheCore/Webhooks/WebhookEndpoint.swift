public import Foundation

/// A tenant's receiver of change events (``ChangeEvent``): a URL, the event types it takes, and — kept
/// by the store, never shown again after it was issued — the secret its deliveries are signed with.
///
/// Each event of a type it takes becomes a delivery (``WebhookDelivery``) in the transaction that writes
/// the event, so no change is missed however the node that made it ends.
public struct WebhookEndpoint: Sendable, Hashable {
    public var id: UUID
    public var tenantID: Int64
    /// Where deliveries are POSTed (``WebhookURL``).
    public var url: String
    /// The event types delivered; never empty.
    public var eventTypes: Set<ChangeEventType>
    public var description: String?
    public var createdAt: Date
    public var updatedAt: Date
    /// When deliveries stopped because the receiver answered `410 Gone`, or a person disabled the
    /// endpoint; `nil` while deliveries go out. Events written while it is disabled are not queued for
    /// it; deliveries pending when it was disabled go out once it is enabled again.
    public var disabledAt: Date?
    public var disabledReason: String?
    /// Until when deliveries are signed with the secret before the last rotation as well.
    public var previousSecretExpiresAt: Date?

    public init(
        id: UUID, tenantID: Int64, url: String, eventTypes: Set<ChangeEventType>, description: String?, createdAt: Date, updatedAt: Date,
        disabledAt: Date? = nil, disabledReason: String? = nil, previousSecretExpiresAt: Date? = nil
    ) {
        self.id = id
        self.tenantID = tenantID
        self.url = url
        self.eventTypes = eventTypes
        self.description = description
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.disabledAt = disabledAt
        self.disabledReason = disabledReason
        self.previousSecretExpiresAt = previousSecretExpiresAt
    }

    public var isEnabled: Bool { disabledAt == nil }
}

extension WebhookEndpoint {
    /// How the audit trail names it: `webhook <id> (<url>)`.
    public var auditName: String { "webhook \(id.lowercasedText) (\(url))" }
}
