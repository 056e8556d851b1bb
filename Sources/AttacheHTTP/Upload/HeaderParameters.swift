import Foundation

/// Parses `value; name=token; name="quoted"; name*=UTF-8''percent` header values
/// (Content-Type and Content-Disposition, RFC 9110, RFC 6266, RFC 7578, RFC 8187).
package struct HeaderParameters: Sendable {
    /// The part before the first `;`, lower-cased (`multipart/form-data`, `form-data`, …).
    package var value: String
    /// Parameters by lower-cased name. An extended `name*` parameter is decoded and stored under `name*`.
    package var parameters: [String: String]
    /// Names given more than once (the last value is kept in ``parameters``).
    package var repeated: Set<String> = []

    package init(_ header: String) {
        var scanner = Substring(header)
        value = Self.take(until: ";", from: &scanner).trimmingCharacters(in: .whitespaces).lowercased()
        parameters = [:]
        while !scanner.isEmpty {
            scanner = scanner.dropFirst()  // the ';'
            let name = Self.take(until: "=;", from: &scanner).trimmingCharacters(in: .whitespaces).lowercased()
            var parameterValue = ""
            if scanner.first == "=" {
                scanner = scanner.dropFirst()
                parameterValue = Self.takeValue(from: &scanner)
                _ = Self.take(until: ";", from: &scanner)
            }
            guard !name.isEmpty else { continue }
            if parameters[name] != nil { repeated.insert(name) }
            if name.hasSuffix("*") {
                if let decoded = Self.decodeExtended(parameterValue) { parameters[name] = decoded }
            } else {
                parameters[name] = parameterValue
            }
        }
    }

    /// A parameter, preferring the RFC 8187 extended form (`filename*`) over the plain one.
    package subscript(_ name: String) -> String? {
        parameters[name + "*"] ?? parameters[name]
    }

    private static func take(until stops: String, from scanner: inout Substring) -> Substring {
        let end = scanner.firstIndex { stops.contains($0) } ?? scanner.endIndex
        defer { scanner = scanner[end...] }
        return scanner[..<end]
    }

    private static func takeValue(from scanner: inout Substring) -> String {
        scanner = scanner.drop(while: { $0 == " " || $0 == "\t" })
        guard scanner.first == "\"" else {
            return String(take(until: ";", from: &scanner)).trimmingCharacters(in: .whitespaces)
        }
        scanner = scanner.dropFirst()
        var result = ""
        while let character = scanner.first {
            scanner = scanner.dropFirst()
            if character == "\"" { break }
            // A backslash escapes only `"` and `\`: browsers on Windows send paths such as
            // `C:\Users\jan\payslip.pdf` unescaped, and the name's last segment must survive.
            if character == "\\", let escaped = scanner.first, escaped == "\"" || escaped == "\\" {
                scanner = scanner.dropFirst()
                result.append(escaped)
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// Decodes `charset'language'percent-encoded` (RFC 8187); only UTF-8 and ISO-8859-1 are accepted.
    private static func decodeExtended(_ raw: String) -> String? {
        let pieces = raw.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3 else { return nil }
        let charset = pieces[0].lowercased()
        var bytes: [UInt8] = []
        var iterator = pieces[2].utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next(), let low = iterator.next(),
                    let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
                else { return nil }
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        switch charset {
        case "utf-8": return String(validating: bytes, as: UTF8.self)
        case "iso-8859-1": return String(bytes.map { Character(Unicode.Scalar($0)) })
        default: return nil
        }
    }
}
