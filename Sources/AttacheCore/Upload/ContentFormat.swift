/// What the first bytes of some content say it is.
public enum ContentFormat: String, Sendable, Hashable {
    case pdf, png, jpeg, gif, zip, ole2, rar
    /// WebP: a RIFF container of form `WEBP`.
    case webp
    /// TIFF, either byte order.
    case tiff
    /// HEIF/HEIC (phone photos): ISO base media whose `ftyp` brand is a HEIF one.
    case heif
    /// ISO base media (MP4, MOV, M4A): an `ftyp` box at offset 4.
    case isoMedia
    case mpegVideo, mpegAudio, wav, ogg
    /// EBML (WebM, Matroska).
    case ebml
    /// Rich Text Format: text that starts `{\rtf`.
    case rtf
    case svg
    /// Text without a more specific signature.
    case text
    /// A native executable or a script with a `#!` line.
    case executable
    case unknown

    /// Formats that are text too, so a text type (`.txt`) accepts them: SVG and RTF are text files.
    public var isTextual: Bool {
        self == .text || self == .svg || self == .rtf
    }

    /// Image formats, among which a file named for one and holding another (a PNG exported as
    /// `photo.jpg`) is stored under its real extension instead of refused.
    public var isRasterImage: Bool {
        switch self {
        case .png, .jpeg, .gif, .webp, .tiff, .heif: true
        default: false
        }
    }
}
