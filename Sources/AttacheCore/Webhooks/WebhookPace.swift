/// How hard deliveries may press one endpoint, over every node: at most `maximumInFlight` attempts
/// unfinished, and attempts started at least `interval` apart.
public struct WebhookPace: Sendable, Hashable {
    public var maximumInFlight: Int
    public var interval: Duration

    public init(maximumInFlight: Int, interval: Duration) {
        self.maximumInFlight = maximumInFlight
        self.interval = interval
    }
}
