import Foundation

/// An attachment's free tags, as they are kept: trimmed, each 1 to 40 characters without a comma or a
/// control character, at most 20, duplicates (ignoring case) dropped, sorted.
public enum AttachmentTags {
    public static let maximumCount = 20
    public static let maximumLength = 40

    /// The tags of a comma-separated list, as a form field or tus metadata sends them (not yet
    /// normalized), or as the SQL store keeps them (`,a,b,`: the empty ends drop out).
    public static func list(commaSeparated text: String?) -> [String] {
        (text ?? "").split(separator: ",").map(String.init)
    }

    /// A tag as filters compare it: ASCII letters in lower case, every other character as it is (so
    /// `?tag=paid` finds `Paid`, on every engine alike).
    public static func folded(_ tag: String) -> String {
        String(String.UnicodeScalarView(tag.unicodeScalars.map { (0x41...0x5A).contains($0.value) ? Unicode.Scalar($0.value + 32) ?? $0 : $0 }))
    }

    /// Whether `tags` hold `tag`, as filters compare them.
    public static func contain(_ tags: [String], _ tag: String) -> Bool {
        let wanted = folded(tag)
        return tags.contains { folded($0) == wanted }
    }

    /// - Throws: `invalidInput` (field `tags`) for a tag that is empty, too long or holds a comma.
    public static func normalized(_ tags: [String]) throws(AttacheError) -> [String] {
        var seen = Set<String>()
        var kept: [String] = []
        for tag in tags {
            let trimmed = tag.trimmingCharacters(in: .whitespaces)
            guard (1...maximumLength).contains(trimmed.unicodeScalars.count), !trimmed.contains(","),
                !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            else {
                throw AttacheError(.invalidInput, "tags are 1 to \(maximumLength) characters each, without commas.", field: "tags")
            }
            if seen.insert(trimmed.lowercased()).inserted { kept.append(trimmed) }
        }
        guard kept.count <= maximumCount else {
            throw AttacheError(.invalidInput, "An attachment has at most \(maximumCount) tags.", field: "tags")
        }
        return kept.sorted()
    }
}
