/// What one read of a tenant's change feed found.
public struct ChangeFeedRead: Sendable, Hashable {
    /// The events read, in order.
    public var events: [ChangeEvent]
    /// The number of the newest event when the read began (0 for a feed without one): the read saw
    /// every event up to it that it was asked for, or `limit` of them.
    public var newest: Int64
    /// The number of the oldest event the feed still holds (`newest + 1` when it holds none): events
    /// below it were deleted with the audit trail's retention.
    public var oldest: Int64

    public init(events: [ChangeEvent], newest: Int64, oldest: Int64) {
        self.events = events
        self.newest = newest
        self.oldest = oldest
    }
}
