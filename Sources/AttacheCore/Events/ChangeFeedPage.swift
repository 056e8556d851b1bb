/// The answer to one ``ChangeFeedRequest``: the events, and the number to read after next time.
public struct ChangeFeedPage: Sendable, Hashable {
    public var events: [ChangeEvent]
    /// The `after` of the next read: the last event given, or — when the read reached the feed's
    /// newest event — that event, even when it was of a type not asked for, so a filtered reader never
    /// reads the same stretch of the feed twice.
    public var next: Int64

    public init(events: [ChangeEvent], next: Int64) {
        self.events = events
        self.next = next
    }
}
