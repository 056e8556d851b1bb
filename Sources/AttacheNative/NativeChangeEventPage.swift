import AttacheHTTP
import Hummingbird

/// A read of the change feed: `{items, next}`, where `next` is the `after` of the next read.
struct NativeChangeEventPage: ResponseEncodable {
    var items: [NativeChangeEvent]
    var next: Int64
}
