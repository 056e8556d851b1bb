/// What one delivery attempt came to.
public enum WebhookAttemptResult: Sendable, Hashable {
    /// The receiver answered with this status (any status: a redirect is not followed).
    case answered(status: Int)
    /// No answer: the address was refused, the connection failed, or the attempt timed out.
    case failed(reason: String)
}
