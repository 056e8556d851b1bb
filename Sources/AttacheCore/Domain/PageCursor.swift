/// Encodes and decodes the opaque keyset cursors handed to clients.
public enum PageCursor {
    public static func encode(_ id: Int64) -> String {
        "c" + String(id, radix: 36)
    }

    public static func decode(_ cursor: String) -> Int64? {
        guard cursor.first == "c" else { return nil }
        return Int64(cursor.dropFirst(), radix: 36)
    }

    /// Cuts a list fetched with `limit + 1` rows into a page.
    public static func page<Item>(_ rows: [Item], limit: Int, id: (Item) -> Int64) -> Page<Item> {
        guard rows.count > limit else { return Page(items: rows, nextCursor: nil) }
        let items = Array(rows.prefix(limit))
        return Page(items: items, nextCursor: items.last.map { encode(id($0)) })
    }
}
