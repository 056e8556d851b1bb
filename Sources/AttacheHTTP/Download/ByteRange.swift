import Foundation

/// A single `Range: bytes=…` request (RFC 9110 §14.1.2), resolved against a representation's length.
package enum ByteRange: Equatable {
    /// No range, or one the server ignores (several ranges, another unit): send everything with 200.
    case whole
    /// A satisfiable range: send these bytes with 206.
    case partial(Range<Int64>)
    /// No byte of the range exists: answer 416 with `Content-Range: bytes */length`.
    case unsatisfiable

    /// Resolves a `Range` header value for content of `length` bytes.
    package init(header: String?, length: Int64) {
        guard let header else {
            self = .whole
            return
        }
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard trimmed.lowercased().hasPrefix("bytes=") else {
            self = .whole
            return
        }
        let spec = trimmed.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else {
            self = .whole
            return
        }
        let first = spec[..<dash].trimmingCharacters(in: .whitespaces)
        let last = spec[spec.index(after: dash)...].trimmingCharacters(in: .whitespaces)
        switch (Int64(first), Int64(last)) {
        case (nil, let suffix?) where first.isEmpty:
            guard suffix > 0, length > 0 else {
                self = .unsatisfiable
                return
            }
            self = .partial(max(0, length - suffix)..<length)
        case (let start?, nil) where last.isEmpty:
            self = start < length ? .partial(start..<length) : .unsatisfiable
        case (let start?, let end?) where start <= end:
            self = start < length ? .partial(start..<(end < length ? end + 1 : length)) : .unsatisfiable
        default:
            self = .whole
        }
    }
}
