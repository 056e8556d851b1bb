import Foundation

/// URL-safe base64 without padding (RFC 4648 §5), as used in token secrets and link signatures.
///
/// Written out by hand because it sits on the per-item path of every list that carries signed links:
/// Foundation's encoder followed by three `replacingOccurrences` cost more than the HMAC itself.
public enum Base64URL {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// The bytes in URL-safe base64, without `=` padding.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        let count = bytes.count
        let length = (count * 4 + 2) / 3
        return String(unsafeUninitializedCapacity: length) { out in
            var written = 0
            var iterator = bytes.makeIterator()
            var remaining = count
            while remaining > 0 {
                let b0 = UInt32(iterator.next() ?? 0)
                let b1 = remaining > 1 ? UInt32(iterator.next() ?? 0) : 0
                let b2 = remaining > 2 ? UInt32(iterator.next() ?? 0) : 0
                let group = b0 << 16 | b1 << 8 | b2
                let emitted = min(remaining + 1, 4)
                for index in 0..<emitted {
                    out[written + index] = alphabet[Int(group >> (18 - 6 * UInt32(index)) & 0x3F)]
                }
                written += emitted
                remaining -= 3
            }
            return written
        }
    }

    /// The bytes of unpadded (or padded) base64url text; `nil` for anything else.
    public static func decode(_ text: String) -> [UInt8]? {
        guard !text.contains("+"), !text.contains("/") else { return nil }
        var standard = String(text.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        while standard.utf8.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard).map(Array.init)
    }
}
