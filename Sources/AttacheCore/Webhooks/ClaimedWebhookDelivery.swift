public import Foundation

/// A delivery a node holds the lease on: everything its attempt needs.
public struct ClaimedWebhookDelivery: Sendable {
    public var id: UUID
    public var endpointID: UUID
    public var tenantID: Int64
    public var url: String
    /// The endpoint's secret, and the one before its last rotation while that still signs.
    public var secrets: [WebhookSecret]
    public var body: [UInt8]
    /// This attempt's number (1 for the first).
    public var attempt: Int
    /// When the attempt may start: claims are spaced by the endpoint's pace.
    public var startAt: Date

    public init(id: UUID, endpointID: UUID, tenantID: Int64, url: String, secrets: [WebhookSecret], body: [UInt8], attempt: Int, startAt: Date) {
        self.id = id
        self.endpointID = endpointID
        self.tenantID = tenantID
        self.url = url
        self.secrets = secrets
        self.body = body
        self.attempt = attempt
        self.startAt = startAt
    }

    public var messageID: String { WebhookDelivery.messageID(of: id) }
}
