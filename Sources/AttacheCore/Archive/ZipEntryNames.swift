/// Names for the entries of an archive, from stored file names: no folders (a `/` or `\` becomes `_`,
/// so no name can climb out with `..` or start at the root), no control characters, no empty or
/// dot-only names, and each unique whatever the case (macOS and Windows folders ignore case): the
/// second `lease.pdf` becomes `lease (2).pdf`.
public enum ZipEntryNames {
    /// The longest name kept, in UTF-8 bytes (a header's length field holds 65,535; folders hold 255).
    public static let maximumLength = 240

    public static func make(_ names: [String]) -> [String] {
        var taken: Set<String> = []
        var result: [String] = []
        result.reserveCapacity(names.count)
        for name in names {
            let clean = sanitized(name)
            var candidate = clean
            var copy = 2
            while taken.contains(candidate.lowercased()) {
                candidate = numbered(clean, copy)
                copy += 1
            }
            taken.insert(candidate.lowercased())
            result.append(candidate)
        }
        return result
    }

    static func sanitized(_ name: String) -> String {
        var cleaned = String(String.UnicodeScalarView(name.unicodeScalars.map { scalar in
            scalar == "/" || scalar == "\\" || scalar.properties.generalCategory == .control ? "_" : scalar
        }))
        cleaned = cleaned.trimmingSpaces
        // Empty, `.` and `..` name no file.
        if cleaned.allSatisfy({ $0 == "." }) { cleaned = "file" }
        guard cleaned.utf8.count > maximumLength else { return cleaned }
        let (stem, ext) = split(cleaned)
        return truncated(stem, to: maximumLength - ext.utf8.count) + ext
    }

    /// The stem and the extension (with its dot; empty when there is none or it is long).
    static func split(_ name: String) -> (stem: String, ext: String) {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex, name[dot...].utf8.count <= 16 else { return (name, "") }
        return (String(name[..<dot]), String(name[dot...]))
    }

    /// `stem (n).ext`, the stem shortened so the whole stays within the length.
    static func numbered(_ name: String, _ copy: Int) -> String {
        let (stem, ext) = split(name)
        let suffix = " (\(copy))" + ext
        return truncated(stem, to: maximumLength - suffix.utf8.count) + suffix
    }

    /// At most `limit` UTF-8 bytes, cut between characters.
    static func truncated(_ text: String, to limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        var result = ""
        for character in text {
            guard result.utf8.count + character.utf8.count <= limit else { break }
            result.append(character)
        }
        return result
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}
