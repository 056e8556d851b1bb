/// Where a delivery stands. The raw value is its `state` on the wire and in storage.
public enum WebhookDeliveryState: String, Sendable, Hashable, CaseIterable, Codable {
    /// Waiting for its first or next attempt, or in flight.
    case pending
    /// The receiver answered 2xx.
    case delivered
    /// Every attempt of the schedule failed, or the receiver answered `410 Gone`.
    case failed
}
