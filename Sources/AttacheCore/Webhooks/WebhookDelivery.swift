public import Foundation

/// One change event on its way to one endpoint: made in the transaction that writes the event, with
/// the body every attempt sends, so retries and redeliveries send the same message under the same
/// `webhook-id`.
public struct WebhookDelivery: Sendable, Hashable {
    public var id: UUID
    public var endpointID: UUID
    public var tenantID: Int64
    /// The event's number in its tenant's feed.
    public var eventNumber: Int64
    public var eventType: ChangeEventType
    public var state: WebhookDeliveryState
    /// Attempts started (a node that dies mid-attempt has started one).
    public var attempts: Int
    /// When the next attempt is due (pending deliveries).
    public var nextAttemptAt: Date?
    public var lastAttemptAt: Date?
    /// The last attempt's HTTP status, when the receiver answered.
    public var lastStatus: Int?
    /// Why the last attempt failed without an answer, or what its answer meant.
    public var lastError: String?
    public var deliveredAt: Date?
    public var createdAt: Date

    public init(
        id: UUID, endpointID: UUID, tenantID: Int64, eventNumber: Int64, eventType: ChangeEventType, state: WebhookDeliveryState, attempts: Int,
        nextAttemptAt: Date?, lastAttemptAt: Date?, lastStatus: Int?, lastError: String?, deliveredAt: Date?, createdAt: Date
    ) {
        self.id = id
        self.endpointID = endpointID
        self.tenantID = tenantID
        self.eventNumber = eventNumber
        self.eventType = eventType
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastAttemptAt = lastAttemptAt
        self.lastStatus = lastStatus
        self.lastError = lastError
        self.deliveredAt = deliveredAt
        self.createdAt = createdAt
    }

    /// Standard Webhooks' `webhook-id`: the same for every attempt and redelivery of this delivery.
    public var messageID: String { Self.messageID(of: id) }

    public static func messageID(of id: UUID) -> String {
        "msg_" + id.lowercasedText.replacingOccurrences(of: "-", with: "")
    }
}
