/// A webhook endpoint just made, or given a new secret: the only time its secret is shown.
public struct IssuedWebhookEndpoint: Sendable, Hashable {
    public var endpoint: WebhookEndpoint
    public var secret: WebhookSecret

    public init(endpoint: WebhookEndpoint, secret: WebhookSecret) {
        self.endpoint = endpoint
        self.secret = secret
    }
}
