public import Foundation

/// Which slice of a list ordered newest first by a time, then by a uuid, to return (share links, which
/// have no number of their own). Its cursor, opaque to clients, names the last item seen.
public struct NewestFirstPageRequest: Sendable, Hashable {
    /// The last item of the previous page: its time and id.
    public struct Position: Sendable, Hashable {
        public var time: Date
        public var id: UUID

        public init(time: Date, id: UUID) {
            self.time = time
            self.id = id
        }
    }

    public var limit: Int
    public var after: Position?

    public init(limit: Int = PageRequest.defaultLimit, after: Position? = nil) {
        self.limit = min(max(limit, 1), PageRequest.maximumLimit)
        self.after = after
    }

    /// Builds a request from client-supplied values.
    /// - Throws: ``AttacheError/Code/invalidInput`` for a malformed cursor or limit.
    public init(limit: Int?, cursor: String?) throws(AttacheError) {
        let limit = try PageRequest.checkedLimit(limit)
        var after: Position?
        if let cursor, !cursor.isEmpty {
            guard let position = Self.decode(cursor) else {
                throw AttacheError(.invalidInput, "cursor is not a cursor this server issued.", field: "cursor")
            }
            after = position
        }
        self.init(limit: limit, after: after)
    }

    /// `t`, the time in milliseconds (base 36), `.`, the id.
    public static func encode(_ position: Position) -> String {
        "t" + String(Int64((position.time.timeIntervalSince1970 * 1000).rounded()), radix: 36) + "." + position.id.lowercasedText
    }

    /// Times past ±31,000 years name a position after (or before) every item, as a number cursor's
    /// digits past the range of ids do (``PageCursor/decode(_:)``).
    static let furthestMilliseconds: Int64 = 1_000_000_000_000_000

    static func decode(_ cursor: String) -> Position? {
        guard cursor.first == "t" else { return nil }
        let parts = cursor.dropFirst().split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let id = UUID(text: String(parts[1])) else { return nil }
        let negative = parts[0].first == "-"
        let digits = negative ? parts[0].dropFirst() : parts[0]
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) }) else { return nil }
        let furthest = Self.furthestMilliseconds
        let milliseconds = min(max(Int64(parts[0], radix: 36) ?? (negative ? -furthest : furthest), -furthest), furthest)
        return Position(time: Date(timeIntervalSince1970: TimeInterval(milliseconds) / 1000), id: id)
    }

    /// Cuts a list fetched with `limit + 1` items into a page.
    public func page<Item>(_ items: [Item], position: (Item) -> Position) -> Page<Item> {
        guard items.count > limit else { return Page(items: items, nextCursor: nil) }
        let kept = Array(items.prefix(limit))
        return Page(items: kept, nextCursor: kept.last.map { Self.encode(position($0)) })
    }
}
