/// One delivery attempt as it goes out: POST `url` with these headers and body.
public struct WebhookRequest: Sendable {
    public var url: WebhookURL
    /// `content-type`, `user-agent`, and Standard Webhooks' `webhook-id`, `webhook-timestamp` and
    /// `webhook-signature`.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(url: WebhookURL, headers: [(name: String, value: String)], body: [UInt8]) {
        self.url = url
        self.headers = headers
        self.body = body
    }
}
