import AttacheCore
import AttacheHTTP
import Hummingbird

/// A read of the change feed: `{items, next}`, where `next` is the `after` of the next read. Each item
/// is the event as webhook deliveries carry it (``ChangeEventPayload``).
struct NativeChangeEventPage: ResponseEncodable {
    var items: [ChangeEventPayload]
    var next: Int64
}
