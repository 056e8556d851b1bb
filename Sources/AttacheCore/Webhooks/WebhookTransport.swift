/// How webhook deliveries leave the server: an HTTP client, in a target of its own (core holds no
/// HTTP). The protocol is the seam where the address policy (``WebhookAddressPolicy``) meets the
/// network: an implementation resolves the host itself, refuses addresses the policy refuses, and
/// connects only to an address it checked.
public protocol WebhookTransport: Sendable {
    /// Whether `url` may receive deliveries now: its host resolves, and only to addresses the policy
    /// allows.
    /// - Throws: `invalidInput` (field `url`) saying why not.
    func check(_ url: WebhookURL) async throws(AttacheError)

    /// POSTs one attempt, following no redirect, giving up after `timeout` (connecting included).
    /// Never throws: what went wrong is the attempt's result.
    func send(_ request: WebhookRequest, timeout: Duration) async -> WebhookAttemptResult
}
