/// What a `PATCH` of a webhook endpoint changes; `nil` members stay as they are.
public struct WebhookEndpointChange: Sendable, Hashable {
    public var url: String?
    public var eventTypes: Set<ChangeEventType>?
    /// `.some(nil)` removes the description.
    public var description: String??
    /// `true` enables a disabled endpoint (deliveries queued meanwhile go out); `false` disables it.
    public var enabled: Bool?

    public init(url: String? = nil, eventTypes: Set<ChangeEventType>? = nil, description: String?? = nil, enabled: Bool? = nil) {
        self.url = url
        self.eventTypes = eventTypes
        self.description = description
        self.enabled = enabled
    }
}
