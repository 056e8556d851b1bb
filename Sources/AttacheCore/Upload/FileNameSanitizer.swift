import Foundation

/// Turns a client-supplied file name into one that is safe to store and show.
///
/// The result has no path parts, no control characters, is NFC-normalised, keeps all other Unicode,
/// is at most 255 UTF-8 bytes (the extension is kept when shortening) and is never empty, `.` or `..`.
public enum FileNameSanitizer {
    /// Name used when nothing usable is left.
    public static let fallbackName = "file"
    static let maximumUTF8Length = 255

    public static func sanitize(_ raw: String) -> String {
        let lastComponent = raw.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let scalars = lastComponent.precomposedStringWithCanonicalMapping.unicodeScalars.filter { !isControl($0) }
        var name = String(String.UnicodeScalarView(scalars)).trimmingCharacters(in: .whitespaces)
        if name.isEmpty || name == "." || name == ".." {
            name = fallbackName
        }
        return truncated(name)
    }

    /// The lower-cased extension of a name, without the dot, or `nil`.
    public static func fileExtension(of name: String) -> String? {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        let ext = name[name.index(after: dot)...]
        return ext.isEmpty ? nil : ext.lowercased()
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private static func truncated(_ name: String) -> String {
        guard name.utf8.count > maximumUTF8Length else { return name }
        let ext = fileExtension(of: name).map { "." + $0 } ?? ""
        let keepExtension = ext.utf8.count < 32
        let budget = maximumUTF8Length - (keepExtension ? ext.utf8.count : 0)
        let stem = keepExtension ? String(name.dropLast(ext.count)) : name
        var result = ""
        for character in stem {
            if result.utf8.count + String(character).utf8.count > budget { break }
            result.append(character)
        }
        return keepExtension ? result + name.suffix(ext.count) : result
    }
}
