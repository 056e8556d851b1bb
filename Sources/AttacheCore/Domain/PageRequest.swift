/// Which slice of a keyset-paginated list to return.
///
/// Cursors are opaque to clients; internally a cursor is the decimal id of the last item seen.
public struct PageRequest: Sendable, Hashable {
    /// Largest page size a client may ask for.
    public static let maximumLimit = 200
    public static let defaultLimit = 50

    public var limit: Int
    /// Return items that come after this id in the listing order.
    public var afterID: Int64?
    /// List newest first (descending ids) instead of oldest first.
    public var newestFirst: Bool

    public init(limit: Int = PageRequest.defaultLimit, afterID: Int64? = nil, newestFirst: Bool = false) {
        self.limit = min(max(limit, 1), Self.maximumLimit)
        self.afterID = afterID
        self.newestFirst = newestFirst
    }

    /// Builds a request from client-supplied values.
    /// - Throws: ``AttacheError/Code/invalidInput`` for a malformed cursor or limit.
    public init(limit: Int?, cursor: String?, newestFirst: Bool = false) throws(AttacheError) {
        let limit = try Self.checkedLimit(limit)
        var afterID: Int64?
        if let cursor, !cursor.isEmpty {
            guard let id = PageCursor.decode(cursor) else {
                throw AttacheError(.invalidInput, "cursor is not a cursor this server issued.", field: "cursor")
            }
            afterID = id
        }
        self.init(limit: limit, afterID: afterID, newestFirst: newestFirst)
    }

    /// A client's page size: the default when it names none.
    /// - Throws: ``AttacheError/Code/invalidInput`` outside 1 to ``maximumLimit``.
    static func checkedLimit(_ limit: Int?) throws(AttacheError) -> Int {
        guard let limit else { return defaultLimit }
        guard (1...maximumLimit).contains(limit) else {
            throw AttacheError(.invalidInput, "limit must be between 1 and \(maximumLimit).", field: "limit")
        }
        return limit
    }
}
