import AttacheCore
import AttacheHTTP
import Foundation
import Hummingbird

/// A webhook endpoint as the native API shows it. Its `secret` is there only in the answers that
/// issued it (creation and `POST …/secret`): it is never shown again.
struct NativeWebhook: ResponseEncodable {
    var id: String
    var url: String
    /// The event types delivered, sorted.
    var events: [String]
    @ExplicitNull var description: String?
    var enabled: Bool
    @ExplicitNull var disabledAt: Date?
    @ExplicitNull var disabledReason: String?
    /// Until when deliveries carry a second signature, made with the secret before the last rotation.
    @ExplicitNull var previousSecretExpiresAt: Date?
    var createdAt: Date
    var updatedAt: Date
    var secret: String?

    init(_ endpoint: WebhookEndpoint, secret: WebhookSecret? = nil) {
        id = endpoint.id.lowercasedText
        url = endpoint.url
        events = endpoint.eventTypes.map(\.rawValue).sorted()
        description = endpoint.description
        enabled = endpoint.isEnabled
        disabledAt = endpoint.disabledAt
        disabledReason = endpoint.disabledReason
        let now = Date()
        previousSecretExpiresAt = endpoint.previousSecretExpiresAt.flatMap { $0 > now ? $0 : nil }
        createdAt = endpoint.createdAt
        updatedAt = endpoint.updatedAt
        self.secret = secret?.text
    }

    init(issued: IssuedWebhookEndpoint) {
        self.init(issued.endpoint, secret: issued.secret)
    }
}

/// One delivery of an event to an endpoint, as the native API shows it.
struct NativeWebhookDelivery: ResponseEncodable {
    var id: String
    /// Standard Webhooks' `webhook-id` of every attempt of this delivery.
    var messageId: String
    var event: Int64
    var type: String
    /// `pending`, `delivered` or `failed`.
    var state: String
    var attempts: Int
    @ExplicitNull var nextAttemptAt: Date?
    @ExplicitNull var lastAttemptAt: Date?
    @ExplicitNull var lastStatus: Int?
    @ExplicitNull var lastError: String?
    @ExplicitNull var deliveredAt: Date?
    var createdAt: Date

    init(_ delivery: WebhookDelivery) {
        id = delivery.id.lowercasedText
        messageId = delivery.messageID
        event = delivery.eventNumber
        type = delivery.eventType.rawValue
        state = delivery.state.rawValue
        attempts = delivery.attempts
        nextAttemptAt = delivery.state == .pending ? delivery.nextAttemptAt : nil
        lastAttemptAt = delivery.lastAttemptAt
        lastStatus = delivery.lastStatus
        lastError = delivery.lastError
        deliveredAt = delivery.deliveredAt
        createdAt = delivery.createdAt
    }
}
