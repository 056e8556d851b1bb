/// What a reader of a tenant's change feed asks for.
public struct ChangeFeedRequest: Sendable, Hashable {
    /// The most events one read gives, and how many it gives unless asked.
    public static let maximumLimit = 1000
    public static let defaultLimit = 100
    /// The longest a read may wait for a first event.
    public static let longestWait: Duration = .seconds(60)

    /// The number of the last event the reader has (0: from the start of the feed).
    public var after: Int64
    /// Events of these types only; `nil` for all.
    public var types: Set<ChangeEventType>?
    public var limit: Int
    /// How long to wait for an event when there is none after `after` yet (0: answer at once).
    public var wait: Duration

    public init(after: Int64 = 0, types: Set<ChangeEventType>? = nil, limit: Int = ChangeFeedRequest.defaultLimit, wait: Duration = .zero) {
        self.after = after
        self.types = types
        self.limit = limit
        self.wait = wait
    }
}
