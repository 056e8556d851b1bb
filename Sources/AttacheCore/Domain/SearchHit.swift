/// An attachment a search found, with what it found there: a few words around the matches, each part
/// saying whether it is a match (so a page can mark them without reading any markup from the store).
public struct SearchHit: Sendable {
    public struct SnippetPart: Sendable, Hashable {
        public var text: String
        public var isMatch: Bool

        public init(text: String, isMatch: Bool) {
            self.text = text
            self.isMatch = isMatch
        }
    }

    public var attached: AttachedFile
    public var snippet: [SnippetPart]

    public init(attached: AttachedFile, snippet: [SnippetPart]) {
        self.attached = attached
        self.snippet = snippet
    }

    /// The characters stores mark matches with in a snippet: they never occur in names or titles
    /// (control characters are not stored in them).
    public static let matchStart: Character = "\u{2}"
    public static let matchEnd: Character = "\u{3}"

    /// Cuts a snippet marked with ``matchStart`` and ``matchEnd`` into parts.
    public static func snippet(marked: String) -> [SnippetPart] {
        var parts: [SnippetPart] = []
        var current = ""
        var inMatch = false
        for character in marked {
            guard character == matchStart || character == matchEnd else {
                current.append(character)
                continue
            }
            if !current.isEmpty { parts.append(SnippetPart(text: current, isMatch: inMatch)) }
            current = ""
            inMatch = character == matchStart
        }
        if !current.isEmpty { parts.append(SnippetPart(text: current, isMatch: inMatch)) }
        return parts
    }
}
