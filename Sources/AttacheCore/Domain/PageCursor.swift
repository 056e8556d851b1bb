/// Encodes and decodes the opaque keyset cursors handed to clients.
public enum PageCursor {
    public static func encode(_ id: Int64) -> String {
        "c" + String(id, radix: 36)
    }

    /// The id in a cursor: `c`, an optional `-`, and base-36 digits. Digits past the range of ids
    /// name a position after (or before) every item, so such a cursor gives an empty page.
    public static func decode(_ cursor: String) -> Int64? {
        guard cursor.first == "c" else { return nil }
        let body = cursor.dropFirst()
        let negative = body.first == "-"
        let digits = negative ? body.dropFirst() : body
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) }) else { return nil }
        return Int64(body, radix: 36) ?? (negative ? Int64.min : Int64.max)
    }

    /// Cuts a list fetched with `limit + 1` rows into a page.
    public static func page<Item>(_ rows: [Item], limit: Int, id: (Item) -> Int64) -> Page<Item> {
        guard rows.count > limit else { return Page(items: rows, nextCursor: nil) }
        let items = Array(rows.prefix(limit))
        return Page(items: items, nextCursor: items.last.map { encode(id($0)) })
    }
}
