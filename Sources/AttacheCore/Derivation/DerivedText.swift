/// Text read from content, kept once per content and searched with every attachment of it.
public struct DerivedText: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, Codable {
        /// Text was found (it may have been cut at ``DerivedText/maximumUTF8Count``).
        case extracted
        /// A PDF whose pages hold no text layer (a scan): nothing to search without OCR.
        case noTextLayer
        /// A scan's text, recognised by OCR (`--ocr`): words may be misread.
        case recognized
    }

    public var status: Status
    /// At most ``maximumUTF8Count`` bytes of UTF-8, cut at a character's end.
    public private(set) var text: String

    /// Text kept per content, at most: the rest of a longer text is not searched.
    public static let maximumUTF8Count = 1_000_000

    public init(status: Status, text: String) {
        self.status = status
        self.text = Self.capped(text)
    }

    /// `text` cut to at most ``maximumUTF8Count`` bytes of UTF-8, at a character's end; NUL and other
    /// control characters but tab and newline become spaces (the stores' snippets mark matches with
    /// control characters, and PostgreSQL refuses NUL in text).
    static func capped(_ text: String) -> String {
        var kept = ""
        var count = 0
        for character in text {
            let clean: Character = character.unicodeScalars.allSatisfy { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" } ? " " : character
            let size = clean.utf8.count
            guard count + size <= maximumUTF8Count else { break }
            kept.append(clean)
            count += size
        }
        return kept
    }
}
