import Foundation

/// A SHA-256 digest a client says its upload should have.
public struct ContentDigest: Sendable, Hashable {
    public var bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// Parses 64 hex digits or standard/URL-safe base64 of 32 bytes.
    public init?(hexOrBase64 text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.utf8.count == 64, let bytes = Self.hexBytes(trimmed) {
            self.init(bytes: bytes)
        } else if let data = Data(base64Encoded: Self.standardBase64(trimmed)) {
            self.init(bytes: Array(data))
        } else {
            return nil
        }
    }

    /// Parses an RFC 9530 `Content-Digest` field value and returns its `sha-256` member, if any.
    ///
    /// - Returns: `nil` when the field has no `sha-256` member; throws when that member is malformed.
    public static func fromContentDigestField(_ value: String) throws(AttacheError) -> ContentDigest? {
        for member in value.split(separator: ",") {
            let parts = member.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, parts[0].lowercased() == "sha-256" else { continue }
            let raw = parts[1]
            guard raw.count >= 2, raw.hasPrefix(":"), raw.hasSuffix(":"),
                let digest = ContentDigest(hexOrBase64: String(raw.dropFirst().dropLast()))
            else {
                throw AttacheError(.invalidInput, "Content-Digest sha-256 must be ':<base64 of 32 bytes>:'.", field: "Content-Digest")
            }
            return digest
        }
        return nil
    }

    public var hex: String { bytes.hexString }

    private static func hexBytes(_ text: String) -> [UInt8]? {
        var result: [UInt8] = []
        result.reserveCapacity(32)
        var iterator = text.utf8.makeIterator()
        while let high = iterator.next() {
            guard let low = iterator.next(), let h = hexValue(high), let l = hexValue(low) else { return nil }
            result.append(h << 4 | l)
        }
        return result
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x61...0x66: c - 0x61 + 10
        case 0x41...0x46: c - 0x41 + 10
        default: nil
        }
    }

    private static func standardBase64(_ text: String) -> String {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.utf8.count % 4 != 0 { s += "=" }
        return s
    }
}
