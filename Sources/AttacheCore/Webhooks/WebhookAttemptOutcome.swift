public import Foundation

/// How a node records an attempt it finished.
public enum WebhookAttemptOutcome: Sendable, Hashable {
    /// The receiver answered 2xx: the delivery is done.
    case delivered(status: Int)
    /// The attempt failed; the next one is due at `at`.
    case retry(at: Date, status: Int?, reason: String)
    /// The attempt failed and was the schedule's last.
    case failed(status: Int?, reason: String)
    /// The receiver answered `410 Gone`: the delivery fails and the endpoint is disabled.
    case gone

    /// What a delivery's error and its endpoint's disabled reason say after a `410 Gone`.
    public static let goneReason = "the receiver answered 410 Gone"
}
