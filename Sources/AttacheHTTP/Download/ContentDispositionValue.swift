import Foundation

/// Builds a `Content-Disposition` value with an ASCII `filename` fallback and an RFC 6266 / RFC 8187
/// `filename*=UTF-8''…` for the real name.
package enum ContentDispositionValue {
    package static func make(inline: Bool, fileName: String) -> String {
        let type = inline ? "inline" : "attachment"
        return "\(type); filename=\"\(asciiFallback(fileName))\"; filename*=UTF-8''\(percentEncoded(fileName))"
    }

    /// The name with anything outside printable ASCII, quotes and backslashes replaced by `_`.
    package static func asciiFallback(_ name: String) -> String {
        String(name.unicodeScalars.map { scalar in
            (0x20..<0x7F).contains(scalar.value) && scalar != "\"" && scalar != "\\" ? Character(scalar) : "_"
        })
    }

    /// RFC 8187 `value-chars`: attr-char stays, every other UTF-8 byte is `%XX`.
    package static func percentEncoded(_ name: String) -> String {
        let attrChars = Set("!#$&+-.^_`|~".utf8).union(Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8))
        var out = ""
        for byte in name.utf8 {
            if attrChars.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}
