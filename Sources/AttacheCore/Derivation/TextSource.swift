import Foundation

/// Where text is read from, by the content's MIME type: the types text extraction knows.
public enum TextSource: Sendable, Hashable {
    /// A PDF's text layer (poppler's `pdftotext`).
    case pdf
    /// Plain text or CSV, read as UTF-8 (invalid bytes replaced).
    case plain

    public init?(mimeType: String) {
        let essence = mimeType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch essence {
        case "application/pdf": self = .pdf
        case "text/plain", "text/csv": self = .plain
        default: return nil
        }
    }
}
