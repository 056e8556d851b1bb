/// JSON's text values, written straight into bytes: the one place strings are quoted and escaped, for
/// ``JSONBodyEncoder``'s output and for writers that build their JSON by hand (the log's lines).
package enum JSONText {
    /// Appends `value` as a JSON string: quoted, with `"`, `\` and control characters escaped (the rest
    /// of UTF-8 as it is).
    package static func appendString(_ value: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        let written = value.utf8.withContiguousStorageIfAvailable { appendEscaped(utf8: $0, to: &bytes) }
        if written == nil { Array(value.utf8).withUnsafeBufferPointer { appendEscaped(utf8: $0, to: &bytes) } }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends a number as JSON writes it: an integer's digits; a finite double's shortest text without
    /// a trailing `.0`. - Returns: `false` for a double JSON has no number for (infinite or NaN).
    package static func appendNumber(_ value: Double, to bytes: inout [UInt8]) -> Bool {
        guard value.isFinite else { return false }
        appendNumber(text: value.description, to: &bytes)
        return true
    }

    /// Appends a finite floating-point number's Swift text (`description`), without a trailing `.0`.
    package static func appendNumber(text: String, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: (text.hasSuffix(".0") ? text.dropLast(2) : Substring(text)).utf8)
    }

    private static func appendEscaped(utf8: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        var clean = 0
        for index in utf8.indices {
            let byte = utf8[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            bytes.append(contentsOf: utf8[clean..<index])
            clean = index + 1
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case 0x0A: bytes.append(contentsOf: #"\n"#.utf8)
            case 0x0D: bytes.append(contentsOf: #"\r"#.utf8)
            case 0x09: bytes.append(contentsOf: #"\t"#.utf8)
            case 0x08: bytes.append(contentsOf: #"\b"#.utf8)
            case 0x0C: bytes.append(contentsOf: #"\f"#.utf8)
            default:
                let hex: StaticString = "0123456789abcdef"
                bytes.append(contentsOf: #"\u00"#.utf8)
                hex.withUTF8Buffer { digits in
                    bytes.append(digits[Int(byte >> 4)])
                    bytes.append(digits[Int(byte & 0x0F)])
                }
            }
        }
        bytes.append(contentsOf: utf8[clean...])
    }
}
