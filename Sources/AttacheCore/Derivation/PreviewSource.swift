/// What preview images are made from, by the content's MIME type: the types previews know. Images go
/// through libvips; a PDF's first page is drawn by poppler first (never ImageMagick or Ghostscript).
public enum PreviewSource: Sendable, Hashable {
    case jpeg
    case png
    case gif
    /// A PDF's first page.
    case pdf

    public init?(mimeType: String) {
        switch mimeType.mimeEssence {
        case "image/jpeg": self = .jpeg
        case "image/png": self = .png
        case "image/gif": self = .gif
        case "application/pdf": self = .pdf
        default: return nil
        }
    }

    /// The image format the content's header must show, for the images (`nil` for a PDF).
    public var imageFormat: ImageHeader.Format? {
        switch self {
        case .jpeg: .jpeg
        case .png: .png
        case .gif: .gif
        case .pdf: nil
        }
    }
}
