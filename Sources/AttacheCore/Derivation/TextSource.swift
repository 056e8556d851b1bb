/// Where text is read from, by the content's MIME type: the types text extraction knows.
public enum TextSource: Sendable, Hashable {
    /// A PDF's text layer (poppler's `pdftotext`).
    case pdf
    /// Plain text or CSV, read as UTF-8 (invalid bytes replaced).
    case plain

    public init?(mimeType: String) {
        switch mimeType.mimeEssence {
        case "application/pdf": self = .pdf
        case "text/plain", "text/csv": self = .plain
        default: return nil
        }
    }
}
