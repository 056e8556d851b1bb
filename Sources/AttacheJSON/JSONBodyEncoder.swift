import Foundation

/// The one JSON writer, of every face's answers and of webhook deliveries' bodies: sorted keys,
/// unescaped slashes, dates as ISO 8601 in UTC to the second (`2026-11-30T22:58:10Z`), `Data` as base64.
///
/// It writes bytes as values are encoded, instead of building a tree and serialising it afterwards as
/// Foundation's `JSONEncoder` does: a page of 50 attachments cost a quarter of the list route's time
/// there. Keys are sorted when an object closes, by moving its members' bytes.
public struct JSONBodyEncoder: Sendable {
    /// How property names are written.
    public enum KeyStyle: Sendable {
        /// As the type declares them.
        case asDeclared
        /// Renamed from the coding path (the last key is the one to rename), like
        /// `JSONEncoder.KeyEncodingStrategy.custom`.
        case renamed(@Sendable ([any CodingKey]) -> any CodingKey)
    }

    public var keys: KeyStyle

    public init(keys: KeyStyle = .asDeclared) {
        self.keys = keys
    }

    /// The JSON text of `value`.
    /// - Throws: `EncodingError.invalidValue` for a number JSON cannot hold (NaN, infinity), or what the
    ///   value's own `encode(to:)` throws.
    public func encode(_ value: some Encodable) throws -> [UInt8] {
        let output = JSONOutput(keys: keys)
        try output.encodeValue(value)
        return output.finish()
    }
}
