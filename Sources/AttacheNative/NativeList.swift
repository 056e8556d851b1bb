import AttacheHTTP
import Hummingbird

/// A page of a native list: `{items, nextCursor}`; `nextCursor` is `null` on the last page.
struct NativeList<Item: Encodable & Sendable>: ResponseEncodable {
    var items: [Item]
    @ExplicitNull var nextCursor: String?
}
