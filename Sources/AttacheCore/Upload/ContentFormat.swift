/// What the first bytes of some content say it is.
public enum ContentFormat: String, Sendable, Hashable {
    case pdf, png, jpeg, gif, zip, ole2, rar
    /// ISO base media (MP4, MOV, M4A): an `ftyp` box at offset 4.
    case isoMedia
    case mpegVideo, mpegAudio, wav, ogg
    /// EBML (WebM, Matroska).
    case ebml
    case svg
    /// Text without a more specific signature.
    case text
    /// A native executable or a script with a `#!` line.
    case executable
    case unknown
}
