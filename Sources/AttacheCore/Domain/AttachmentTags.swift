import Foundation

/// An attachment's free tags, as they are kept: trimmed, each 1 to 40 characters without a comma or a
/// control character, at most 20, duplicates (ignoring case) dropped, sorted.
public enum AttachmentTags {
    public static let maximumCount = 20
    public static let maximumLength = 40

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
