/// Where text is read from, by the content's MIME type: the types text extraction knows.
public enum TextSource: Sendable, Hashable {
    /// A PDF's text layer (poppler's `pdftotext`).
    case pdf
    /// Plain text or CSV, read as UTF-8 (invalid bytes replaced).
    case plain
    /// A Word document's paragraphs (its XML, read from the ZIP under limits that refuse bombs).
    case docx
    /// An Excel workbook's strings and values (likewise).
    case xlsx

    public init?(mimeType: String) {
        switch mimeType.mimeEssence {
        case "application/pdf": self = .pdf
        case "text/plain", "text/csv": self = .plain
        case "application/vnd.openxmlformats-officedocument.wordprocessingml.document": self = .docx
        case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": self = .xlsx
        default: return nil
        }
    }
}
